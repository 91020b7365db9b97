import type { Config } from '../../config';
import { LocalObjectStore } from './local';
import { OssObjectStore } from './oss';

export { LocalObjectStore, OffsetMismatchError, TooLargeError } from './local';
export { isRegionalEndpoint, OssObjectStore, type PostObjectForm } from './oss';
export type { ObjectInfo, ObjectStore } from './types';

/** The configured object store: local disk (demo default) or OSS. */
export type AppObjectStore = LocalObjectStore | OssObjectStore;

/**
 * Creates the object store `config.storage` describes. Local signed URLs point at this
 * server's `/api/objects` route and are signed with a key derived from the session secret.
 */
export function createObjectStore(config: Config, now: () => number = Date.now): AppObjectStore {
  const s = config.storage;
  if (s.driver === 'oss') return new OssObjectStore(s, now);
  return new LocalObjectStore(s.dir, config.publicUrl, config.session.secret, now);
}
