/** Public types of @balkan-audit/client. */
import type { Dispatcher } from 'undici';

/** Options of {@link createExportClient}; {@link resolveExportClientOptions} fills the defaults. */
export interface ExportClientOptions {
  /**
   * The tenant's API origin (and optional path prefix), e.g. `https://app.balkan.id`. Plain http is
   * refused unless the host is loopback (the sandbox), because the API key travels in headers.
   */
  readonly baseUrl: string | URL;
  /** Sent as `X-Api-Key-ID`, to the API origin only. */
  readonly apiKeyId: string;
  /** Sent as `X-Api-Key-Secret`, to the API origin only. */
  readonly apiKeySecret: string;
  /**
   * A connection that stays silent this long — no response headers, or no body bytes for this
   * long mid-download — is given up: a request counts as a network error (and is retried), a
   * download as `EXPORT_TRUNCATED`. 0 waits forever. @default 300000 (5 min, undici's own)
   */
  readonly timeoutMs?: number;
  /** How many times one step retries a 5xx, a 429 or a network error before it gives up. @default 4 */
  readonly retries?: number;
  /** Backoff of those retries: full jitter over `base · 2^attempt`, capped. */
  readonly retryDelayMs?: {
    /** @default 250 */
    readonly base?: number;
    /** @default 8000 */
    readonly cap?: number;
  };
  /** A `Retry-After` longer than this is shortened to it. @default 60000 */
  readonly maxRetryAfterMs?: number;
  /** Polling of the pre-signed `pollingUrl` until the export is ready. */
  readonly poll?: {
    /** First backoff ceiling; doubled per poll (full jitter). @default 500 */
    readonly initialDelayMs?: number;
    /** Cap of one wait between polls. @default 15000 */
    readonly maxDelayMs?: number;
    /** Overall time allowed for one export to become ready. @default 900000 (15 min) */
    readonly deadlineMs?: number;
  };
  /** Source of jitter in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Clock in epoch milliseconds (timings, deadlines, `Retry-After` dates). @default Date.now */
  readonly now?: () => number;
  /** Waits `ms`, rejecting at once when `signal` aborts. @default a timer-based abortable sleep */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * The undici dispatcher every request goes through (connection pool, proxy, TLS options); the
   * client never closes it. @default dispatcherFromEnv(process.env), an `EnvHttpProxyAgent`
   */
  readonly dispatcher?: Dispatcher;
}

/** {@link ExportClientOptions} after validation, with every default filled in. */
export interface ExportClientOptionsResolved {
  /** Normalised: no trailing slash, no query, no fragment. */
  readonly baseUrl: URL;
  readonly apiKeyId: string;
  readonly apiKeySecret: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: { readonly base: number; readonly cap: number };
  readonly maxRetryAfterMs: number;
  readonly poll: { readonly initialDelayMs: number; readonly maxDelayMs: number; readonly deadlineMs: number };
  readonly random: () => number;
  readonly now: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly dispatcher: Dispatcher;
}

/** A bulk export the client knows how to request. */
export interface ExportSpec {
  /** Name used in files and messages (`integrations`). */
  readonly resource: string;
  /** Path segment in `/api/rest/v0/{path}/download-url`. */
  readonly path: string;
  /** One of the five exports whose format the API docs describe. */
  readonly documented: boolean;
  /** Builds the JSON request body, or undefined when the export takes none (all but campaigns). */
  readonly body?: (options: ExportRequestOptions) => Readonly<Record<string, unknown>>;
}

/** Request options some exports take. */
export interface ExportRequestOptions {
  /** Campaigns only; both fields are required by the API. @default { includeCompleted: true, includeDraft: true } */
  readonly campaigns?: { readonly includeCompleted: boolean; readonly includeDraft: boolean };
}

export interface ExportOptions extends ExportRequestOptions {
  /** Aborting stops at once (also mid-sleep) with `EXPORT_ABORTED` and removes any partial file. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ExportProgress) => void;
}

/** {@link ExportClient.exportToMemory}'s options. */
export interface ExportToMemoryOptions extends ExportOptions {
  /**
   * An export the caller already holds the result of (the last snapshot's raw download). A body
   * of exactly these bytes is hashed but not assembled (`content` is null); one of the same
   * length is kept as received chunks until its hash decides, instead of being copied.
   */
  readonly known?: KnownExport;
}

/** Length and sha256 (lowercase hex) of a raw export. */
export interface KnownExport {
  readonly bytes: number;
  readonly sha256: string;
}

/** What one finished export downloaded, wherever it went. */
export interface ExportSummary {
  readonly resource: string;
  readonly bytes: number;
  /** sha256 of the downloaded bytes, lowercase hex. */
  readonly sha256: string;
  /** HEAD requests to pollingUrl, over every export requested. */
  readonly polls: number;
  /** Exports requested: 1, or 2 when an expired link needed a fresh export. */
  readonly exports: number;
  readonly timings: {
    readonly requestMs: number;
    readonly pollMs: number;
    readonly downloadMs: number;
    readonly totalMs: number;
  };
}

/** What {@link ExportClient.exportToFile} wrote. */
export interface ExportResult extends ExportSummary {
  /** The path written (as given). */
  readonly file: string;
}

/** What {@link ExportClient.exportToMemory} downloaded. */
export interface ExportedContent extends ExportSummary {
  /**
   * The export's bytes, exactly as served. Null only when {@link ExportToMemoryOptions.known} was
   * given and the body is exactly that export (same length and sha256): it was hashed, never
   * assembled.
   */
  readonly content: Buffer | null;
}

/** Progress of one export. */
export type ExportProgress =
  | { readonly type: 'requested'; readonly resource: string; readonly exports: number }
  | { readonly type: 'polling'; readonly resource: string; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'ready'; readonly resource: string; readonly polls: number }
  | { readonly type: 'downloading'; readonly resource: string; readonly bytes: number; readonly totalBytes: number | null }
  | { readonly type: 'retry'; readonly resource: string; readonly reason: string; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'done'; readonly resource: string; readonly result: ExportSummary };

export interface ExportClient {
  /**
   * Requests an export of `resource`, waits until it is ready, and streams it to `file` (written
   * through a temporary `file.partial-*` in the same directory, then renamed).
   */
  exportToFile(resource: string, file: string, options?: ExportOptions): Promise<ExportResult>;
  /**
   * The same export, read into memory and never written to disk (the raw export carries the
   * tenant's secrets). For callers that need every byte at once anyway, like the normaliser.
   */
  exportToMemory(resource: string, options?: ExportToMemoryOptions): Promise<ExportedContent>;
}
