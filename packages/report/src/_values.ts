import type { FieldChange, JsonPath } from '@balkan-audit/diff';

/** A field change as it may soon arrive: `comparable: false` marks secret fingerprints made with
 * different redaction keys (a re-keyed repository), which say nothing about a rotation. */
export type FieldChangeLike = FieldChange & { readonly comparable?: boolean };

const FINGERPRINT = /^redacted:hmac-sha256:[0-9a-f]{12}$/;
export const REDACTED = '[redacted]';

/** True for a redacted secret's fingerprint (`redacted:hmac-sha256:<12 hex>`). */
export function isFingerprint(value: unknown): value is string {
  return typeof value === 'string' && FINGERPRINT.test(value);
}

/** Column and JSON path as people read them: `Metadata[key=client_secret].value`, `entity_filter.rules[0]`. */
export function fieldPath(field: string, path: JsonPath): string {
  let out = field;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += segment.startsWith('[') ? segment : `.${segment}`;
  }
  return out;
}

/**
 * A value as one line of text, at most `max` characters: `(empty)`, lists joined, objects as
 * JSON, fingerprints as `[redacted]` (like the diff package's event summaries).
 */
export function valueText(value: unknown, max = 120): string {
  return truncate(fullValueText(value), max);
}

function fullValueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'string') return isFingerprint(value) ? REDACTED : value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.map((v) => (isFingerprint(v) ? REDACTED : String(v))).join(', ');
  }
  if (typeof value === 'object') return JSON.stringify(scrub(value));
  return String(value);
}

/** What happened to one field: `active → inactive`, `added: x`, `[redacted] → [redacted] (secret changed)`. */
export function changeText(change: FieldChangeLike, max = 120): string {
  if (change.comparable === false) return 'not comparable (secret fingerprints made with different redaction keys)';
  const before = valueText(change.before, max);
  const after = valueText(change.after, max);
  switch (change.op) {
    case 'added': return `added: ${after}`;
    case 'removed': return `removed: ${before}`;
    case 'reordered': return `reordered: ${before} → ${after}`;
    case 'changed':
      return isFingerprint(change.before) && isFingerprint(change.after) ? `${REDACTED} → ${REDACTED} (secret changed)` : `${before} → ${after}`;
  }
}

/** A record's columns as one line: `Name: Jira; Status: active; …` (empty columns left out). */
export function recordText(record: Readonly<Record<string, unknown>>, max = 200): string {
  const parts: string[] = [];
  for (const [column, value] of Object.entries(record)) {
    if (value === null || value === undefined || value === '') continue;
    parts.push(`${column}: ${valueText(value, 60)}`);
  }
  return truncate(parts.join('; '), max);
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function scrub(value: unknown): unknown {
  if (isFingerprint(value)) return REDACTED;
  if (Array.isArray(value)) return value.map(scrub);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
  return value;
}
