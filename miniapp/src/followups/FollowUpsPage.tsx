import { Button, ErrorBlock, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import type { CandidateFollowUpView } from '../../../shared/api/followups';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useAnswerFollowUp, useFollowUpRecording, useMyFollowUps } from './api';
import { FollowUpRecorder } from './FollowUpRecorder';
import './followups.css';

/**
 * The candidate's follow-up questions after the interview (the DingTalk message links here):
 * each shows the question it follows and is answered once.
 */
export function FollowUpsPage() {
  const { t } = useI18n();
  const list = useMyFollowUps();
  return (
    <QueryState query={list} title={t('rp.loadFailed')}>
      {({ items }) => (
        <div className="fu-page" data-testid="followups">
          <p className="muted">{t('fu.note')}</p>
          {items.length === 0 ? <ErrorBlock status="empty" title={t('fu.empty')} description="" /> : null}
          {items.map((f) => (
            <FollowUpCard key={f.id} f={f} />
          ))}
        </div>
      )}
    </QueryState>
  );
}

function FollowUpCard({ f }: { f: CandidateFollowUpView }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const answer = useAnswerFollowUp();
  const [text, setText] = useState('');
  // Checked, then transcribed, by the worker: the card polls its recording's small status row.
  const transcribing = f.status === 'pending' && (f.recording === 'checking' || f.recording === 'verified');
  useFollowUpRecording(f.id, transcribing);
  const send = () => {
    if (!text.trim()) return;
    answer.mutate(
      { id: f.id, text: text.trim() },
      { onSuccess: () => Toast.show(t('fu.sent')), onError: (e) => Toast.show(errorOf(e)) },
    );
  };
  return (
    <div className="fu-card" data-testid="followup-card">
      <p className="muted">{t('fu.question', { n: f.position, q: f.questionText })}</p>
      <p data-testid="followup-text">
        <b>{f.text}</b>
      </p>
      {f.status === 'answered' ? (
        <>
          <Tag color="success">{t('fu.answered')}</Tag>
          <p>
            {t('fu.yourAnswer')}：{f.answerText}
          </p>
        </>
      ) : transcribing ? (
        <p className="muted" data-testid="followup-transcribing">
          {t('fu.rec.transcribing')}
        </p>
      ) : f.answerMode !== 'text' ? (
        <FollowUpRecorder f={f} />
      ) : (
        <>
          <TextArea
            placeholder={t('fu.placeholder')}
            value={text}
            onChange={setText}
            rows={4}
            maxLength={5000}
            data-testid="followup-input"
          />
          <Button
            color="primary"
            block
            onClick={send}
            loading={answer.isPending}
            data-testid="followup-submit"
          >
            {t('fu.submit')}
          </Button>
        </>
      )}
    </div>
  );
}
