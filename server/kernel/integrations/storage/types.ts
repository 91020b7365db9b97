import type { Readable } from 'node:stream';

/** Metadata of a stored object. */
export interface ObjectInfo {
  size: number;
  contentType: string | null;
  etag: string | null;
}

/**
 * Object storage for interview media: the local disk in the embedded default, Alibaba Cloud
 * OSS (through ali-oss) in production. Keys are plain paths like
 * `interviews/<sessionId>/<questionId>/<attempt>.webm`. Implementations stream; nothing
 * buffers a whole video in memory.
 */
export interface ObjectStore {
  readonly driver: 'local' | 'oss';
  /** Stores an object (server-side writes; browsers upload through grants). */
  put(key: string, body: Readable | Buffer, opts: { contentType: string }): Promise<ObjectInfo>;
  /** Metadata, or null when the object does not exist. */
  head(key: string): Promise<ObjectInfo | null>;
  /** A readable stream of the object (optionally a byte range, inclusive). */
  openRead(key: string, range?: { start: number; end: number }): Promise<Readable>;
  /** A short-lived URL a browser or a provider (ASR) can GET the object from. */
  signedGetUrl(key: string, ttlSeconds: number): Promise<string>;
  /** Deletes the object; deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
}
