import { Tag } from 'antd-mobile';
import type { Me } from '../../../shared/api/auth';
import { useI18n } from '../locale';
import { roleLabelKeys } from '../roleLabels';

/** The greeting card at the top of every home: name, role labels and department. */
export function Greeting({ me }: { me: Me }) {
  const { t } = useI18n();
  return (
    <section className="greeting">
      <div className="greeting-avatar" aria-hidden="true">
        {Array.from(me.name)[0] ?? '?'}
      </div>
      <div className="greeting-text">
        <h2 className="greeting-name" data-testid="greeting-name">
          {t('home.greeting', { name: me.name })}
        </h2>
        <div className="greeting-tags">
          {roleLabelKeys(me).map((key) => (
            // White on the blue card; antd's role colours would vanish into it.
            <Tag key={key} color="#ffffff" fill="outline" round>
              {t(key)}
            </Tag>
          ))}
          {me.department ? <span className="muted greeting-dept">{me.department}</span> : null}
        </div>
      </div>
    </section>
  );
}
