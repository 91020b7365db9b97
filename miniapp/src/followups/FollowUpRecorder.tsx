import { Button, Toast } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import type { CandidateFollowUpView } from '../../../shared/api/followups';
import { ApiError } from '../api';
import { useErrorText } from '../errors';
import { pickRecorderMime } from '../interview/upload';
import { useI18n } from '../locale';
import { useRecordFollowUp } from './api';

type Phase = 'idle' | 'ready' | 'recording' | 'recorded' | 'sending';

/**
 * Records a follow-up answer the way the interview's answers are recorded (the page's camera
 * and microphone with MediaRecorder, audio only where the question takes audio), lets the
 * candidate watch it back and record again, then uploads it through a grant. The transcript and
 * score come from the server; the card shows "being transcribed" until they do.
 */
export function FollowUpRecorder({ f }: { f: CandidateFollowUpView }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const send = useRecordFollowUp();
  const audioOnly = f.answerMode === 'audio';
  const [phase, setPhase] = useState<Phase>('idle');
  const [seconds, setSeconds] = useState(0);
  const [progress, setProgress] = useState(0);
  const [blob, setBlob] = useState<{ data: Blob; mime: string; url: string } | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const live = useRef<HTMLVideoElement | null>(null);
  const supported =
    typeof navigator !== 'undefined' &&
    !!navigator.mediaDevices?.getUserMedia &&
    !!pickRecorderMime(audioOnly);

  // Tracks are released when the card goes away (answered, or the page is left).
  useEffect(
    () => () => {
      for (const tr of stream.current?.getTracks() ?? []) tr.stop();
    },
    [],
  );
  useEffect(() => {
    if (phase !== 'recording') return;
    const timer = setInterval(() => setSeconds((s) => s + 1), 1000);
    return () => clearInterval(timer);
  }, [phase]);
  useEffect(() => {
    if (live.current && stream.current && (phase === 'ready' || phase === 'recording'))
      live.current.srcObject = stream.current;
  }, [phase]);

  if (!supported) return <p className="muted">{t('fu.rec.noDevice')}</p>;

  const open = async () => {
    try {
      stream.current = await navigator.mediaDevices.getUserMedia({ audio: true, video: !audioOnly });
      setPhase('ready');
    } catch (e) {
      Toast.show(errorOf(e));
    }
  };
  const start = () => {
    const mime = pickRecorderMime(audioOnly);
    if (!stream.current || !mime) return;
    const chunks: Blob[] = [];
    const rec = new MediaRecorder(stream.current, { mimeType: mime });
    rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
    rec.onstop = () => {
      const data = new Blob(chunks, { type: mime });
      setBlob({ data, mime, url: URL.createObjectURL(data) });
      setPhase('recorded');
    };
    recorder.current = rec;
    setSeconds(0);
    rec.start(1000);
    setPhase('recording');
  };
  const stop = () => {
    if (recorder.current?.state === 'recording') recorder.current.stop();
  };
  const submit = () => {
    if (!blob) return;
    setPhase('sending');
    send.mutate(
      { id: f.id, blob: blob.data, mime: blob.mime, onProgress: (x) => setProgress(Math.round(x * 100)) },
      {
        onSuccess: (r) => {
          if (r.ok) {
            for (const tr of stream.current?.getTracks() ?? []) tr.stop();
            Toast.show(t('fu.rec.transcribing'));
          } else {
            // The worker's check refused it (the same words as when the request checked it).
            const problem = r.status === 'failed' ? r.problem : null;
            Toast.show(
              problem ? errorOf(new ApiError(422, problem.code, problem.message)) : t('fu.rec.failed'),
            );
            setPhase('ready');
          }
        },
        onError: (e) => {
          Toast.show(errorOf(e));
          setPhase('recorded');
        },
      },
    );
  };

  return (
    <div className="fu-rec" data-testid="followup-recorder">
      <p className="muted">{t(audioOnly ? 'fu.rec.audio' : 'fu.rec.video')}</p>
      {f.recording === 'failed' ? <p className="fu-warn">{t('fu.rec.failed')}</p> : null}
      {phase === 'ready' || phase === 'recording' ? (
        audioOnly ? null : (
          <video ref={live} autoPlay muted playsInline className="fu-video" />
        )
      ) : null}
      {phase === 'recorded' && blob ? (
        audioOnly ? (
          // biome-ignore lint/a11y/useMediaCaption: the candidate's own recording, played back to them.
          <audio src={blob.url} controls />
        ) : (
          // biome-ignore lint/a11y/useMediaCaption: the candidate's own recording, played back to them.
          <video src={blob.url} controls playsInline className="fu-video" />
        )
      ) : null}
      {phase === 'idle' ? (
        <Button block onClick={open} data-testid="followup-camera">
          {t('fu.rec.camera')}
        </Button>
      ) : null}
      {phase === 'ready' ? (
        <Button color="primary" block onClick={start} data-testid="followup-record">
          {t('fu.rec.start')}
        </Button>
      ) : null}
      {phase === 'recording' ? (
        <Button color="danger" block onClick={stop} data-testid="followup-stop">
          {t('fu.rec.stop')} · {t('fu.rec.recording', { s: seconds })}
        </Button>
      ) : null}
      {phase === 'recorded' ? (
        <div className="fu-actions">
          <Button onClick={() => setPhase('ready')} data-testid="followup-redo">
            {t('fu.rec.redo')}
          </Button>
          <Button color="primary" onClick={submit} data-testid="followup-send">
            {t('fu.rec.send')}
          </Button>
        </div>
      ) : null}
      {phase === 'sending' ? (
        <p className="muted" data-testid="followup-progress">
          {send.isSuccess ? t('fu.rec.transcribing') : t('fu.rec.uploading', { p: progress })}
        </p>
      ) : null}
    </div>
  );
}
