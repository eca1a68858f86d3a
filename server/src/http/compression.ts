/**
 * Response compression (br, gzip): choosing an encoding from `Accept-Encoding`, compressing bytes, and
 * the headers of an encoded variant.
 *
 * - `negotiateEncoding` honours q-values (`gzip;q=0` refuses gzip, `identity;q=1, br;q=0.5` prefers the
 *   plain bytes); between equal weights br wins. No header, or nothing acceptable: identity.
 * - Only bodies of at least `COMPRESS_MIN_BYTES` with a compressible type (JSON, text, JavaScript,
 *   CSS, SVG) are compressed; 204/304, already-encoded answers and streams never are.
 * - An encoded variant has `Content-Encoding`, its own ETag (the identity ETag with `-br`/`-gzip` in the
 *   opaque part, so a 304 is per variant) and `Vary: Accept-Encoding` merged into any Vary already set.
 *   The identity variant of a compressible answer carries the same Vary.
 *
 * Callers compress once and keep the bytes: the response cache per entry and encoding
 * (http/public-get.ts), the docs assets per file (`PrecompressedAsset`). `compressionStats.calls`
 * counts every compression, so tests can prove a cache hit does none.
 */
import zlib from 'node:zlib';
import { addVary } from './edge-cache.ts';

export type Encoding = 'br' | 'gzip';

/** Bodies smaller than this go as they are: compression would save little and cost a header. */
export const COMPRESS_MIN_BYTES = 1024;

export const compressionStats = { calls: 0 };

const COMPRESSIBLE =
  /^(application\/(json|[\w.+-]+\+json|javascript|xml|[\w.+-]+\+xml)|text\/(?!event-stream)[\w.+-]+|image\/svg\+xml)\s*(;|$)/i;

/** True for a content type worth compressing (never `text/event-stream`: a stream must flow). */
export function isCompressibleType(contentType: string | null): boolean {
  return contentType !== null && COMPRESSIBLE.test(contentType);
}

/** True when an answer of this status, type and size should be offered compressed. */
export function shouldCompress(status: number, headers: Headers, size: number): boolean {
  if (status === 204 || status === 304 || status < 200) return false;
  if (size < COMPRESS_MIN_BYTES || headers.has('content-encoding')) return false;
  return isCompressibleType(headers.get('content-type'));
}

const PREFERENCE: readonly Encoding[] = ['br', 'gzip'];
const negotiated = new Map<string, Encoding | null>();

/** The encoding to send for an `Accept-Encoding` header, or null for the identity bytes. */
export function negotiateEncoding(acceptEncoding: string | null): Encoding | null {
  if (!acceptEncoding) return null;
  const known = negotiated.get(acceptEncoding);
  if (known !== undefined) return known;
  const chosen = choose(acceptEncoding);
  // Clients send a handful of distinct values: remember them, but never an unbounded number.
  if (negotiated.size < 256) negotiated.set(acceptEncoding, chosen);
  return chosen;
}

function choose(acceptEncoding: string): Encoding | null {
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (!coding) continue;
    let q = 1;
    for (const param of params) {
      const [name = '', value = ''] = param.split('=');
      // A weight that is not a number refuses the coding rather than giving it full weight.
      if (name.trim().toLowerCase() === 'q') q = /^\s*[0-9.]+\s*$/.test(value) ? Number(value) : 0;
    }
    weights.set(coding, Number.isFinite(q) ? Math.min(q, 1) : 0);
  }
  const star = weights.get('*');
  let best: Encoding | null = null;
  let bestQ = 0;
  for (const encoding of PREFERENCE) {
    const alias = encoding === 'gzip' ? weights.get('x-gzip') : undefined;
    const q = weights.get(encoding) ?? alias ?? star ?? 0;
    if (q > bestQ) {
      best = encoding;
      bestQ = q;
    }
  }
  // The plain bytes win when the client weighs them higher than any encoding it accepts.
  const identity = weights.get('identity');
  if (best && identity !== undefined && identity > bestQ) return null;
  return best;
}

/** Fast settings, for answers compressed on the request path (once per cache entry). */
const DYNAMIC = {
  br: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } },
  gzip: { level: 6 },
};

/** `bytes` compressed with `encoding`, synchronously (answers are small; assets use `compressAsync`). */
export function compress(bytes: Uint8Array, encoding: Encoding): Uint8Array {
  compressionStats.calls++;
  const out =
    encoding === 'br'
      ? zlib.brotliCompressSync(bytes, {
          params: { ...DYNAMIC.br.params, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
        })
      : zlib.gzipSync(bytes, DYNAMIC.gzip);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Thorough settings, off the event loop: for static assets, compressed once per process. */
export function compressAsync(bytes: Uint8Array, encoding: Encoding): Promise<Uint8Array> {
  compressionStats.calls++;
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, out: Buffer) =>
      error ? reject(error) : resolve(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
    if (encoding === 'br') {
      const params = {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      };
      zlib.brotliCompress(bytes, { params }, done);
    } else zlib.gzip(bytes, { level: 9 }, done);
  });
}

/** The ETag of an encoded variant: the identity ETag with the encoding in its opaque part. */
export function encodedEtag(etag: string, encoding: Encoding | null): string {
  return encoding ? etag.replace(/"$/, `-${encoding}"`) : etag;
}

/** Adds `Accept-Encoding` to the Vary header. */
export const varyOnEncoding = (headers: Headers): void => addVary(headers, 'Accept-Encoding');

/** Marks `headers` as those of the `encoding` variant of a compressible answer. */
export function encodedHeaders(headers: Headers, encoding: Encoding | null): Headers {
  varyOnEncoding(headers);
  if (encoding) {
    headers.set('content-encoding', encoding);
    headers.delete('content-length');
    const etag = headers.get('etag');
    if (etag) headers.set('etag', encodedEtag(etag, encoding));
  }
  return headers;
}
