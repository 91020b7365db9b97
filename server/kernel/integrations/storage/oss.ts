import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type OSS from 'ali-oss';
import { assertObjectKey } from './signing';
import type { ObjectInfo, ObjectStore } from './types';

// ali-oss (~27 MB resident) is required when an OSS store is created, not when this module is
// imported: a process on local storage never loads it.
const require = createRequire(import.meta.url);

/** Settings of the OSS driver (from `config.storage`). */
export interface OssSettings {
  endpoint: string;
  region?: string;
  bucket: string;
  accessKeyId: string;
  accessKeySecret: string;
}

/** Form fields and target of a browser PostObject upload. */
export interface PostObjectForm {
  url: string;
  fields: Record<string, string>;
  /** The policy document as signed (tests and the audit read it). */
  policy: { expiration: string; conditions: unknown[] };
}

/** One part of a multipart upload as OSS lists it. */
export interface UploadedPart {
  partNumber: number;
  size: number;
  etag: string;
}

/**
 * A regional endpoint (`oss-cn-hangzhou.aliyuncs.com`) takes the bucket as a sub-domain; any
 * other host (a bound custom domain, the local sandbox) serves one bucket at its root, which
 * is ali-oss's `cname` mode. ali-oss refuses IP endpoints for signed URLs, so the sandbox is
 * addressed as `localhost`.
 */
export function isRegionalEndpoint(endpoint: string): boolean {
  return /^oss-[a-z0-9-]+(\.internal)?\.aliyuncs\.com$/.test(new URL(endpoint).hostname);
}

/**
 * The origin browsers talk to for a bucket (uploads, signed playback URLs): the bucket's own
 * sub-domain of a regional endpoint, or the endpoint itself (custom domain, sandbox).
 */
export function ossBucketOrigin(endpoint: string, bucket: string): string {
  const url = new URL(endpoint);
  return isRegionalEndpoint(endpoint) ? `${url.protocol}//${bucket}.${url.host}` : url.origin;
}

function status(err: unknown): number | undefined {
  return (err as { status?: number }).status;
}

/** Alibaba Cloud OSS through ali-oss. */
export class OssObjectStore implements ObjectStore {
  readonly driver = 'oss' as const;
  readonly client: OSS;
  readonly #bucketUrl: string;

  constructor(
    readonly settings: OssSettings,
    private readonly now: () => number = Date.now,
  ) {
    const cname = !isRegionalEndpoint(settings.endpoint);
    const url = new URL(settings.endpoint);
    const OSSClient = require('ali-oss') as typeof OSS;
    this.client = new OSSClient({
      endpoint: settings.endpoint,
      bucket: settings.bucket,
      region: settings.region,
      accessKeyId: settings.accessKeyId,
      accessKeySecret: settings.accessKeySecret,
      cname,
      secure: url.protocol === 'https:',
      timeout: 120_000,
    });
    this.#bucketUrl = ossBucketOrigin(settings.endpoint, settings.bucket);
  }

