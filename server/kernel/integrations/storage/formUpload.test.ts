import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FormError, openFormFile } from './formUpload';

const B = 'XyZ--boundary';
const CT = `multipart/form-data; boundary=${B}`;

function form(file: Buffer, fields: Record<string, string> = {}): Buffer {
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${B}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  return Buffer.concat([
    Buffer.from(
      `${parts.join('')}--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${B}--\r\n`),
  ]);
}

/** Feeds a body in chunks of `size` bytes (1 = every boundary split across chunks). */
function chunks(body: Buffer, size: number): AsyncIterable<Buffer> {
  const out: Buffer[] = [];
  for (let i = 0; i < body.length; i += size) out.push(body.subarray(i, i + size));
  return Readable.from(out);
}

async function read(s: Readable): Promise<Buffer> {
  const got: Buffer[] = [];
  for await (const c of s) got.push(c as Buffer);
  return Buffer.concat(got);
}

describe('openFormFile (streaming multipart/form-data)', () => {
  // File bytes that contain CRLFs, dashes and most of the boundary, to trip a naive parser.
  const file = Buffer.concat([Buffer.from(`\r\n--${B.slice(0, -1)}\r\n--`), Buffer.alloc(20_000, 0xab)]);

  it.each([1, 7, 64 * 1024])('returns fields and the exact file bytes with %i-byte chunks', async (size) => {
    const f = await openFormFile(chunks(form(file, { token: 'abc', answerId: '7' }), size), CT);
    expect(Object.fromEntries(f.fields)).toEqual({ token: 'abc', answerId: '7' });
    expect(f).toMatchObject({ name: 'file', filename: 'a.mp4', contentType: 'video/mp4' });
    expect((await read(f.stream)).equals(file)).toBe(true);
  });

  it('passes the file on before the body ends (no whole-file buffering)', async () => {
    const body = form(Buffer.alloc(1024 * 1024, 1));
    let fed = 0;
    async function* slow() {
      for (let i = 0; i < body.length; i += 16 * 1024) {
        fed = i;
        yield body.subarray(i, i + 16 * 1024);
      }
    }
    const f = await openFormFile(slow(), CT);
    for await (const c of f.stream) {
      // The first file chunk arrives while most of the body is still unread.
      expect((c as Buffer).length).toBeLessThan(64 * 1024);
      expect(fed).toBeLessThan(body.length / 2);
      f.stream.destroy();
      break;
    }
  });

  it('refuses bodies that are not forms, have no file, or end inside the file', async () => {
    await expect(openFormFile(chunks(Buffer.from('x'), 1), 'video/mp4')).rejects.toBeInstanceOf(FormError);
    const noFile = Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--${B}--\r\n`);
    await expect(openFormFile(chunks(noFile, 5), CT)).rejects.toThrow(/no file part/);
    const cut = form(file).subarray(0, 5000);
    const f = await openFormFile(chunks(cut, 100), CT);
    await expect(read(f.stream)).rejects.toThrow(/ended inside the file/);
  });
});
