/** Marks every balkan-audit error, whichever copy of this package made it (`Symbol.for`: one registry per process). */
const BRAND = Symbol.for('balkan-audit.error');

export interface BalkanAuditErrorOptions {
  /** Structured details: the file, row and column, the resource, the HTTP status. Never a secret. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** What the user can do about it; the CLI prints it after the message. */
  readonly hint?: string;
  readonly cause?: unknown;
}

/** What crosses a worker thread or lands in a change set: plain JSON. */
export interface BalkanAuditErrorJSON {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly hint?: string;
  /** A cause that was itself a balkan-audit error; any other cause is left behind. */
  readonly cause?: BalkanAuditErrorJSON;
}

/**
 * The base of every balkan-audit error (as isomorphic-git's `BaseError`): a stable string `code`
 * (each package narrows it to its own union), structured `data`, a `hint` and a `cause`. Tests and
 * callers branch on `code`, never on wording; the CLI knows its own errors by the brand
 * ({@link isBalkanAuditError}), not by the shape of the code — Node's `ENOENT` has a code too.
 *
 * @example
 * class StoreError extends BalkanAuditError<StoreErrorCode> { override readonly name = 'StoreError'; }
 * throw new StoreError('STORE_LOCKED', `another run holds ${path}`, { data: { path }, hint: 'wait for it' });
 */
export class BalkanAuditError<Code extends string = string> extends Error {
  readonly [BRAND] = true;
  readonly code: Code;
  readonly data: Readonly<Record<string, unknown>>;
  readonly hint: string | undefined;

  constructor(code: Code, message: string, options: BalkanAuditErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BalkanAuditError';
    this.code = code;
    this.data = options.data ?? {};
    this.hint = options.hint;
  }

  toJSON(): BalkanAuditErrorJSON {
    const cause = isBalkanAuditError(this.cause) ? this.cause.toJSON() : undefined;
    return {
      name: this.name, code: this.code, message: this.message, data: this.data,
      ...(this.hint === undefined ? {} : { hint: this.hint }), ...(cause === undefined ? {} : { cause }),
    };
  }

  /** The error `toJSON` described, with its name, code, data, hint and cause (the stack stays behind). */
  static fromJSON(json: BalkanAuditErrorJSON): BalkanAuditError {
    const error = new BalkanAuditError(json.code, json.message, {
      data: json.data, hint: json.hint, cause: json.cause === undefined ? undefined : BalkanAuditError.fromJSON(json.cause),
    });
    error.name = json.name;
    return error;
  }
}

/** True for an error of any balkan-audit package (and only for those), optionally of one code. */
export function isBalkanAuditError(error: unknown, code?: string): error is BalkanAuditError {
  return typeof error === 'object' && error !== null && (error as { [BRAND]?: unknown })[BRAND] === true
    && (code === undefined || (error as BalkanAuditError).code === code);
}
