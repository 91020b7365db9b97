/**
 * What the server hands the browser to upload one recording attempt: the server's own
 * resumable route (local storage) or an OSS PostObject form (the browser posts straight to OSS).
 */
export type UploadGrant =
  | {
      mode: 'local';
      attempt: number;
      key: string;
      url: string;
      contentType: string;
      minBytes: number;
      maxBytes: number;
      expiresAt: string;
      /** Bytes per PUT; resume with HEAD (Upload-Offset) after a network drop. */
      chunkBytes: number;
    }
  | {
      mode: 'oss';
      attempt: number;
      key: string;
      url: string;
      fields: Record<string, string>;
      contentType: string;
      minBytes: number;
      maxBytes: number;
      expiresAt: string;
      /**
       * Recordings larger than this go up as an OSS multipart upload (resumable part by part,
       * each part PUT to a URL the server signs); smaller ones use the PostObject form.
       */
      partBytes: number;
    };

/**
 * Answer of `POST /api/interview/answers/:id/multipart` (OSS mode): the upload id, the parts OSS
 * already holds (after a network drop) and a signed PUT URL for every part still missing.
 */
export interface MultipartState {
  uploadId: string;
  partBytes: number;
  partCount: number;
  /** Parts OSS already has with their sizes (ListParts). */
  uploaded: Array<{ partNumber: number; size: number }>;
  /** Signed PUT URLs of the parts still to send. */
  urls: Array<{ partNumber: number; url: string }>;
  /** When the part URLs stop working; ask again with `op: 'resume'`. */
  expiresAt: string;
  /** Set by `op: 'complete'`: the object is assembled. */
  completed?: { bytes: number };
}
