import { Readable } from 'node:stream';

/** A multipart/form-data body the upload route cannot use (answered as 400). */
export class FormError extends Error {}

/** Most bytes of fields and part headers read before the file part (they are tiny). */
const MAX_HEAD_BYTES = 64 * 1024;

/** The file part of a form upload, with the fields sent before it. */
export interface FormFile {
  fields: Map<string, string>;
  /** Field name, file name and content type the client gave the file part. */
  name: string;
  filename: string | null;
  contentType: string | null;
  /** The file's bytes as they arrive (never buffered whole). */
  stream: Readable;
}

/**
 * Streams the first file part out of a multipart/form-data body (what `dd.uploadFile` and HTML
 * forms send). Fields before the file are collected (at most 64 KB in all); the file is passed
 * on chunk by chunk, holding back only the few bytes that could be the start of the closing
 * boundary, so memory stays flat whatever the file size. Anything after the file is discarded.
 */
export async function openFormFile(body: AsyncIterable<Buffer>, contentType: string): Promise<FormFile> {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!/^multipart\/form-data/i.test(contentType) || !m)
    throw new FormError('The body must be multipart/form-data with a boundary');
  const delim = Buffer.from(`\r\n--${m[1] ?? m[2]}`);
  const it = body[Symbol.asyncIterator]();
  // A CRLF in front lets the first boundary match the same delimiter as the others.
  let buf = Buffer.from('\r\n');
  const more = async (what: string) => {
    if (buf.length > MAX_HEAD_BYTES) throw new FormError('The form fields before the file are too large');
    const r = await it.next();
    if (r.done) throw new FormError(`The form ended before ${what}`);
    buf = Buffer.concat([buf, r.value as Buffer]);
  };
  const fields = new Map<string, string>();
  for (;;) {
    let i = buf.indexOf(delim);
    while (i === -1) {
      await more('the file part');
      i = buf.indexOf(delim);
    }
    buf = buf.subarray(i + delim.length);
    while (buf.length < 2) await more('the file part');
    if (buf[0] === 0x2d && buf[1] === 0x2d) throw new FormError('The form has no file part');
    let h = buf.indexOf('\r\n\r\n');
    while (h === -1) {
      await more('the part headers ended');
      h = buf.indexOf('\r\n\r\n');
    }
    const headers = buf.subarray(2, h).toString('utf8');
    buf = buf.subarray(h + 4);
    const name = /\bname="([^"]*)"/i.exec(headers)?.[1] ?? '';
    const filename = /\bfilename="([^"]*)"/i.exec(headers)?.[1] ?? null;
    if (filename !== null || name === 'file') {
      return {
        fields,
        name,
        filename,
        contentType: /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim().toLowerCase() ?? null,
        stream: Readable.from(fileBytes(), { objectMode: false }),
      };
    }
    let j = buf.indexOf(delim);
    while (j === -1) {
      await more('the field ended');
      j = buf.indexOf(delim);
    }
    fields.set(name, buf.subarray(0, j).toString('utf8'));
    buf = buf.subarray(j);
  }

  async function* fileBytes(): AsyncGenerator<Buffer> {
    for (;;) {
      const j = buf.indexOf(delim);
      if (j !== -1) {
        if (j > 0) yield buf.subarray(0, j);
        buf = Buffer.alloc(0);
        // Drain the epilogue so the client sees a complete request.
        while (!(await it.next()).done) {}
        return;
      }
      const keep = Math.min(buf.length, delim.length - 1);
      if (buf.length > keep) {
        yield buf.subarray(0, buf.length - keep);
        buf = buf.subarray(buf.length - keep);
      }
      const r = await it.next();
      if (r.done) throw new FormError('The form ended inside the file');
      buf = Buffer.concat([buf, r.value as Buffer]);
    }
  }
}
