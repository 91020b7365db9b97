import type { UseQueryResult } from '@tanstack/react-query';
import { Button } from 'antd-mobile';
import { createErrorBlock } from 'antd-mobile/es/components/error-block/create-error-block';
import { defaultImage } from 'antd-mobile/es/components/error-block/images/default';
import type { ReactNode } from 'react';
import { useErrorText } from '../errors';
import { Spinner } from '../layout/Spinner';
import { useI18n } from '../locale';

/**
 * antd's ErrorBlock with the one image a load error shows (status "default"). antd's own
 * `ErrorBlock` carries all four of its illustrations (38 KB of SVG, 8 KB compressed), which every
 * screen using this component, the candidate's home among them, loaded for an error that
 * seldom happens (issue 18's first-load budget). Same component, same picture.
 */
const LoadErrorBlock = createErrorBlock({ default: defaultImage });

/** Props of {@link QueryState}. */
export interface QueryStateProps<T> {
  query: UseQueryResult<T>;
  /** The screen's own "could not load" title; the error's translated text goes below it. */
  title?: string;
  /** Rendered once data is there. */
  children: (data: T) => ReactNode;
}

/**
 * Loading and load errors, shown one way on every screen: a spinner while the first load runs;
 * after a failure the screen's title, the error's text from the catalogue (`errors.ts`, never
 * the server's raw message) and a retry button; otherwise the children with the data.
 */
export function QueryState<T>({ query, title, children }: QueryStateProps<T>) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  if (query.isPending && !query.isError) return <Spinner data-testid="query-loading" />;
  if (query.isError)
    return (
      <LoadErrorBlock
        status="default"
        data-testid="query-error"
        title={title ?? t('common.loadFailed')}
        description={
          <>
            <div>{errorOf(query.error)}</div>
            <Button
              size="small"
              color="primary"
              fill="outline"
              data-testid="query-retry"
              loading={query.isFetching}
              onClick={() => void query.refetch()}
              style={{ marginTop: 8 }}
            >
              {t('common.retry')}
            </Button>
          </>
        }
      />
    );
  return <>{children(query.data as T)}</>;
}
