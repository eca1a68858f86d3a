/**
 * A fixed body served many times (the docs pages' scripts, the OpenAPI document): read once, with a
 * weak ETag over its bytes, and compressed once per encoding on the first request that asks for it
 * (br and gzip at thorough settings, off the event loop: compression.ts). Every later request is
 * bytes at hand — never a read or a compression — or a 304 on a matching If-None-Match.
 *
 * @example
 *   const document = new StaticAsset(() => encode(openApiJson()), { 'content-type': 'application/json' });
 *   app.get('/api/openapi.json', ({ request }) => document.respond(request));
 */
import {
  compressAsync,
  type Encoding,
  encodedHeaders,
  negotiateEncoding,
  shouldCompress,
} from './compression.ts';
import { etagMatches, etagOf, notModified } from './edge-cache.ts';

interface Variant {
  body: Uint8Array;
  headers: Headers;
  etag: string;
}

export class StaticAsset {
  #identity: Promise<Variant> | undefined;
  readonly #encoded = new Map<Encoding, Promise<Variant>>();

  constructor(
    private readonly load: () => Uint8Array | Promise<Uint8Array>,
    private readonly headers: Record<string, string>,
  ) {}

  /**
   * The answer to a GET: the encoding the client prefers, or 304. (Elysia answers a HEAD with its
   * GET route's answer, body dropped and Content-Length kept.)
   */
  async respond(request: Request): Promise<Response> {
    const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
    const variant = await this.#variant(encoding);
    if (etagMatches(request.headers.get('if-none-match'), variant.etag))
      return notModified(variant.headers);
    return new Response(variant.body, { headers: variant.headers });
  }

  #variant(encoding: Encoding | null): Promise<Variant> {
    this.#identity ??= this.#read();
    if (!encoding) return this.#identity;
    let variant = this.#encoded.get(encoding);
    if (!variant) {
      variant = this.#identity.then(async (identity) => {
        if (!identity.headers.has('vary')) return identity; // not worth compressing
        const headers = encodedHeaders(new Headers(identity.headers), encoding);
        const body = await compressAsync(identity.body, encoding);
        return { body, headers, etag: headers.get('etag') ?? identity.etag };
      });
      this.#encoded.set(encoding, variant);
      // A failed compression is retried by the next request rather than remembered.
      variant.catch(() => this.#encoded.delete(encoding));
    }
    return variant;
  }

  async #read(): Promise<Variant> {
    const body = await this.load();
    const etag = etagOf(body);
    const headers = new Headers({ ...this.headers, etag });
    // Vary only on what can vary: a small or binary asset is always sent as it is.
    if (shouldCompress(200, headers, body.byteLength)) encodedHeaders(headers, null);
    return { body, headers, etag };
  }
}
