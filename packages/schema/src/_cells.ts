import { SCHEMA_WARNING_CODES, type SchemaWarningCode } from './errors.js';
import { exactText, parseJson, stringifySorted } from './_json.js';
import { mayHoldSecret, type Redactor } from './redact.js';
import { normaliseBoolean, normaliseDate, normaliseDecimal, normaliseEmail, normaliseInteger, normaliseList, normaliseTimestamp, normaliseUrl } from './_scalars.js';
import type { ColumnSchema, ColumnType } from './types.js';

/** What normalising one cell found; one instance is reused for every cell (no garbage per cell). */
export interface CellOutcome {
  text: string;
  problem: SchemaWarningCode | null;
  /** What was wrong, safe to print (never the text of a JSON cell). */
  detail: string;
}

export type CellNormaliser = (text: string, out: CellOutcome) => void;

const EXPECTED: Record<Exclude<ColumnType, 'string' | 'json' | 'list'>, string> = {
  boolean: 'TRUE or FALSE',
  date: 'a date (YYYY-MM-DD)',
  timestamp: 'an ISO 8601 timestamp with an offset (e.g. 2021-07-26T18:00:00Z) or a date',
  decimal: 'a decimal number (e.g. 35.24)',
  integer: 'an integer',
  url: 'an absolute URL',
  email: 'an email address',
};

const SCALAR: Record<keyof typeof EXPECTED, (text: string) => string | null> = {
  boolean: normaliseBoolean,
  date: normaliseDate,
  timestamp: normaliseTimestamp,
  decimal: normaliseDecimal,
  integer: normaliseInteger,
  url: normaliseUrl,
  email: normaliseEmail,
};

/** The normaliser for one column's cells. Cells arrive with CRLF already folded to LF. */
export function cellNormaliser(column: ColumnSchema, redactor: Redactor): CellNormaliser {
  const type = column.type;
  if (type === 'string') return (text, out) => normaliseStringCell(text, out, redactor);
  if (type === 'list') return (text, out) => ok(out, normaliseList(text));
  if (type === 'json') return (text, out) => normaliseJsonCell(text, out, redactor);
  const normalise = SCALAR[type];
  const expected = EXPECTED[type];
  return (text, out) => {
    if (text.trim() === '') return ok(out, '');
    const value = normalise(text);
    if (value !== null) return ok(out, value);
    out.text = text;
    out.problem = SCHEMA_WARNING_CODES.typeMismatch;
    out.detail = `expected ${expected}, received ${quote(text)}; kept unchanged`;
  };
}

/**
 * Text is kept as it is, with one exception: a cell that is a JSON object or array holding a
 * secret (possible in any column of an undocumented resource) is redacted like a JSON cell, so
 * no secret reaches a snapshot through a column we did not know was JSON.
 */
function normaliseStringCell(text: string, out: CellOutcome, redactor: Redactor): void {
  const first = text.charCodeAt(0);
  if ((first !== 123 && first !== 91 && first !== 32) || !mayHoldSecret(text)) return ok(out, text);
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return ok(out, text);
  let parsed: { value: unknown; exact: boolean };
  try {
    parsed = parseJson(trimmed);
  } catch {
    return ok(out, text);
  }
  const plainJson = stringifySorted(parsed.value);
  const redacted = stringifySorted(redactor.redactJson(parsed.value));
  ok(out, redacted === plainJson ? text : parsed.exact ? exactText(redacted) : redacted);
}

function ok(out: CellOutcome, text: string): void {
  out.text = text;
  out.problem = null;
}

/**
 * Parsed, secrets fingerprinted, re-serialised compactly with sorted keys. Invalid JSON is kept
 * raw unless it may hold a secret (a secret-like word anywhere in it): then the whole cell becomes
 * one fingerprint, because a broken cell cannot be redacted field by field with certainty.
 */
function normaliseJsonCell(text: string, out: CellOutcome, redactor: Redactor): void {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '{}' || trimmed === '[]') return ok(out, trimmed);
  let parsed: { value: unknown; exact: boolean };
  try {
    parsed = parseJson(trimmed);
  } catch (error) {
    const secret = mayHoldSecret(text);
    const at = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    out.text = secret ? redactor.fingerprint(text) : text;
    out.problem = SCHEMA_WARNING_CODES.jsonInvalid;
    out.detail = `not valid JSON${at === undefined ? '' : ` (error at character ${Number(at) + 1})`}; ${secret ? 'it may hold a secret, so it is replaced by a fingerprint' : 'kept unchanged'}`;
    return;
  }
  const json = stringifySorted(redactor.redactJson(parsed.value));
  ok(out, parsed.exact ? exactText(json) : json);
}

/** A received value for a message: JSON-quoted and cut to 40 characters. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
