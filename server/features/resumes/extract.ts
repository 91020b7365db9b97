/**
 * Text extraction, run by the worker (never in a web request), each tool in a child process
 * with a time limit so a hostile or huge file cannot hold the worker: poppler's `pdftotext` for
 * PDFs with a text layer; `pdftoppm` + `tesseract -l chi_sim+eng` for scanned PDFs; tesseract for
 * photos (with local thresholding for their uneven light); mammoth for DOCX in a separate Node process with a small heap.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { ResumeKind } from '../../../shared/api/resumes';
import { runTool } from './intake';

/** Longest text kept (characters): ten dense pages. */
export const MAX_TEXT_CHARS = 60_000;

/** Time limits of the tools (ms). */
export const EXTRACT_LIMITS = { pdftotext: 20_000, pdftoppm: 30_000, ocrPage: 30_000, docx: 20_000 };

/** Why extraction failed, as a catalogued error code. */
export class ExtractError extends Error {
  constructor(
    readonly code: 'resume_extract_failed' | 'resume_extract_timeout' | 'resume_unreadable',
    message: string,
  ) {
    super(message);
  }
}

/** The extracted text and how it was obtained. */
export interface Extracted {
  text: string;
  method: 'pdftotext' | 'ocr' | 'mammoth';
  ms: number;
}

const require = createRequire(import.meta.url);

/**
 * Normalises extracted text: Unix newlines, page breaks as newlines, no trailing spaces, at most
 * one blank line in a row, capped length. Spaces between Chinese words stay: they are often the
 * only trace of a layout's columns (school | major | degree).
 */
export function normaliseText(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(/\f/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .slice(0, MAX_TEXT_CHARS);
}

const meaningful = (s: string) => s.replace(/\s+/g, '').length;

/**
 * OCR of one image. A phone photo is read with Sauvola's local thresholding: one global
 * threshold (tesseract's default) turns the darker corners, the desk around the page and the
 * uneven light of a photo into black regions, and whole lines were lost (measured on the
 * evaluation set's photos: most of the page missing, one line left on some). Scans, evenly lit,
 * keep the default.
 */
async function ocr(image: string, photo: boolean): Promise<string> {
  const args = [image, 'stdout', '-l', 'chi_sim+eng', '--psm', '3'];
  if (photo) args.push('-c', 'thresholding_method=2');
  return runTool('tesseract', args, { timeoutMs: EXTRACT_LIMITS.ocrPage });
}

async function docxText(file: string): Promise<string> {
  // A separate process with a 256 MB heap: a zip that lied about its sizes dies there, not here.
  const script = `require(process.argv[1]).extractRawText({ path: process.argv[2] }).then((r) => process.stdout.write(r.value), (e) => { process.stderr.write(String(e)); process.exit(1); });`;
  return runTool(
    process.execPath,
    ['--max-old-space-size=256', '-e', script, require.resolve('mammoth'), file],
    {
      timeoutMs: EXTRACT_LIMITS.docx,
    },
  );
}

/** Extracts the text of a stored résumé file (already checked at intake). */
export async function extractText(buf: Buffer, kind: ResumeKind, pages: number | null): Promise<Extracted> {
  const started = performance.now();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'resume-extract-'));
  try {
    const file = path.join(dir, `in.${kind}`);
    await fs.writeFile(file, buf);
    let text: string;
    let method: Extracted['method'];
    if (kind === 'pdf') {
      text = await runTool('pdftotext', ['-enc', 'UTF-8', file, '-'], {
        timeoutMs: EXTRACT_LIMITS.pdftotext,
      });
      method = 'pdftotext';
      // A scan has (next to) no text layer: rasterise the pages and read them.
      if (meaningful(text) < 30 * Math.max(1, pages ?? 1)) {
        await runTool('pdftoppm', ['-r', '200', '-gray', '-png', '-l', '10', file, path.join(dir, 'page')], {
          timeoutMs: EXTRACT_LIMITS.pdftoppm,
        });
        const images = (await fs.readdir(dir)).filter((f) => f.startsWith('page')).sort();
        const parts: string[] = [];
        for (const img of images) parts.push(await ocr(path.join(dir, img), false));
        text = parts.join('\n');
        method = 'ocr';
      }
    } else if (kind === 'docx') {
      text = await docxText(file);
      method = 'mammoth';
    } else {
      text = await ocr(file, true);
      method = 'ocr';
    }
    const clean = normaliseText(text);
    if (meaningful(clean) < 10) throw new ExtractError('resume_extract_failed', 'no text could be read');
    return { text: clean, method, ms: Math.round(performance.now() - started) };
  } catch (err) {
    if (err instanceof ExtractError) throw err;
    if ((err as { timedOut?: boolean }).timedOut)
      throw new ExtractError('resume_extract_timeout', (err as Error).message);
    throw new ExtractError('resume_unreadable', (err as Error).message);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
