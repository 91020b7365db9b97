import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';

const api = vi.hoisted(() => ({
  grant: vi.fn(),
  complete: vi.fn(),
  multipart: vi.fn(),
}));
vi.mock('./api', () => ({ interviewApi: api }));

const { CaptureCancelled, canCaptureWithDd, captureWithDd, ddMaxDuration, typeOfCapture } = await import(
  './ddCapture'
);

/** A fake DingTalk bridge recording its calls. */
function fakeDd(platform = 'android', file: { tempFilePath: string; size: number } | null = null) {
  return {
    env: { platform },
    chooseMedia: vi.fn(async (_opts: object) => ({
      tempFiles: file ? [{ ...file, duration: 12, fileType: 'mp4' }] : [],
    })),
    uploadFile: vi.fn(async (_opts: object) => ({ statusCode: 201, data: '{"complete":true}' })),
  };
}

const LOCAL = {
  mode: 'local' as const,
  attempt: 2,
  key: 'interviews/1/2/2-abc.mp4',
  url: '/api/uploads/tok.sig',
  contentType: 'video/mp4',
  minBytes: 1024,
  maxBytes: 300 * 1048576,
  expiresAt: '2026-01-01T00:00:00Z',
  chunkBytes: 4 << 20,
};

beforeEach(() => {
  vi.clearAllMocks();
  api.complete.mockResolvedValue({ ok: true, durationMs: 12000, answer: {} });
});

describe('DingTalk capture fallback (dd.chooseMedia + dd.uploadFile)', () => {
  it('is offered only inside DingTalk with the media APIs', () => {
    expect(canCaptureWithDd(fakeDd('ios'))).toBe(true);
    expect(canCaptureWithDd(fakeDd('notInDingTalk'))).toBe(false);
    expect(canCaptureWithDd({ env: { platform: 'android' } })).toBe(false);
    expect(canCaptureWithDd(null)).toBe(false);
  });

  it('caps the clip at 60 s and the question time; at least 3 s', () => {
    expect(ddMaxDuration(120)).toBe(60);
    expect(ddMaxDuration(45)).toBe(45);
    expect(ddMaxDuration(1)).toBe(3);
    expect(typeOfCapture('/tmp/x.MOV')).toBe('video/quicktime');
    expect(typeOfCapture('dingtalk://tmp/abc.mp4')).toBe('video/mp4');
  });

  it('local mode: records with the front camera, posts the file to the granted URL, then verifies', async () => {
    const dd = fakeDd('android', { tempFilePath: 'dingtalk://tmp/a.mp4', size: 800_000 });
    api.grant.mockResolvedValue({ grant: LOCAL });
    const progress = vi.fn();
    const v = await captureWithDd(dd, 7, 90, progress, 'https://hire.example.com');
    expect(dd.chooseMedia).toHaveBeenCalledWith({
      mediaType: 'video',
      sourceType: ['camera'],
      maxDuration: 60,
      camera: 'front',
      count: 1,
    });
    expect(api.grant).toHaveBeenCalledWith(7, { contentType: 'video/mp4', bytes: 800_000 });
    expect(dd.uploadFile).toHaveBeenCalledWith({
      url: 'https://hire.example.com/api/uploads/tok.sig',
      fileName: 'file',
      filePath: 'dingtalk://tmp/a.mp4',
      fileType: 'video',
      formData: { attempt: '2' },
    });
    expect(api.complete).toHaveBeenCalledWith(7, 2);
    expect(progress).toHaveBeenLastCalledWith(1, false);
    expect(v).toMatchObject({ ok: true });
  });

  it('OSS mode: the PostObject policy fields go as formData to OSS', async () => {
    const dd = fakeDd('ios', { tempFilePath: '/var/tmp/b.mov', size: 500_000 });
    const fields = { key: 'interviews/1/2/1-x.mov', policy: 'p', Signature: 's', OSSAccessKeyId: 'a' };
    api.grant.mockResolvedValue({
      grant: { ...LOCAL, mode: 'oss', attempt: 1, url: 'https://bucket.oss/', fields, partBytes: 2 << 20 },
    });
    await captureWithDd(dd, 7, 30, vi.fn());
    expect(dd.chooseMedia.mock.calls[0][0]).toMatchObject({ maxDuration: 30 });
    expect(api.grant).toHaveBeenCalledWith(7, { contentType: 'video/quicktime', bytes: 500_000 });
    expect(dd.uploadFile.mock.calls[0][0]).toMatchObject({ url: 'https://bucket.oss/', formData: fields });
  });

  it('cancelled capture asks for nothing; a refused upload is not verified', async () => {
    const none = fakeDd('android');
    await expect(captureWithDd(none, 7, 30, vi.fn())).rejects.toBeInstanceOf(CaptureCancelled);
    expect(api.grant).not.toHaveBeenCalled();

    const dd = fakeDd('android', { tempFilePath: 'a.mp4', size: 5000 });
    dd.uploadFile.mockResolvedValue({ statusCode: 403, data: '{"error":{"code":"grant_expired"}}' });
    api.grant.mockResolvedValue({ grant: LOCAL });
    const err = await captureWithDd(dd, 7, 30, vi.fn(), 'http://x').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(403);
    expect(api.complete).not.toHaveBeenCalled();
  });
});