  async put(key: string, body: Readable | Buffer, opts: { contentType: string }): Promise<ObjectInfo> {
    assertObjectKey(key);
    const res = Buffer.isBuffer(body)
      ? await this.client.put(key, body, { mime: opts.contentType })
      : await this.client.putStream(key, body, { mime: opts.contentType });
    const info = await this.head(key);
    return info ?? { size: 0, contentType: opts.contentType, etag: res.res.headers.etag ?? null };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertObjectKey(key);
    try {
      const { res } = await this.client.head(key);
      return {
        size: Number(res.headers['content-length'] ?? 0),
        contentType: res.headers['content-type'] ?? null,
        etag: (res.headers.etag ?? '').replace(/"/g, '') || null,
      };
    } catch (err) {
      if (status(err) === 404) return null;
      throw err;
    }
  }

  async openRead(key: string, range?: { start: number; end: number }): Promise<Readable> {
    assertObjectKey(key);
    const headers: Record<string, string> = range ? { Range: `bytes=${range.start}-${range.end}` } : {};
    const { stream } = await this.client.getStream(key, { headers });
    return stream;
  }

  async signedGetUrl(key: string, ttlSeconds: number): Promise<string> {
    assertObjectKey(key);
    return this.client.signatureUrl(key, { expires: ttlSeconds });
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    try {
      await this.client.delete(key);
    } catch (err) {
      if (status(err) !== 404) throw err;
    }
  }

  /** Starts an OSS multipart upload of `key` (the server's own signed request); the upload id. */
  async initMultipart(key: string, contentType: string): Promise<string> {
    assertObjectKey(key);
    const { uploadId } = await this.client.initMultipartUpload(key, { mime: contentType });
    return uploadId;
  }

  /**
   * A URL the browser PUTs one part to, signed for exactly this key, upload id, part number and
   * content type (OSS checks all four in the V1 signature), valid `ttlSeconds`.
   */
  signPartUrl(opts: {
    key: string;
    uploadId: string;
    partNumber: number;
    contentType: string;
    ttlSeconds: number;
  }): string {
    assertObjectKey(opts.key);
    return this.client.signatureUrl(opts.key, {
      method: 'PUT',
      expires: opts.ttlSeconds,
      'Content-Type': opts.contentType,
      subResource: { partNumber: String(opts.partNumber), uploadId: opts.uploadId },
    });
  }

  /** The parts OSS holds for an upload (ListParts, following the part-number marker). */
  async listParts(key: string, uploadId: string): Promise<UploadedPart[]> {
    assertObjectKey(key);
    const out: UploadedPart[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 20; page++) {
      const r = await this.client.listParts(key, uploadId, {
        'max-parts': '1000',
        ...(marker ? { 'part-number-marker': marker } : {}),
      });
      // xml2js gives one object (not an array) when there is a single part.
      const parts = Array.isArray(r.parts) ? r.parts : r.parts ? [r.parts] : [];
      for (const p of parts)
        out.push({
          partNumber: Number(p.PartNumber),
          size: Number(p.Size),
          etag: String(p.ETag).replace(/"/g, ''),
        });
      if (String(r.isTruncated) !== 'true' || !r.nextPartNumberMarker) break;
      marker = String(r.nextPartNumberMarker);
    }
    return out.sort((a, b) => a.partNumber - b.partNumber);
  }

  /** Joins the listed parts into the object (CompleteMultipartUpload). */
  async completeMultipart(key: string, uploadId: string, parts: UploadedPart[]): Promise<void> {
    assertObjectKey(key);
    await this.client.completeMultipartUpload(
      key,
      uploadId,
      parts.map((p) => ({ number: p.partNumber, etag: `"${p.etag}"` })),
    );
  }

  /** Abandons a multipart upload and its parts; an unknown upload is not an error. */
  async abortMultipart(key: string, uploadId: string): Promise<void> {
    assertObjectKey(key);
    try {
      await this.client.abortMultipartUpload(key, uploadId);
    } catch (err) {
      if (status(err) !== 404) throw err;
    }
  }

  /**
   * A PostObject policy for exactly one key: the browser uploads straight to OSS, which checks
   * the size range, the key and the content type before accepting the object.
   */
  postObjectForm(opts: {
    key: string;
    minBytes: number;
    maxBytes: number;
    contentType: string;
    ttlSeconds: number;
  }): PostObjectForm {
    assertObjectKey(opts.key);
    const policy = {
      expiration: new Date(this.now() + opts.ttlSeconds * 1000).toISOString(),
      conditions: [
        { bucket: this.settings.bucket },
        ['content-length-range', opts.minBytes, opts.maxBytes],
        ['eq', '$key', opts.key],
        ['eq', '$Content-Type', opts.contentType],
      ],
    };
    const signed = this.client.calculatePostSignature(policy);
    return {
      url: `${this.#bucketUrl}/`,
      fields: {
        key: opts.key,
        'Content-Type': opts.contentType,
        OSSAccessKeyId: signed.OSSAccessKeyId,
        policy: signed.policy,
        Signature: signed.Signature,
        success_action_status: '201',
      },
      policy,
    };
  }
}
