import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertObjectKey, deriveKey, signToken } from './signing';
import type { ObjectInfo, ObjectStore } from './types';

/** Thrown by {@link LocalObjectStore.writeChunk} when the client's offset is not where the file ends. */
export class OffsetMismatchError extends Error {
  constructor(readonly currentOffset: number) {
    super(`upload offset mismatch: the server has ${currentOffset} bytes`);
  }
}

/** Thrown when a chunk would make the object larger than announced or allowed. */
export class TooLargeError extends Error {}

interface Meta {
  contentType: string | null;
  etag: string | null;
}

/**
 * Objects as files under one folder: `<dir>/<key>`, metadata in `<dir>/.meta/<key>.json`,
 * resumable uploads in `<dir>/.partial/<key>`. Every write streams to a temporary file and is
 * renamed into place, so a reader never sees half an object.
 */
export class LocalObjectStore implements ObjectStore {
  readonly driver = 'local' as const;
  readonly #getKey: Buffer;
  /** One chunk write per key at a time (two tabs resuming the same upload). */
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(
    readonly dir: string,
    /** Base URL of this server (signed download URLs point at `/api/objects/...`). */
    readonly publicUrl: string,
    secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.#getKey = deriveKey(secret, 'get');
  }

  /** Key used to sign download URLs (the objects route verifies with it). */
  get downloadKey(): Buffer {
    return this.#getKey;
  }

  /** The file of an object (ffmpeg reads it directly). */
  filePath(key: string): string {
    assertObjectKey(key);
    return path.join(this.dir, key);
  }
  #meta(key: string): string {
    return path.join(this.dir, '.meta', `${key}.json`);
  }
  /** Path of the partial file of a resumable upload. */
  partialPath(key: string): string {
    assertObjectKey(key);
    return path.join(this.dir, '.partial', key);
  }

  async put(key: string, body: Readable | Buffer, opts: { contentType: string }): Promise<ObjectInfo> {
    const file = this.filePath(key);
    const tmpDir = path.join(this.dir, '.tmp');
    await fsp.mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, randomBytes(8).toString('hex'));
    const md5 = createHash('md5');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        md5.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, tap, fs.createWriteStream(tmp));
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await fsp.rename(tmp, file);
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      throw err;
    }
    const meta: Meta = { contentType: opts.contentType, etag: md5.digest('hex') };
    await this.#writeMeta(key, meta);
    return { size, ...meta };
  }

  async #writeMeta(key: string, meta: Meta): Promise<void> {
    const m = this.#meta(key);
    await fsp.mkdir(path.dirname(m), { recursive: true });
    await fsp.writeFile(m, JSON.stringify(meta));
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const file = this.filePath(key);
    const st = await fsp.stat(file).catch(() => null);
    if (!st?.isFile()) return null;
    const meta = (await fsp
      .readFile(this.#meta(key), 'utf8')
      .then((t) => JSON.parse(t) as Meta)
      .catch(() => null)) ?? { contentType: null, etag: null };
    return { size: st.size, contentType: meta.contentType, etag: meta.etag };
  }

  async openRead(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const file = this.filePath(key);
    await fsp.access(file);
    return fs.createReadStream(file, range ? { start: range.start, end: range.end } : undefined);
  }

  async signedGetUrl(key: string, ttlSeconds: number): Promise<string> {
    assertObjectKey(key);
    const token = signToken(this.#getKey, {
      use: 'get',
      key,
      exp: Math.floor(this.now() / 1000) + ttlSeconds,
    });
    return `${this.publicUrl}/api/objects/${key}?t=${encodeURIComponent(token)}`;
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.filePath(key), { force: true });
    await fsp.rm(this.#meta(key), { force: true });
    await fsp.rm(this.partialPath(key), { force: true });
  }

  /** Bytes received so far for a resumable upload of `key` (0 when none). */
  async uploadedBytes(key: string): Promise<number> {
    const st = await fsp.stat(this.partialPath(key)).catch(() => null);
    return st?.size ?? 0;
  }

  /**
   * Appends one chunk of a resumable upload at `offset`, streaming to disk. When the partial
   * file reaches `total` bytes it becomes the object. A chunk at the wrong offset is refused
   * with the server's offset so the client resumes from there; a chunk past `total` is refused.
   */
  async writeChunk(
    key: string,
    opts: { offset: number; total: number; contentType: string },
    body: Readable,
  ): Promise<{ offset: number; complete: boolean }> {
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.#writeChunk(key, opts, body));
    this.#locks.set(key, run);
    try {
      return await run;
    } finally {
      if (this.#locks.get(key) === run) this.#locks.delete(key);
    }
  }

  async #writeChunk(
    key: string,
    opts: { offset: number; total: number; contentType: string },
    body: Readable,
  ): Promise<{ offset: number; complete: boolean }> {
    const partial = this.partialPath(key);
    await fsp.mkdir(path.dirname(partial), { recursive: true });
    const have = await this.uploadedBytes(key);
    if (have !== opts.offset) {
      body.resume();
      throw new OffsetMismatchError(have);
    }
    let written = 0;
    const room = opts.total - opts.offset;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        written += chunk.length;
        if (written > room) cb(new TooLargeError('the upload is larger than announced'));
        else cb(null, chunk);
      },
    });
    try {
      await pipeline(body, limit, fs.createWriteStream(partial, { flags: 'a' }));
    } catch (err) {
      // Keep what arrived intact so the client can resume; cut a chunk that overflowed.
      if (err instanceof TooLargeError) await fsp.truncate(partial, opts.offset);
      throw err;
    }
    const offset = opts.offset + written;
    if (offset < opts.total) return { offset, complete: false };
    const file = this.filePath(key);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.rename(partial, file);
    await this.#writeMeta(key, { contentType: opts.contentType, etag: null });
    return { offset, complete: true };
  }
}
