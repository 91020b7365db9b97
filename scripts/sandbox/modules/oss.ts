/**
 * Alibaba Cloud OSS, as far as the product uses it: PostObject (browser form upload with a
 * signed policy), PutObject, multipart upload (initiate / upload part / list parts / complete / abort),
 * GetObject (with Range), HeadObject and DeleteObject, with OSS's V1 signatures (header
 * `Authorization: OSS <AccessKeyId>:<Signature>` or signed URL `OSSAccessKeyId/Expires/Signature`),
 * its XML error bodies and CORS for browsers. The product reaches it through `ali-oss` with
 * `cname: true` (objects at the root: `http://localhost:PORT/<key>`) and the policy/form fields
 * from `calculatePostSignature`.
 *
 * One bucket (`interviews`, the default OSS_BUCKET) with one key pair; objects live in memory.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { SandboxModule } from '../context';
import type { SandboxState } from '../state';

/** The sandbox's OSS credentials and bucket (the product's embedded defaults). */
export const OSS_SANDBOX = {
  bucket: 'interviews',
  accessKeyId: 'sandbox-access-key-id',
  accessKeySecret: 'sandbox-access-key-secret',
  /** Largest object accepted (OSS: 5 GB for PutObject; the sandbox keeps objects in memory). */
  maxObjectBytes: 512 * 1024 * 1024,
};

/** A stored object. */
export interface OssObject {
  data: Buffer;
  contentType: string;
  etag: string;
  lastModified: number;
}

interface Upload {
  key: string;
  contentType: string;
  parts: Map<number, { data: Buffer; etag: string; lastModified: number }>;
}

/** The sandbox OSS's contents (tests inspect it). */
export interface OssSandboxState {
  objects: Map<string, OssObject>;
  uploads: Map<string, Upload>;
  /** Requests by operation, e.g. `PostObject`, `UploadPart` (tests count them). */
  ops: string[];
}

const states = new WeakMap<SandboxState, OssSandboxState>();

/** The OSS state of a sandbox. */
export function ossState(state: SandboxState): OssSandboxState {
  let s = states.get(state);
  if (!s) {
    s = { objects: new Map(), uploads: new Map(), ops: [] };
    states.set(state, s);
  }
  return s;
}

/** Sub-resources that take part in the V1 signature (OSS documentation, "Signature"). */
const SIGNED_SUBRESOURCES = new Set([
  'acl',
  'uploads',
  'location',
  'cors',
  'logging',
  'website',
  'referer',
  'lifecycle',
  'delete',
  'append',
  'tagging',
  'objectMeta',
  'uploadId',
  'partNumber',
  'security-token',
  'position',
  'x-oss-process',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'restore',
  'callback',
  'callback-var',
  'versionId',
]);

