import { Button, Form, Input, Selector, Toast } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { CANDIDATE_SOURCES, type CandidateSource } from '../../../shared/api/candidates';
import { routes } from '../../../shared/routes';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { useCreateCandidate } from './api';
import { useSourceLabel } from './CandidatesPage';

interface Values {
  name: string;
  mobile?: string;
  email?: string;
  source?: CandidateSource[];
  referrer?: string;
}

/** HR adds one candidate; the server normalises and merges with an existing one. */
export function CandidateNewPage() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const navigate = useNavigate();
  const sourceLabel = useSourceLabel();
  const create = useCreateCandidate();
  const [form] = Form.useForm<Values>();
  const submit = (v: Values) =>
    create.mutate(
      {
        name: v.name,
        mobile: v.mobile?.trim() || undefined,
        email: v.email?.trim() || undefined,
        source: v.source?.[0] ?? 'other',
        referrer: v.referrer?.trim() || undefined,
      },
      {
        onSuccess: (r) => {
          Toast.show(r.merged ? t('cd.form.merged') : t('cd.form.saved'));
          navigate(routes.candidate(r.candidate.id));
        },
        onError: (e) => Toast.show(errorOf(e)),
      },
    );
  return (
    <div data-testid="candidate-new">
      <Form
        form={form}
        layout="horizontal"
        initialValues={{ source: ['other'] }}
        onFinish={submit}
        footer={
          <Button block type="submit" color="primary" loading={create.isPending} data-testid="candidate-save">
            {t('cd.form.save')}
          </Button>
        }
      >
        <Form.Item name="name" label={t('cd.field.name')} rules={[{ required: true }]}>
          <Input data-testid="field-name" maxLength={100} />
        </Form.Item>
        <Form.Item name="mobile" label={t('cd.field.mobile')} help={t('cd.form.contactHint')}>
          <Input data-testid="field-mobile" type="tel" />
        </Form.Item>
        <Form.Item name="email" label={t('cd.field.email')}>
          <Input data-testid="field-email" type="email" />
        </Form.Item>
        <Form.Item name="source" label={t('cd.field.source')}>
          <Selector
            columns={2}
            options={CANDIDATE_SOURCES.map((s) => ({ label: sourceLabel(s), value: s }))}
          />
        </Form.Item>
        <Form.Item name="referrer" label={t('cd.field.referrer')}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </div>
  );
}
