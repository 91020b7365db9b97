import { Button, NoticeBar, ProgressBar, Space, TextArea } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { dingTalkApi } from '../dingtalk';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { type Answer, interviewApi, useAttemptVerdict, type Verification } from './api';
import type { DeviceResult } from './DeviceCheck';
import {
  CaptureCancelled,
  canCaptureWithDd,
  captureWithDd,
  type DdMediaApi,
  ddMaxDuration,
} from './ddCapture';
import { uploadAnswer } from './upload';

type Phase = 'think' | 'ready' | 'recording' | 'uploading' | 'review';

/** Counts down whole seconds from `from` while `running`; calls `onZero` once at 0. */
function useCountdown(from: number, running: boolean, onZero: () => void): number {
  const [left, setLeft] = useState(from);
  const zero = useRef(onZero);
  zero.current = onZero;
  useEffect(() => setLeft(from), [from]);
  useEffect(() => {
    if (!running) return;
    const started = Date.now();
    const id = setInterval(() => {
      const l = Math.max(0, from - Math.floor((Date.now() - started) / 1000));
      setLeft(l);
      if (l === 0) {
        clearInterval(id);
        zero.current();
      }
    }, 250);
    return () => clearInterval(id);
  }, [from, running]);
  return left;
}

/**
 * One question: think time, recording with time left and auto-stop, upload with progress
 * (resuming after drops), the server's verdict, review and retake within the allowance. Typed
 * answers get a character counter. The answer is locked once the candidate moves on.
 */