class OssError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function xml(root: string, fields: Record<string, string | number>): string {
  const body = Object.entries(fields)
    .map(([k, v]) => `  <${k}>${xmlEscape(String(v))}</${k}>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}>\n${body}\n</${root}>\n`;
}

function sendXml(ctx: Context, status: number, body: string): void {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = body;
}

function sendError(ctx: Context, err: OssError): void {
  const requestId = ctx.response.get('x-oss-request-id');
  sendXml(
    ctx,
    err.status,
    xml('Error', {
      Code: err.code,
      Message: err.message,
      RequestId: requestId,
      HostId: ctx.host,
    }),
  );
}

function hmacSha1(secret: string, text: string): string {
  return createHmac('sha1', secret).update(Buffer.from(text, 'utf8')).digest('base64');
}

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function canonicalResource(key: string, query: Record<string, string | string[] | undefined>): string {
  const subs = Object.keys(query)
    .filter((k) => SIGNED_SUBRESOURCES.has(k))
    .sort()
    .map((k) => {
      const v = query[k];
      const s = Array.isArray(v) ? v[0] : v;
      return s ? `${k}=${s}` : k;
    });
  return `/${OSS_SANDBOX.bucket}/${key}${subs.length ? `?${subs.join('&')}` : ''}`;
}

/** Checks the request's V1 signature (header or signed URL); throws an OssError when wrong. */
function authenticate(ctx: Context, key: string, now: number): void {
  const q = ctx.query as Record<string, string | undefined>;
  const auth = ctx.get('authorization');
  let accessKeyId: string;
  let given: string;
  let dateLine: string;
  if (auth) {
    const m = /^OSS ([^:]+):(.+)$/.exec(auth);
    if (!m) throw new OssError(400, 'InvalidArgument', 'Authorization header is invalid.');
    [, accessKeyId, given] = m;
    dateLine = ctx.get('x-oss-date') || ctx.get('date');
    const t = Date.parse(dateLine);
    if (!dateLine || Number.isNaN(t))
      throw new OssError(403, 'AccessDenied', 'Date header or x-oss-date is required.');
    if (Math.abs(t - now) > 15 * 60_000)
      throw new OssError(
        403,
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
      );
  } else if (q.OSSAccessKeyId && q.Signature && q.Expires) {
    accessKeyId = q.OSSAccessKeyId;
    given = q.Signature;
    dateLine = q.Expires;
    if (Number(q.Expires) * 1000 < now) throw new OssError(403, 'AccessDenied', 'Request has expired.');
  } else {
    throw new OssError(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.');
  }
  if (accessKeyId !== OSS_SANDBOX.accessKeyId)
    throw new OssError(
      403,
      'InvalidAccessKeyId',
      'The OSS Access Key Id you provided does not exist in our records.',
    );
  const ossHeaders = Object.entries(ctx.headers)
    .filter(([k]) => k.startsWith('x-oss-'))
    .map(([k, v]) => [k, String(Array.isArray(v) ? v.join(',') : v).trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}:${v}`);
  const stringToSign = [
    ctx.method,
    ctx.get('content-md5'),
    // Signed URLs sign the Content-Type the request will send too (a part URL is for one type).
    ctx.get('content-type'),
    dateLine,
    ...ossHeaders,
    canonicalResource(key, ctx.query as Record<string, string>),
  ].join('\n');
  if (!sameSignature(hmacSha1(OSS_SANDBOX.accessKeySecret, stringToSign), given))
    throw new OssError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
}

async function readBody(ctx: Context, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of ctx.req) {
    size += (c as Buffer).length;
    if (size > limit)
      throw new OssError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

function etagOf(data: Buffer): string {
  return createHash('md5').update(data).digest('hex').toUpperCase();
}

/** Parses a multipart/form-data body (fields, then `file`). */
export function parseForm(
  body: Buffer,
  contentType: string,
): { fields: Map<string, string>; file: Buffer | null; fileType: string | null } {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m)
    throw new OssError(
      400,
      'InvalidArgument',
      'The body of your POST request is not well-formed multipart/form-data.',
    );
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const fields = new Map<string, string>();
  let file: Buffer | null = null;
  let fileType: string | null = null;
  let pos = body.indexOf(boundary);
  while (pos !== -1) {
    const start = pos + boundary.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd === -1) break;
    const headers = body.subarray(start + 2, headerEnd).toString('utf8');
    const next = body.indexOf(boundary, headerEnd + 4);
    if (next === -1) break;
    const content = body.subarray(headerEnd + 4, next - 2);
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
    if (/filename="/i.test(headers) || name === 'file') {
      file = content;
      fileType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? null;
      break; // OSS ignores anything after the file field
    }
    fields.set(name.toLowerCase(), content.toString('utf8'));
    pos = next;
  }
  return { fields, file, fileType };
}

type Condition = Record<string, string> | [string, ...unknown[]];

/** Checks a PostObject form against its policy (expiration and every condition). */
function checkPolicy(policyB64: string, fields: Map<string, string>, size: number, now: number): void {
  let policy: { expiration?: string; conditions?: Condition[] };
  try {
    policy = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8'));
  } catch {
    throw new OssError(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  }
  const exp = Date.parse(policy.expiration ?? '');
  if (Number.isNaN(exp))
    throw new OssError(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid expiration.');
  if (exp < now) throw new OssError(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
  const failed = (c: unknown) =>
    new OssError(
      403,
      'AccessDenied',
      `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(c)}`,
    );
  const field = (name: string) =>
    name === 'bucket' ? OSS_SANDBOX.bucket : fields.get(name.replace(/^\$/, '').toLowerCase());
  for (const c of policy.conditions ?? []) {
    if (!Array.isArray(c)) {
      for (const [k, v] of Object.entries(c)) if (field(k) !== v) throw failed(c);
      continue;
    }
    const [op, a, b] = c as [string, unknown, unknown];
    switch (String(op).toLowerCase()) {
      case 'content-length-range':
        if (size < Number(a))
          throw new OssError(
            400,
            'EntityTooSmall',
            'Your proposed upload is smaller than the minimum allowed size.',
          );
        if (size > Number(b))
          throw new OssError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
        break;
      case 'eq':
        if (field(String(a)) !== String(b)) throw failed(c);
        break;
      case 'starts-with':
        if (!(field(String(a)) ?? '').startsWith(String(b))) throw failed(c);
        break;
      case 'in':
        if (!Array.isArray(b) || !b.includes(field(String(a)))) throw failed(c);
        break;
      case 'not-in':
        if (Array.isArray(b) && b.includes(field(String(a)))) throw failed(c);
        break;
      default:
        throw new OssError(400, 'InvalidPolicyDocument', `Invalid Policy: Unknown condition ${String(op)}.`);
    }
  }
}

function isOssRequest(ctx: Context): boolean {
  if (ctx.get('authorization').startsWith('OSS ')) return true;
  if (ctx.query.OSSAccessKeyId !== undefined) return true;
  if (ctx.method === 'POST' && ctx.path === '/' && ctx.is('multipart/form-data')) return true;
  // CORS preflight of a browser form upload or signed PUT.
  if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method') && ctx.get('origin')) return true;
  return false;
}

function setCors(ctx: Context): void {
  const origin = ctx.get('origin');
  if (!origin) return;
  ctx.set('Access-Control-Allow-Origin', origin);
  ctx.set('Access-Control-Allow-Methods', 'GET, PUT, POST, DELETE, HEAD');
  ctx.set('Access-Control-Allow-Headers', ctx.get('access-control-request-headers') || '*');
  ctx.set('Access-Control-Expose-Headers', 'ETag, x-oss-request-id, Content-Range');
  ctx.set('Access-Control-Max-Age', '600');
  ctx.vary('Origin');
}

/** The OSS module. */
export const ossModule: SandboxModule = ({ router, state, consoleTabs }) => {
  const oss = ossState(state);
  state.onReset(() => {
    oss.objects.clear();
    oss.uploads.clear();
    oss.ops.length = 0;
  });

  const handle = async (ctx: Context, next: Next) => {
    if (!isOssRequest(ctx)) return next();
    ctx.set('x-oss-request-id', randomUUID().replace(/-/g, '').toUpperCase().slice(0, 24));
    ctx.set('Server', 'AliyunOSS');
    setCors(ctx);
    try {
      await operate(ctx);
    } catch (err) {
      if (err instanceof OssError) return sendError(ctx, err);
      throw err;
    }
  };

  async function operate(ctx: Context): Promise<void> {
    const now = state.now();
    const q = ctx.query as Record<string, string | undefined>;
    if (ctx.method === 'OPTIONS') {
      ctx.status = 200;
      return;
    }
    if (ctx.method === 'POST' && ctx.path === '/') return postObject(ctx, now);
    let key: string;
    try {
      key = decodeURIComponent(ctx.path.slice(1));
    } catch {
      throw new OssError(400, 'InvalidObjectName', 'The specified object is not valid.');
    }
    if (!key) throw new OssError(400, 'InvalidObjectName', 'The specified object is not valid.');
    authenticate(ctx, key, now);
    const method = ctx.method;
    if (method === 'POST' && 'uploads' in q) {
      oss.ops.push('InitiateMultipartUpload');
      const uploadId = randomBytes(16).toString('hex').toUpperCase();
      oss.uploads.set(uploadId, {
        key,
        contentType: ctx.get('content-type') || 'application/octet-stream',
        parts: new Map(),
      });
      return sendXml(
        ctx,
        200,
        xml('InitiateMultipartUploadResult', { Bucket: OSS_SANDBOX.bucket, Key: key, UploadId: uploadId }),
      );
    }
    if (q.uploadId !== undefined) return multipart(ctx, key, q.uploadId, q.partNumber);
    if (method === 'PUT') {
      oss.ops.push('PutObject');
      const data = await readBody(ctx, OSS_SANDBOX.maxObjectBytes);
      const md5 = ctx.get('content-md5');
      if (md5 && md5 !== createHash('md5').update(data).digest('base64'))
        throw new OssError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
      const obj = store(key, data, ctx.get('content-type') || 'application/octet-stream', now);
      ctx.set('ETag', `"${obj.etag}"`);
      ctx.status = 200;
      ctx.body = '';
      return;
    }
    const obj = oss.objects.get(key);
    if (method === 'DELETE') {
      oss.ops.push('DeleteObject');
      oss.objects.delete(key);
      ctx.status = 204;
      return;
    }
    if (method !== 'GET' && method !== 'HEAD')
      throw new OssError(
        405,
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
      );
    oss.ops.push(method === 'GET' ? 'GetObject' : 'HeadObject');
    if (!obj) {
      if (method === 'HEAD') {
        ctx.status = 404;
        return;
      }
      throw new OssError(404, 'NoSuchKey', 'The specified key does not exist.');
    }
    ctx.set('ETag', `"${obj.etag}"`);
    ctx.set('Last-Modified', new Date(obj.lastModified).toUTCString());
    ctx.set('Accept-Ranges', 'bytes');
    // Exactly as stored (koa's ctx.type would append a charset).
    ctx.set('Content-Type', obj.contentType);
    const size = obj.data.length;
    const m = /^bytes=(\d*)-(\d*)$/.exec(ctx.get('range'));
    let start = 0;
    let end = size - 1;
    if (m && (m[1] || m[2])) {
      start = m[1] ? Number(m[1]) : Math.max(0, size - Number(m[2]));
      end = m[1] && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
      // OSS ignores an invalid range and returns the whole object.
      if (start > end || start >= size) {
        start = 0;
        end = size - 1;
      } else {
        ctx.status = 206;
        ctx.set('Content-Range', `bytes ${start}-${end}/${size}`);
      }
    }
    if (ctx.status !== 206) ctx.status = 200;
    ctx.length = end - start + 1;
    if (method === 'GET') ctx.body = obj.data.subarray(start, end + 1);
  }

  function store(key: string, data: Buffer, contentType: string, now: number): OssObject {
    const obj = { data, contentType, etag: etagOf(data), lastModified: now };
    oss.objects.set(key, obj);
    return obj;
  }

  async function postObject(ctx: Context, now: number): Promise<void> {
    oss.ops.push('PostObject');
    const body = await readBody(ctx, OSS_SANDBOX.maxObjectBytes + 64 * 1024);
    const { fields, file, fileType } = parseForm(body, ctx.get('content-type'));
    const key = fields.get('key');
    if (!key) throw new OssError(400, 'InvalidArgument', 'The key field is required.');
    if (!file) throw new OssError(400, 'InvalidArgument', 'The file field is required.');
    const policy = fields.get('policy');
    const accessKeyId = fields.get('ossaccesskeyid');
    const signature = fields.get('signature');
    if (!policy || !accessKeyId || !signature)
      throw new OssError(403, 'AccessDenied', 'Anonymous access is forbidden for this operation.');
    if (accessKeyId !== OSS_SANDBOX.accessKeyId)
      throw new OssError(
        403,
        'InvalidAccessKeyId',
        'The OSS Access Key Id you provided does not exist in our records.',
      );
    if (!sameSignature(hmacSha1(OSS_SANDBOX.accessKeySecret, policy), signature))
      throw new OssError(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    checkPolicy(policy, fields, file.length, now);
    const obj = store(key, file, fields.get('content-type') ?? fileType ?? 'application/octet-stream', now);
    ctx.set('ETag', `"${obj.etag}"`);
    const status = Number(fields.get('success_action_status') ?? 204);
    if (status === 200 || status === 201) {
      return sendXml(
        ctx,
        status,
        xml('PostResponse', {
          Bucket: OSS_SANDBOX.bucket,
          Location: `${ctx.origin}/${key}`,
          Key: key,
          ETag: `"${obj.etag}"`,
        }),
      );
    }
    ctx.status = 204;
  }

  async function multipart(
    ctx: Context,
    key: string,
    uploadId: string,
    partNumber: string | undefined,
  ): Promise<void> {
    const upload = oss.uploads.get(uploadId);
    if (!upload || upload.key !== key)
      throw new OssError(
        404,
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      );
    if (ctx.method === 'PUT') {
      oss.ops.push('UploadPart');
      const n = Number(partNumber);
      if (!Number.isInteger(n) || n < 1 || n > 10_000)
        throw new OssError(
          400,
          'InvalidArgument',
          'Part number must be an integer between 1 and 10000, inclusive.',
        );
      const data = await readBody(ctx, 5 * 1024 * 1024 * 1024);
      const etag = etagOf(data);
      upload.parts.set(n, { data, etag, lastModified: state.now() });
      ctx.set('ETag', `"${etag}"`);
      ctx.status = 200;
      ctx.body = '';
      return;
    }
    if (ctx.method === 'GET') return listParts(ctx, key, uploadId, upload);
    if (ctx.method === 'DELETE') {
      oss.ops.push('AbortMultipartUpload');
      oss.uploads.delete(uploadId);
      ctx.status = 204;
      return;
    }
    if (ctx.method !== 'POST')
      throw new OssError(
        405,
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
      );
    oss.ops.push('CompleteMultipartUpload');
    const text = (await readBody(ctx, 1024 * 1024)).toString('utf8');
    const listed = [
      ...text.matchAll(/<Part>\s*<PartNumber>(\d+)<\/PartNumber>\s*<ETag>"?([^<"]+)"?<\/ETag>\s*<\/Part>/g),
    ].map((m) => ({ n: Number(m[1]), etag: m[2].toUpperCase() }));
    if (!listed.length) throw new OssError(400, 'MalformedXML', 'The XML you provided was not well-formed.');
    const chunks: Buffer[] = [];
    let prev = 0;
    for (const [i, p] of listed.entries()) {
      if (p.n <= prev)
        throw new OssError(400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
      prev = p.n;
      const part = upload.parts.get(p.n);
      if (!part || part.etag !== p.etag)
        throw new OssError(
          400,
          'InvalidPart',
          "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
        );
      if (i < listed.length - 1 && part.data.length < 100 * 1024)
        throw new OssError(
          400,
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed size.',
        );
      chunks.push(part.data);
    }
    const obj = store(key, Buffer.concat(chunks), upload.contentType, state.now());
    oss.uploads.delete(uploadId);
    sendXml(
      ctx,
      200,
      xml('CompleteMultipartUploadResult', {
        Location: `${ctx.origin}/${key}`,
        Bucket: OSS_SANDBOX.bucket,
        Key: key,
        ETag: `"${obj.etag}-${listed.length}"`,
      }),
    );
  }

  /** ListParts: the parts uploaded so far, in part-number order, paged by `part-number-marker`. */
  function listParts(ctx: Context, key: string, uploadId: string, upload: Upload): void {
    oss.ops.push('ListParts');
    const q = ctx.query as Record<string, string | undefined>;
    const marker = Number(q['part-number-marker'] ?? 0);
    const max = Math.min(1000, Math.max(1, Number(q['max-parts'] ?? 1000)));
    if (!Number.isInteger(marker) || marker < 0 || !Number.isInteger(max))
      throw new OssError(400, 'InvalidArgument', 'part-number-marker and max-parts must be integers.');
    const all = [...upload.parts.entries()].filter(([n]) => n > marker).sort(([a], [b]) => a - b);
    const page = all.slice(0, max);
    const truncated = all.length > page.length;
    const parts = page
      .map(
        ([n, p]) =>
          `  <Part>\n    <PartNumber>${n}</PartNumber>\n    <LastModified>${new Date(p.lastModified).toISOString()}</LastModified>\n    <ETag>"${p.etag}"</ETag>\n    <Size>${p.data.length}</Size>\n  </Part>`,
      )
      .join('\n');
    const head = xml('ListPartsResult', {
      Bucket: OSS_SANDBOX.bucket,
      Key: key,
      UploadId: uploadId,
      PartNumberMarker: marker,
      NextPartNumberMarker: page.length ? page[page.length - 1][0] : marker,
      MaxParts: max,
      IsTruncated: String(truncated),
    });
    sendXml(ctx, 200, head.replace('</ListPartsResult>', `${parts}\n</ListPartsResult>`));
  }

  // ---- test API: what a test may read about the bucket (never the product's path) ----
  router.get('/api/sandbox/oss', (ctx) => {
    // The sandbox's own fixed demo credentials (not secrets): tests build an OSS client with them.
    const { bucket, accessKeyId, accessKeySecret, maxObjectBytes } = OSS_SANDBOX;
    ctx.body = { bucket, accessKeyId, accessKeySecret, maxObjectBytes };
  });
  router.get('/api/sandbox/oss/objects', (ctx) => {
    const key = typeof ctx.query.key === 'string' ? ctx.query.key : '';
    const o = oss.objects.get(key);
    if (!o) {
      ctx.status = 404;
      ctx.body = { error: { code: 'not_found', message: `no object ${key}` } };
      return;
    }
    ctx.body = {
      key,
      size: o.data.length,
      contentType: o.contentType,
      etag: o.etag,
      sha256: createHash('sha256').update(o.data).digest('hex'),
    };
  });
  router.get('/api/sandbox/oss/ops', (ctx) => {
    ctx.body = { ops: oss.ops };
  });

  router.all('/{*path}', handle);

  consoleTabs.push({
    id: 'oss',
    label: '对象存储 OSS',
    render: () => {
      const rows = [...oss.objects.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(
          ([k, o]) =>
            `<tr><td><code>${xmlEscape(k)}</code></td><td>${o.contentType}</td><td>${o.data.length}</td><td>${new Date(o.lastModified).toISOString()}</td></tr>`,
        )
        .join('');
      return `<h2>OSS bucket <code>${OSS_SANDBOX.bucket}</code></h2><p>${oss.objects.size} objects, ${oss.uploads.size} multipart uploads in progress.</p><table><thead><tr><th>Key</th><th>Type</th><th>Bytes</th><th>Stored</th></tr></thead><tbody>${rows}</tbody></table>`;
    },
  });
};
