import { createHmac, timingSafeEqual } from 'node:crypto';

export type LinkCheck = 'ok' | 'missing' | 'bad-signature' | 'expired';

/**
 * Pre-signed links in the manner of object storage: `?X-Expires=<epoch ms>&X-Signature=<hex>`,
 * the signature an HMAC-SHA256 over the path and the expiry with a secret only the sandbox knows.
 */
export class LinkSigner {
  readonly #secret: Buffer;

  constructor(secret: Buffer) {
    this.#secret = secret;
  }

  /** An absolute URL for `path` on `origin` that is valid until `expiresAt` (epoch ms). */
  presign(origin: string, path: string, expiresAt: number): string {
    return `${origin}${path}?X-Expires=${expiresAt}&X-Signature=${this.#sign(path, expiresAt)}`;
  }

  /** Checks the signature first (a tampered link is refused even when expired), then the expiry. */
  check(path: string, query: URLSearchParams, now: number): LinkCheck {
    const expires = query.get('X-Expires');
    const signature = query.get('X-Signature');
    if (expires === null || signature === null || !/^\d{1,16}$/.test(expires)) return 'missing';
    const expected = Buffer.from(this.#sign(path, Number(expires)), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad-signature';
    return now > Number(expires) ? 'expired' : 'ok';
  }

  #sign(path: string, expiresAt: number): string {
    return createHmac('sha256', this.#secret).update(`${path}\n${expiresAt}`).digest('hex');
  }
}
