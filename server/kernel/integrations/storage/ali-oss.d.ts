/** The parts of ali-oss (no published types) the storage driver uses. */
declare module 'ali-oss' {
  import type { Readable } from 'node:stream';

  interface OssOptions {
    endpoint: string;
    bucket: string;
    accessKeyId: string;
    accessKeySecret: string;
    region?: string;
    cname?: boolean;
    secure?: boolean;
    timeout?: number;
  }
  interface OssResponse {
    status: number;
    headers: Record<string, string>;
  }
  interface OssPart {
    PartNumber: string;
    ETag: string;
    Size: string;
    LastModified?: string;
  }
  class OSS {
    constructor(options: OssOptions);
    put(
      name: string,
      file: Buffer,
      options?: { mime?: string; headers?: Record<string, string> },
    ): Promise<{ name: string; res: OssResponse }>;
    putStream(
      name: string,
      stream: Readable,
      options?: { mime?: string; headers?: Record<string, string> },
    ): Promise<{ name: string; res: OssResponse }>;
    head(name: string): Promise<{ status: number; res: OssResponse }>;
    getStream(
      name: string,
      options?: { headers?: Record<string, string> },
    ): Promise<{ stream: Readable; res: OssResponse }>;
    get(
      name: string,
      options?: { headers?: Record<string, string> },
    ): Promise<{ content: Buffer; res: OssResponse }>;
    delete(name: string): Promise<{ res: OssResponse }>;
    signatureUrl(
      name: string,
      options?: {
        expires?: number;
        method?: string;
        'Content-Type'?: string;
        subResource?: Record<string, string>;
      },
    ): string;
    calculatePostSignature(policy: object): { OSSAccessKeyId: string; Signature: string; policy: string };
    multipartUpload(
      name: string,
      file: Buffer | string,
      options?: { partSize?: number; mime?: string; parallel?: number },
    ): Promise<{ name: string; res: OssResponse }>;
    initMultipartUpload(name: string, options?: { mime?: string }): Promise<{ uploadId: string }>;
    uploadPart(
      name: string,
      uploadId: string,
      partNo: number,
      file: string,
      start: number,
      end: number,
    ): Promise<{ name: string; etag: string }>;
    completeMultipartUpload(
      name: string,
      uploadId: string,
      parts: Array<{ number: number; etag: string }>,
    ): Promise<{ res: OssResponse }>;
    listParts(
      name: string,
      uploadId: string,
      query?: Record<string, string>,
    ): Promise<{
      res: OssResponse;
      isTruncated: string | boolean;
      nextPartNumberMarker?: string;
      parts: OssPart[] | OssPart | undefined;
    }>;
    abortMultipartUpload(name: string, uploadId: string): Promise<{ res: OssResponse }>;
  }
  export default OSS;
}
