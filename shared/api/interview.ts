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
    };