export function QuestionStep({
  answer: initial,
  device,
  onDone,
}: {
  answer: Answer;
  device: DeviceResult;
  onDone(): void;
}) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const [answer, setAnswer] = useState(initial);
  const q = answer.question;
  const initialPhase: Phase =
    answer.state === 'served'
      ? 'think'
      : answer.state === 'verified' || answer.state === 'late'
        ? 'review'
        : answer.state === 'uploaded'
          ? 'uploading'
          : 'ready';
  const [phase, setPhase] = useState<Phase>(initialPhase);
  const [recordSeconds, setRecordSeconds] = useState(q.answerSeconds);
  const [progress, setProgress] = useState({ p: answer.state === 'uploaded' ? 1 : 0, retrying: false });
  // The attempt whose media check (in a worker) the screen waits for; a reload while it runs
  // comes back to the same wait.
  const [checking, setChecking] = useState<number | null>(
    answer.state === 'uploaded' ? answer.attempts : null,
  );
  const polled = useAttemptVerdict(answer.id, checking);
  const [message, setMessage] = useState<{ kind: 'warning' | 'error' | 'info'; text: string } | null>(null);
  const [playback, setPlayback] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const recorder = useRef<MediaRecorder | null>(null);
  const live = useRef<HTMLVideoElement>(null);

  const fail = (err: unknown) =>
    setMessage({
      kind: 'error',
      text: errorOf(err),
    });

  // Inside DingTalk without getUserMedia: record with dd.chooseMedia instead of the page.
  const [dd, setDd] = useState<DdMediaApi | null>(null);
  useEffect(() => {
    if (device.stream) return;
    let live = true;
    void dingTalkApi().then((api) => {
      const candidate = api as unknown as Partial<DdMediaApi> | null;
      if (live && canCaptureWithDd(candidate)) setDd(candidate);
    });
    return () => {
      live = false;
    };
  }, [device.stream]);

  const upload = (blob: Blob, mime: string) =>
    send((onProgress) => uploadAnswer(answer.id, blob, mime, onProgress));

  const send = async (
    run: (onProgress: (p: number, retrying: boolean) => void) => ReturnType<typeof uploadAnswer>,
  ) => {
    setPhase('uploading');
    setProgress({ p: 0, retrying: false });
    try {
      const v = await run((p, retrying) => setProgress({ p, retrying }));
      if (v.status === 'checking') {
        setAnswer(v.answer);
        setChecking(v.attempt);
      } else showVerdict(v);
    } catch (err) {
      if (err instanceof CaptureCancelled) setMessage({ kind: 'info', text: t('iv.q.ddCancelled') });
      else fail(err);
      setPhase('ready');
    }
  };

  /** The same outcomes as when the request checked the recording itself. */
  const showVerdict = (v: Verification) => {
    setAnswer(v.answer);
    setChecking(null);
    if (v.status === 'checking') return;
    if (!v.ok) {
      setMessage({ kind: 'error', text: t('iv.q.broken') });
      setPhase('ready');
      return;
    }
    if (v.warning?.freeRetake) setMessage({ kind: 'warning', text: t('iv.q.flagged') });
    else if (v.answer.late) setMessage({ kind: 'info', text: t('iv.q.late') });
    else setMessage(null);
    setPhase('review');
  };
  const verdict = polled.data;
  const shown = useRef<Verification | null>(null);
  useEffect(() => {
    if (!verdict || verdict.status === 'checking' || shown.current === verdict) return;
    shown.current = verdict;
    showVerdict(verdict);
  });

  const startRecording = async () => {
    if (!device.stream || !device.mime) return;
    setMessage(null);
    setPlayback(null);
    try {
      const r = await interviewApi.startAnswer(answer.id);
      setAnswer(r.answer);
      // The server's clock decides; a window already past still records the full time (flagged late).
      setRecordSeconds(
        r.answer.answerSecondsLeft > 0
          ? Math.min(q.answerSeconds, r.answer.answerSecondsLeft)
          : q.answerSeconds,
      );
    } catch (err) {
      fail(err);
      return;
    }
    const mime = device.mime;
    const rec = new MediaRecorder(device.stream, { mimeType: mime });
    const chunks: Blob[] = [];
    rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
    rec.onstop = () => {
      const blob = new Blob(chunks, { type: mime });
      setPlayback(URL.createObjectURL(blob));
      void upload(blob, mime);
    };
    recorder.current = rec;
    rec.start(1000);
    setPhase('recording');
  };

  const stop = () => {
    if (recorder.current && recorder.current.state !== 'inactive') recorder.current.stop();
  };

  const thinkLeft = useCountdown(
    answer.thinkSecondsLeft,
    phase === 'think' && q.answerType !== 'text',
    () => {
      if (device.stream) void startRecording();
      else setPhase('ready');
    },
  );
  const recordLeft = useCountdown(recordSeconds, phase === 'recording', stop);

  useEffect(() => {
    if (live.current && device.stream && phase === 'recording') live.current.srcObject = device.stream;
  }, [device.stream, phase]);

  const retake = async () => {
    setBusy(true);
    try {
      const r = await interviewApi.retake(answer.id);
      setAnswer(r.answer);
      setMessage(null);
      setPhase('ready');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const accept = async () => {
    setBusy(true);
    try {
      await interviewApi.accept(answer.id);
      onDone();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const submitText = async () => {
    setBusy(true);
    try {
      await interviewApi.text(answer.id, text);
      onDone();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const header = (
    <header className="iv-qhead">
      <span data-testid="iv-progress">
        {q.practice ? t('iv.q.practice') : t('iv.q.progress', { k: answer.position.k, n: answer.position.n })}
      </span>
      <h3 className="iv-qtext" data-testid="iv-question-text">
        {q.text}
      </h3>
      {q.promptMediaKind === 'image' && q.promptMediaUrl ? (
        <img src={q.promptMediaUrl} alt="" className="iv-prompt" />
      ) : null}
      {q.promptMediaKind === 'video' && q.promptMediaUrl ? (
        // biome-ignore lint/a11y/useMediaCaption: prompt videos come from HR
        <video src={q.promptMediaUrl} controls playsInline className="iv-prompt" />
      ) : null}
    </header>
  );

  if (q.answerType === 'text')
    return (
      <div className="iv-card" data-testid="iv-question">
        {header}
        <TextArea
          placeholder={t('iv.q.text')}
          value={text}
          onChange={setText}
          maxLength={q.maxChars}
          rows={6}
          data-testid="iv-text"
        />
        <div className="muted" data-testid="iv-chars">
          {t('iv.q.chars', { n: text.length, max: q.maxChars })}
        </div>
        {message ? <NoticeBar content={message.text} color="alert" wrap /> : null}
        <Button
          block
          color="primary"
          disabled={!text.trim()}
          loading={busy}
          onClick={submitText}
          data-testid="iv-submit-text"
        >
          {t('iv.q.submitText')}
        </Button>
      </div>
    );

  const retakeLabel =
    answer.retakesLeft === null ? t('iv.q.retakeUnlimited') : t('iv.q.retake', { n: answer.retakesLeft });
  const canRetake =
    (answer.retakesLeft === null || answer.retakesLeft > 0 || message?.kind === 'warning') && !answer.late;

  // What a screen reader hears: phase changes and the last ten seconds, not every tick (the
  // visible countdowns are role="timer", which screen readers do not read out by themselves).
  const spoken =
    phase === 'think'
      ? thinkLeft > 10
        ? t('iv.sr.think', { s: q.thinkSeconds })
        : t('iv.sr.thinkEnding')
      : phase === 'recording'
        ? recordLeft > 10
          ? t('iv.sr.recording')
          : t('iv.sr.recordingEnding')
        : phase === 'uploading'
          ? t('iv.sr.uploading')
          : phase === 'review'
            ? t('iv.q.received')
            : '';

  return (
    <div className="iv-card" data-testid="iv-question" data-phase={phase}>
      <div className="sr-only" aria-live="polite" data-testid="iv-announce">
        {spoken}
      </div>
      {header}
      {message ? (
        <NoticeBar
          content={message.text}
          color={message.kind === 'info' ? 'info' : 'alert'}
          wrap
          data-testid="iv-message"
        />
      ) : null}
      {phase === 'think' ? (
        <Space direction="vertical" block>
          <div className="iv-big" role="timer" data-testid="iv-think">
            {t('iv.q.think', { s: thinkLeft })}
          </div>
          <div className="muted">{t('iv.q.answerLeft', { s: q.answerSeconds })}</div>
          <Button
            block
            color="primary"
            onClick={() => void startRecording()}
            disabled={!device.stream}
            data-testid="iv-start-recording"
          >
            {t('iv.q.startNow')}
          </Button>
        </Space>
      ) : null}
      {phase === 'ready' ? (
        device.stream ? (
          <Button
            block
            color="primary"
            onClick={() => void startRecording()}
            data-testid="iv-start-recording"
          >
            {t('iv.q.startNow')}
          </Button>
        ) : (
          <Space direction="vertical" block>
            {dd && q.answerType !== 'audio' && !device.audioOnly ? (
              <>
                <span className="muted" data-testid="iv-dd-hint">
                  {t('iv.q.ddHint', { s: ddMaxDuration(q.answerSeconds) })}
                </span>
                <Button
                  block
                  color="primary"
                  data-testid="iv-dd-record"
                  onClick={() =>
                    void send((onProgress) => captureWithDd(dd, answer.id, q.answerSeconds, onProgress))
                  }
                >
                  {t('iv.q.ddRecord', { s: ddMaxDuration(q.answerSeconds) })}
                </Button>
              </>
            ) : null}
            <span className="muted">{t('iv.q.fileHint', { s: q.answerSeconds })}</span>
            <input
              type="file"
              accept={q.answerType === 'audio' || device.audioOnly ? 'audio/*' : 'video/*'}
              capture="user"
              data-testid="iv-file"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void upload(f, f.type || 'video/mp4');
              }}
            />
          </Space>
        )
      ) : null}
      {phase === 'recording' ? (
        <Space direction="vertical" block>
          {device.audioOnly || q.answerType === 'audio' ? null : (
            <video ref={live} className="iv-preview" autoPlay muted playsInline />
          )}
          <div className="iv-big iv-rec" role="timer" data-testid="iv-recording">
            ● {t('iv.q.recording', { s: recordLeft })}
          </div>
          <Button block color="danger" onClick={stop} data-testid="iv-stop">
            {t('iv.q.stop')}
          </Button>
        </Space>
      ) : null}
      {phase === 'uploading' ? (
        <Space direction="vertical" block>
          <ProgressBar percent={Math.round(progress.p * 100)} data-testid="iv-upload-progress" />
          <span className="muted">
            {progress.p >= 1
              ? t('iv.q.verifying')
              : progress.retrying
                ? t('iv.q.retrying', { p: Math.round(progress.p * 100) })
                : t('iv.q.uploading', { p: Math.round(progress.p * 100) })}
          </span>
        </Space>
      ) : null}
      {phase === 'review' ? (
        <Space direction="vertical" block>
          <div className="iv-ok" data-testid="iv-received">
            ✓ {t('iv.q.received')}
          </div>
          {playback ? (
            // biome-ignore lint/a11y/useMediaCaption: the candidate's own recording
            <video src={playback} controls playsInline className="iv-preview" />
          ) : null}
          {canRetake ? (
            <Button block onClick={retake} loading={busy} data-testid="iv-retake">
              {retakeLabel}
            </Button>
          ) : null}
          <Button block color="primary" onClick={accept} loading={busy} data-testid="iv-next">
            {t('iv.q.next')}
          </Button>
        </Space>
      ) : null}
    </div>
  );
}
