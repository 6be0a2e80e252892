import { ExportError } from './errors.js';
import type { ExportClientOptionsResolved, ExportProgress } from './types.js';

/** Everything one exportToFile call shares between its steps. */
export interface ExportContext {
  readonly options: ExportClientOptionsResolved;
  readonly resource: string;
  readonly signal: AbortSignal | undefined;
  readonly emit: (event: ExportProgress) => void;
  readonly redactor: Redactor;
  readonly stats: { exports: number; polls: number };
}

/**
 * Scrubs credentials from any text that may reach a message or `data`: the API key id and secret,
 * and the query values of pre-signed URLs (a server may echo them in an error body).
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  add(secret: string): void {
    if (secret.length >= 4) this.#secrets.add(secret);
  }

  addQueryValues(url: URL): void {
    for (const value of url.searchParams.values()) if (value.length >= 16) this.add(value);
  }

  apply(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join('[redacted]');
    return out;
  }
}

export function abortedError(ctx: ExportContext): ExportError {
  return new ExportError('EXPORT_ABORTED', `export of ${ctx.resource} was aborted`, {
    cause: ctx.signal?.reason,
    data: { resource: ctx.resource },
  });
}

/** Converts whatever an aborted fetch or sleep threw into `EXPORT_ABORTED`. */
export function throwIfAborted(ctx: ExportContext): void {
  if (ctx.signal?.aborted) throw abortedError(ctx);
}
