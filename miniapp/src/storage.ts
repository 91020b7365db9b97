/**
 * localStorage with the failures handled. Some WebViews (and private browsing) throw on access or
 * on write; the app must still work then, it just forgets things between visits.
 */

/** Prefix for every key, so the app never collides with other pages on the same origin. */
const PREFIX = 'aiv.';

/** Reads a stored string, or null when absent or storage is unavailable. */
export function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(PREFIX + key);
  } catch {
    return null;
  }
}

/** Stores a string; a storage failure is ignored because every caller has an in-memory copy. */
export function writeStored(key: string, value: string): void {
  try {
    window.localStorage.setItem(PREFIX + key, value);
  } catch {
    // Storage full or blocked: the value lives only in memory for this visit.
  }
}

/** Removes a stored key, ignoring storage failures. */
export function removeStored(key: string): void {
  try {
    window.localStorage.removeItem(PREFIX + key);
  } catch {
    // Nothing stored, nothing to remove.
  }
}
