import { BalkanAuditError } from '@balkan-audit/errors';

/** Every code an {@link ExportError} can carry. Tests and callers switch on these, never on wording. */
export type ExportErrorCode =
  | 'EXPORT_INVALID_OPTIONS'
  | 'EXPORT_INSECURE_URL'
  | 'EXPORT_INVALID_RESOURCE'
  | 'EXPORT_AUTH'
  | 'EXPORT_UNKNOWN_RESOURCE'
  | 'EXPORT_BAD_REQUEST'
  | 'EXPORT_BAD_RESPONSE'
  | 'EXPORT_HTTP_ERROR'
  | 'EXPORT_RATE_LIMITED'
  | 'EXPORT_SERVER_ERROR'
  | 'EXPORT_NETWORK'
  | 'EXPORT_NOT_READY_TIMEOUT'
  | 'EXPORT_LINK_EXPIRED'
  | 'EXPORT_TRUNCATED'
  | 'EXPORT_TOO_LARGE'
  | 'EXPORT_WRITE_FAILED'
  | 'EXPORT_ABORTED';

export interface ExportErrorOptions {
  readonly data?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
  /** HTTP status of the response that failed, when there was one. */
  readonly status?: number;
  /** The URL that failed, without its query string (pre-signed signatures are credentials). */
  readonly url?: string;
  /** What the user can do about it, e.g. which environment variables to check. */
  readonly hint?: string;
}

/**
 * The one error type of @balkan-audit/client. `code` is stable; `data` holds the structured
 * details (resource, attempts, bytes, truncated response body). No key, secret or URL signature is
 * ever part of the message or the data.
 */
export class ExportError extends BalkanAuditError<ExportErrorCode> {
  override readonly name = 'ExportError';
  readonly status: number | undefined;
  readonly url: string | undefined;

  constructor(code: ExportErrorCode, message: string, options: ExportErrorOptions = {}) {
    super(code, message, options);
    this.status = options.status;
    this.url = options.url;
  }
}

/** True for an {@link ExportError}, optionally of one code. */
export function isExportError(error: unknown, code?: ExportErrorCode): error is ExportError {
  return error instanceof ExportError && (code === undefined || error.code === code);
}
