/**
 * Checks of an uploaded résumé file before it is stored: the kind by its magic bytes (never the
 * name or the declared type), the size, a PDF's page count (pdfinfo, time-limited), a DOCX's zip
 * directory (entry count, total uncompressed size and compression ratio: a decompression bomb
 * is refused before anything inflates it) and a photo's pixel count from its header. Each
 * refusal is an {@link AppError} whose code names the problem and whose message names the field.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  RESUME_DOCX_MAX_ENTRIES,
  RESUME_DOCX_MAX_RATIO,
  RESUME_DOCX_MAX_UNCOMPRESSED,
  RESUME_MAX_BYTES,
  RESUME_MAX_PAGES,
  RESUME_MAX_PIXELS,
  type ResumeKind,
} from '../../../shared/api/resumes';
import { AppError } from '../../kernel/errors';
import { lowerToolPriority } from '../../kernel/proc/priority';

/** The kind of a file by its first bytes, or null when it is none of the accepted kinds. */
export function sniffKind(buf: Buffer): ResumeKind | null {
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'docx';
  return null;
}

/** One entry of a zip's central directory. */
export interface ZipEntry {
  name: string;
  compressed: number;
  uncompressed: number;
}

/** Reads a zip's central directory (no inflating). Throws on a malformed or ZIP64 archive. */
export function zipEntries(buf: Buffer): ZipEntry[] {
  // End of central directory: 22 bytes plus a comment of at most 65535.
  const from = Math.max(0, buf.length - 22 - 65535);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new Error('ZIP64 archives are not accepted');
  const out: ZipEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const compressed = buf.readUInt32LE(p + 20);
    const uncompressed = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    if (compressed === 0xffffffff || uncompressed === 0xffffffff)
      throw new Error('ZIP64 entries are not accepted');
    out.push({ name: buf.subarray(p + 46, p + 46 + nameLen).toString('utf8'), compressed, uncompressed });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Width and height of a PNG or JPEG from its header, or null when the header cannot be read. */
export function imageSize(buf: Buffer, kind: 'png' | 'jpeg'): { width: number; height: number } | null {
  if (kind === 'png') {
    if (buf.length < 24 || buf.subarray(12, 16).toString('latin1') !== 'IHDR') return null;
    return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  }
  let p = 2;
  while (p + 9 < buf.length) {
    if (buf[p] !== 0xff) return null;
    const marker = buf[p + 1];
    // Fill bytes and markers without a length.
    if (marker === 0xff) {
      p++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2;
      continue;
    }
    const len = buf.readUInt16BE(p + 2);
    // Start-of-frame markers (baseline, progressive, ...) carry the size; C4, C8 and CC do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: buf.readUInt16BE(p + 5), width: buf.readUInt16BE(p + 7) };
    p += 2 + len;
  }
  return null;
}

/**
 * Runs a tool with a time limit; resolves with its stdout, rejects on failure or timeout.
 * `foreground`: a request is waiting on it (pdfinfo at upload), so it keeps the process's CPU
 * priority; otherwise (extraction and OCR in the worker) it yields to request handling
 * (`kernel/proc/priority.ts`).
 */
export function runTool(
  cmd: string,
  args: string[],
  opts: { timeoutMs: number; maxBuffer?: number; env?: NodeJS.ProcessEnv; foreground?: boolean },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      {
        timeout: opts.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: opts.maxBuffer ?? 16 * 1024 * 1024,
        encoding: 'utf8',
        env: opts.env ?? { PATH: process.env.PATH, OMP_THREAD_LIMIT: '1' },
      },
      (err, stdout) => {
        if (err) {
          const e = err as Error & { killed?: boolean; signal?: string };
          reject(
            Object.assign(new Error(`${cmd} failed: ${e.message.slice(0, 200)}`), {
              timedOut: e.killed === true,
            }),
          );
        } else resolve(stdout);
      },
    );
    if (!opts.foreground) lowerToolPriority(child.pid);
  });
}

