/**
 * Public types of @balkan-audit/sandbox. The demo, the end-to-end tests and the benchmarks code
 * against these shapes.
 */

/** One of the two scripted data sets. */
export type SandboxNight = 1 | 2;

/** Options of `createSandbox`. */
export interface SandboxOptions {
  /** Which scripted data set is served. @default 1 */
  readonly night?: SandboxNight;
  /** The accepted `X-Api-Key-ID`. @default 'sandbox-key-id' */
  readonly apiKeyId?: string;
  /** The accepted `X-Api-Key-Secret`. @default 'sandbox-key-secret-4f7c2a9e1b3d' */
  readonly apiKeySecret?: string;
  /** `HEAD pollingUrl` answers 404 this many times per export, then 200. @default 1 */
  readonly readyAfterPolls?: number;
  /** An export is also not ready before this many ms after its POST. @default 0 */
  readonly readyAfterMs?: number;
  /** Pre-signed links expire this many ms after the POST. @default 600000 (10 minutes) */
  readonly linkTtlMs?: number;
  /** Faults active from the start (replace them with `setFaults`). @default {} */
  readonly faults?: SandboxFaults;
  /** A generated resource served from the start (see `setSynthetic`). @default null */
  readonly synthetic?: SyntheticSpec | null;
  /**
   * Keep the process alive while listening. In-process sandboxes (tests, the demo) must not hold a
   * test runner open; the command line sets this.
   * @default false
   */
  readonly keepProcessAlive?: boolean;
  /** Called once per request after it is answered (the CLI logs these). @default undefined */
  readonly onRequest?: (entry: SandboxRequestLog) => void;
  /**
   * Serve both origins over HTTPS with this PEM key and certificate (its subject alternative names
   * must cover 127.0.0.1); the URLs then start with `https://`. @default null (plain http)
   */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer } | null;
}

/** Faults injected into the protocol. Only the ones present are active. */
export interface SandboxFaults {
  /** Apply these faults only to these resources (path segments). @default all resources */
  readonly only?: readonly string[];
  /** The first `count` matching requests answer a 5xx. */
  readonly serverErrors?: {
    readonly count: number;
    /** @default 503 */
    readonly status?: 500 | 502 | 503;
    /** Which step fails. @default 'post' */
    readonly on?: 'post' | 'poll' | 'download';
    /** Sent as `Retry-After` when set. */
    readonly retryAfterSeconds?: number;
  };
  /** `HEAD pollingUrl` always answers 404. */
  readonly neverReady?: boolean;
  /** Readiness delayed by this many ms (on top of `readyAfterMs`). */
  readonly slowReadyMs?: number;
  /** The download announces N bytes in Content-Length, sends fewer and ends the socket. */
  readonly truncate?: boolean;
  /** The download sends a third of its body, then resets the connection (TCP RST). */
  readonly reset?: boolean;
  /** The first N exports get links that are already expired (403); later exports are fine. */
  readonly expireLinks?: number;
  /** Every POST answers 401 whatever the keys. */
  readonly unauthorized?: boolean;
  /** The CSV is the header line only. */
  readonly empty?: boolean;
  /** The CSV ends with a data row holding an unbalanced (never closed) quote. */
  readonly malformed?: boolean;
  /** One data row's ID is repeated on a second row. */
  readonly duplicateIds?: boolean;
}

/** A generated integrations-shaped export (15 columns: the 14 documented plus `Region`). */
export interface SyntheticSpec {
  /** The path segment it is served under (replaces scripted data for that segment). */
  readonly resource: string;
  /** Data rows of the `before` table. */
  readonly rows: number;
  readonly seed: number;
  /** `after`: 0.5% of rows removed, 0.5% added, 1% changed, all derived from the seed. */
  readonly variant: 'before' | 'after';
  /** Emit rows in a seeded pseudo-random order. @default false */
  readonly shuffle?: boolean;
}

/** Live request counters (`sandbox.counters`; zeroed in place by `resetCounters`). */
export interface SandboxCounters {
  /** Every request to the API origin. */
  apiRequests: number;
  /** Every request to the storage origin. */
  storageRequests: number;
  /** POSTs to `…/{resource}/download-url` by path segment, whatever their answer. */
  posts: Record<string, number>;
  /** HEAD requests to polling URLs, whatever their answer. */
  polls: number;
  /** GETs of download URLs answered 200 (a body was sent, perhaps truncated). */
  downloads: number;
  /** Answers 401. */
  unauthorized: number;
  /** Injected 5xx answers. */
  serverErrors: number;
  /** Storage requests that carried an `X-Api-Key-ID` or `X-Api-Key-Secret` header (must stay 0). */
  storageRequestsWithApiKey: number;
  /** TCP connections accepted by either origin (through a proxy: one per tunnel). */
  connections: number;
}

/** One answered request, without header values or query strings (those carry credentials). */
export interface SandboxRequestLog {
  readonly origin: 'api' | 'storage';
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
}

/** Where a listening sandbox answers. Both bind 127.0.0.1; no trailing slash; https with `tls`. */
export interface SandboxUrls {
  readonly apiUrl: string;
  readonly storageUrl: string;
}

/** One scripted night-2 change, as a diff of night 1 → night 2 should report it. */
export interface ScriptedChange {
  readonly resource: string;
  /** The record's display id; null for a resource-level change (schema drift). */
  readonly id: string | null;
  /** e.g. `integration.added`, `volatile.only`, `noop.json_key_order`, `resource.schema_drift`. */
  readonly kind: string;
  readonly description: string;
  /** Canonical column names whose values differ (empty for added/removed records). */
  readonly fields: readonly string[];
}

export interface Sandbox {
  /** Starts both servers on 127.0.0.1. @default port 0, storagePort 0 */
  listen(port?: number, storagePort?: number): Promise<SandboxUrls>;
  /** Closes both servers and every open socket. */
  close(): Promise<void>;
  readonly apiKeyId: string;
  readonly apiKeySecret: string;
  /** Serve this scripted data set from now on (exports already requested keep theirs). */
  setNight(night: SandboxNight): void;
  /** Replace the active faults (and restart their counts). */
  setFaults(faults: SandboxFaults): void;
  /** Serve a generated resource under `spec.resource`, or stop (null). */
  setSynthetic(spec: SyntheticSpec | null): void;
  /**
   * Serve exactly this CSV text under `resource` (any path segment; replaces scripted data), or stop
   * (null). Transport faults apply to it; content faults (empty, malformed, …) do not.
   */
  setExport(resource: string, csv: string | null): void;
  readonly counters: SandboxCounters;
  resetCounters(): void;
}
