import { SearchBar } from 'antd-mobile';
import { CloseCircleFill } from 'antd-mobile-icons';
import { type CSSProperties, useState } from 'react';
import { useI18n } from '../locale';

/** Props of {@link SearchField}. */
export interface SearchFieldProps {
  placeholder: string;
  /** Called with the text when the reader submits (Enter / the keyboard's search key). */
  onSearch: (text: string) => void;
  /** Called when the reader empties the field with its clear button. */
  onClear: () => void;
  style?: CSSProperties;
  'data-testid'?: string;
}

/**
 * antd-mobile's SearchBar with an accessible clear button. The library's own clear icon is a
 * plain `div` carrying an `aria-label` (no role, not reachable by keyboard), which screen readers
 * do not announce as a control and axe reports as a serious violation; this one is a real
 * `<button>` with a name, shown while the field has text.
 */
export function SearchField({ placeholder, onSearch, onClear, style, ...rest }: SearchFieldProps) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  return (
    <div className="app-search" style={style} data-testid={rest['data-testid']}>
      <SearchBar
        placeholder={placeholder}
        value={value}
        onChange={setValue}
        onSearch={onSearch}
        clearable={false}
      />
      {value ? (
        <button
          type="button"
          className="app-search-clear"
          aria-label={t('common.clear')}
          data-testid="search-clear"
          onClick={() => {
            setValue('');
            onClear();
          }}
        >
          <CloseCircleFill aria-hidden="true" />
        </button>
      ) : null}
    </div>
  );
}
