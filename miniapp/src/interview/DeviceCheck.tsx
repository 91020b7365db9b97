import { Button, NoticeBar, ProgressBar, Space } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../locale';
import { pickRecorderMime, probeUploadMbps } from './upload';

/** What the device check hands to the questions. */
export interface DeviceResult {
  /** Live camera/microphone stream, or null when answers go through the file-input fallback. */
  stream: MediaStream | null;
  audioOnly: boolean;
  mime: string | null;
}

/** Microphone level (0..1) of a stream, updated every animation frame. */
function useMicLevel(stream: MediaStream | null): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!stream || stream.getAudioTracks().length === 0 || typeof AudioContext === 'undefined') return;
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const buf = new Uint8Array(analyser.fftSize);
    let raf = 0;
    const tick = () => {
      analyser.getByteTimeDomainData(buf);
      let sum = 0;
      for (const v of buf) sum += ((v - 128) / 128) ** 2;
      setLevel(Math.min(1, Math.sqrt(sum / buf.length) * 4));
      raf = requestAnimationFrame(tick);
    };
    tick();
    return () => {
      cancelAnimationFrame(raf);
      void ctx.close();
    };
  }, [stream]);
  return level;
}

/**
 * Camera and microphone check: permission (with a recovery path when denied), live preview,
 * microphone level, a 3-second test recording played back, upload speed and the recording
 * format. Offers audio only when the camera cannot work, and the phone's own camera app
 * (file input with `capture`) when the browser cannot record at all.
 */
export function DeviceCheck({
  initialAudioOnly,
  onReady,
}: {
  initialAudioOnly: boolean;
  onReady(r: DeviceResult): void;
}) {
  const { t } = useI18n();
  const [audioOnly, setAudioOnly] = useState(initialAudioOnly);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [denied, setDenied] = useState<string | null>(null);
  const [testUrl, setTestUrl] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const [mbps, setMbps] = useState<number | null>(null);
  const preview = useRef<HTMLVideoElement>(null);
  const level = useMicLevel(stream);
  const canRecord =
    typeof navigator !== 'undefined' &&
    !!navigator.mediaDevices?.getUserMedia &&
    typeof MediaRecorder !== 'undefined';
  const mime = canRecord ? pickRecorderMime(audioOnly) : null;

  const ask = useCallback(async (audio: boolean) => {
    setDenied(null);
    try {
      const s = await navigator.mediaDevices.getUserMedia({
        audio: true,
        video: audio ? false : { facingMode: 'user', width: 640, height: 480 },
      });
      setStream((old) => {
        for (const tr of old?.getTracks() ?? []) tr.stop();
        return s;
      });
    } catch (err) {
      setDenied(err instanceof Error ? err.name : 'Error');
    }
  }, []);

  useEffect(() => {
    if (canRecord) void ask(audioOnly);
  }, [ask, audioOnly, canRecord]);

  useEffect(() => {
    if (preview.current && stream) preview.current.srcObject = stream;
  }, [stream]);

  useEffect(() => {
    probeUploadMbps().then(setMbps, () => setMbps(null));
  }, []);

  const testRecord = () => {
    if (!stream || !mime) return;
    setTesting(true);
    const rec = new MediaRecorder(stream, { mimeType: mime });
    const chunks: Blob[] = [];
    rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
    rec.onstop = () => {
      setTestUrl(URL.createObjectURL(new Blob(chunks, { type: mime })));
      setTesting(false);
    };
    rec.start();
    setTimeout(() => rec.state !== 'inactive' && rec.stop(), 3000);
  };

  if (!canRecord)
    return (
      <div data-testid="iv-device-fallback">
        <NoticeBar content={t('iv.device.fileFallback')} color="info" wrap />
        <Button block color="primary" onClick={() => onReady({ stream: null, audioOnly, mime: null })}>
          {t('iv.device.ok')}
        </Button>
      </div>
    );

  if (denied)
    return (
      <div data-testid="iv-device-denied" className="iv-card">
        <h3>{t('iv.device.denied')}</h3>
        <p className="muted">{t('iv.device.deniedHelp')}</p>
        <p className="muted">({denied})</p>
        <Space direction="vertical" block>
          <Button block color="primary" data-testid="iv-device-retry" onClick={() => void ask(audioOnly)}>
            {t('iv.device.retry')}
          </Button>
          {!audioOnly ? (
            <Button block data-testid="iv-device-audio-only" onClick={() => setAudioOnly(true)}>
              {t('iv.device.audioOnly')}
            </Button>
          ) : null}
          <Button
            block
            data-testid="iv-device-file"
            onClick={() => onReady({ stream: null, audioOnly, mime: null })}
          >
            {t('iv.device.fileFallback')}
          </Button>
        </Space>
      </div>
    );

  return (
    <div data-testid="iv-device" className="iv-card">
      <h3>{t('iv.device.title')}</h3>
      {!stream ? <p className="muted">{t('iv.device.asking')}</p> : null}
      {!audioOnly ? <video ref={preview} className="iv-preview" autoPlay muted playsInline /> : null}
      <div className="iv-row">
        <span>{t('iv.device.level')}</span>
        <ProgressBar percent={Math.round(level * 100)} style={{ flex: 1 }} data-testid="iv-level" />
      </div>
      <div className="iv-row">
        <span>{t('iv.device.format')}</span>
        <code data-testid="iv-format">{mime ?? '—'}</code>
      </div>
      <div className="iv-row">
        <span>{t('iv.device.speed')}</span>
        <span data-testid="iv-speed">{mbps === null ? '…' : t('iv.device.speedValue', { v: mbps })}</span>
      </div>
      <Space direction="vertical" block>
        <Button
          block
          disabled={!stream || testing}
          loading={testing}
          onClick={testRecord}
          data-testid="iv-test-record"
        >
          {t('iv.device.testRecord')}
        </Button>
        {testUrl ? (
          <>
            <span className="muted">{t('iv.device.testPlay')}</span>
            {/* biome-ignore lint/a11y/useMediaCaption: the candidate's own test recording */}
            <video src={testUrl} controls playsInline className="iv-preview" data-testid="iv-test-playback" />
          </>
        ) : null}
        {!audioOnly ? (
          <Button block fill="none" onClick={() => setAudioOnly(true)} data-testid="iv-device-audio-only">
            {t('iv.device.audioOnly')}
          </Button>
        ) : null}
        <Button
          block
          color="primary"
          disabled={!stream}
          onClick={() => onReady({ stream, audioOnly, mime })}
          data-testid="iv-device-ok"
        >
          {t('iv.device.ok')}
        </Button>
      </Space>
    </div>
  );
}
