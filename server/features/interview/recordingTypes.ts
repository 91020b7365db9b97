/**
 * Content types a recording may have (MediaRecorder's choices on Chromium, Safari, Android), with
 * the object key's extension for each. In a module of its own so the grant bench's bare baseline
 * shares it without loading the interview service.
 */
export const RECORDING_TYPES = {
  'video/webm': 'webm',
  'video/mp4': 'mp4',
  /** iPhone camera files chosen through the file-input fallback. */
  'video/quicktime': 'mov',
  'audio/webm': 'webm',
  'audio/mp4': 'm4a',
  'audio/ogg': 'ogg',
} as const;
/** A recording content type. */
export type RecordingType = keyof typeof RECORDING_TYPES;
