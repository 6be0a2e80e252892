/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
 * wait a uniformly random time in [0, min(cap, base · 2^attempt)). Full jitter spreads the polls of
 * many concurrent exports instead of having them hit the server in lockstep.
 */
export function backoffDelay(attempt: number, base: number, cap: number, random: () => number): number {
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 52));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

/**
 * A `Retry-After` header in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Returns null when absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]/.test(text)) return null;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/** The wait before retry `attempt` (0-based): the server's `Retry-After` (bounded) wins over backoff. */
export function retryDelay(options: {
  readonly attempt: number;
  readonly retryAfterMs: number | null;
  readonly base: number;
  readonly cap: number;
  readonly maxRetryAfterMs: number;
  readonly random: () => number;
}): number {
  if (options.retryAfterMs !== null) return Math.min(options.retryAfterMs, options.maxRetryAfterMs);
  return backoffDelay(options.attempt, options.base, options.cap, options.random);
}