/** Page count of a PDF (pdfinfo, at most 10 s). */
export async function pdfPages(file: string): Promise<number> {
  const out = await runTool('pdfinfo', [file], { timeoutMs: 10_000, foreground: true });
  const m = /^Pages:\s+(\d+)/m.exec(out);
  if (!m) throw new Error('pdfinfo reported no page count');
  return Number(m[1]);
}

/** What the checks learnt about an accepted file. */
export interface CheckedFile {
  kind: ResumeKind;
  pages: number | null;
}

/**
 * Checks a résumé file held in memory (at most {@link RESUME_MAX_BYTES}). Throws a 4xx
 * {@link AppError} naming the field `file` for anything refused.
 */
export async function checkResumeFile(buf: Buffer): Promise<CheckedFile> {
  if (buf.length === 0) throw new AppError('resume_empty', 'The file is empty (field "file")');
  if (buf.length > RESUME_MAX_BYTES)
    throw new AppError(
      'resume_too_large',
      `The file is larger than ${RESUME_MAX_BYTES} bytes (field "file")`,
      {
        field: 'file',
        maxMegabytes: RESUME_MAX_BYTES / 1024 / 1024,
      },
    );
  const kind = sniffKind(buf);
  if (!kind)
    throw new AppError(
      'resume_wrong_type',
      'The file is not a PDF, DOCX, JPEG or PNG by its content (field "file")',
      {
        field: 'file',
      },
    );
  if (kind === 'docx') {
    let entries: ZipEntry[];
    try {
      entries = zipEntries(buf);
    } catch (err) {
      throw new AppError(
        'resume_unreadable',
        `The DOCX cannot be read: ${(err as Error).message} (field "file")`,
        {
          field: 'file',
        },
      );
    }
    if (!entries.some((e) => e.name === 'word/document.xml'))
      throw new AppError(
        'resume_wrong_type',
        'The zip is not a Word document: no word/document.xml (field "file")',
        {
          field: 'file',
        },
      );
    const total = entries.reduce((a, e) => a + e.uncompressed, 0);
    const worst = Math.max(
      ...entries.map((e) => (e.compressed ? e.uncompressed / e.compressed : e.uncompressed)),
    );
    if (
      entries.length > RESUME_DOCX_MAX_ENTRIES ||
      total > RESUME_DOCX_MAX_UNCOMPRESSED ||
      worst > RESUME_DOCX_MAX_RATIO
    )
      throw new AppError(
        'resume_docx_bomb',
        `The DOCX expands too much (${entries.length} entries, ${total} bytes, ratio ${Math.round(worst)}) (field "file")`,
        { field: 'file', entries: entries.length, uncompressed: total },
      );
    return { kind, pages: null };
  }
  if (kind === 'png' || kind === 'jpeg') {
    const size = imageSize(buf, kind);
    if (!size?.width || !size.height)
      throw new AppError('resume_unreadable', 'The image header cannot be read (field "file")', {
        field: 'file',
      });
    if (size.width * size.height > RESUME_MAX_PIXELS)
      throw new AppError(
        'resume_image_too_large',
        `The image has ${size.width}x${size.height} pixels, more than ${RESUME_MAX_PIXELS} (field "file")`,
        { field: 'file', ...size },
      );
    return { kind, pages: null };
  }
  // PDF: the page count from poppler, on a temporary copy.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'resume-check-'));
  try {
    const file = path.join(dir, 'in.pdf');
    await fs.writeFile(file, buf);
    let pages: number;
    try {
      pages = await pdfPages(file);
    } catch (err) {
      throw new AppError(
        'resume_unreadable',
        `The PDF cannot be read: ${(err as Error).message} (field "file")`,
        {
          field: 'file',
        },
      );
    }
    if (pages > RESUME_MAX_PAGES)
      throw new AppError(
        'resume_too_many_pages',
        `The PDF has ${pages} pages, more than ${RESUME_MAX_PAGES} (field "file")`,
        {
          field: 'file',
          pages,
          maxPages: RESUME_MAX_PAGES,
        },
      );
    if (pages < 1)
      throw new AppError('resume_unreadable', 'The PDF has no pages (field "file")', { field: 'file' });
    return { kind, pages };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
