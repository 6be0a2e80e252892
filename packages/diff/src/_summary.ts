import { isFingerprint } from '@balkan-audit/schema';
import { formatPath, parseIdentitySegment } from './_paths.js';
import type { FieldChange } from './types.js';

const MAX_VALUE = 48;
const MAX_DETAILS = 200;
const REDACTED = '[redacted]';

/** A value as a summary shows it: short, lists joined, fingerprints and secrets never shown. */
export function renderValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'string') return truncate(isFingerprint(value) ? REDACTED : value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return truncate(value.map((v) => (typeof v === 'string' && isFingerprint(v) ? REDACTED : String(v))).join(', '));
  }
  if (typeof value === 'object') return truncate(JSON.stringify(scrub(value)));
  return truncate(String(value));
}

/** One change as a summary detail: `Status: active → inactive`, `Metadata [key=region].value: us → eu`. */
export function renderChange(change: FieldChange): string {
  const where = change.path.length === 0 ? change.field : `${change.field} ${formatPath(change.path)}`;
  switch (change.op) {
    case 'added': return `${where}: added ${renderValue(change.after)}`;
    case 'removed': return `${where}: removed ${renderValue(change.before)}`;
    case 'reordered': return `${where}: reordered ${renderValue(change.before)} → ${renderValue(change.after)}`;
    case 'changed': return `${where}: ${renderValue(change.before)} → ${renderValue(change.after)}`;
  }
}

export function renderDetails(changes: readonly FieldChange[]): string {
  let out = '';
  for (let i = 0; i < changes.length; i++) {
    const next = renderChange(changes[i]!);
    if (out !== '' && out.length + next.length > MAX_DETAILS) return `${out}; … (+${changes.length - i} more)`;
    out = out === '' ? next : `${out}; ${next}`;
  }
  return out;
}

/** The name of the credential a change touched: the identified element (`client_secret`) or member. */
export function credentialName(change: FieldChange): string {
  for (let i = change.path.length - 1; i >= 0; i--) {
    const segment = change.path[i]!;
    if (typeof segment !== 'string') continue;
    const identity = parseIdentitySegment(segment);
    if (identity) return identity.value;
  }
  const last = [...change.path].reverse().find((segment) => typeof segment === 'string');
  return typeof last === 'string' ? last : change.field;
}

/** Fills `{placeholder}`s; unknown placeholders are left as written so a typo shows. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= MAX_VALUE ? oneLine : `${oneLine.slice(0, MAX_VALUE - 1)}…`;
}

function scrub(value: unknown): unknown {
  if (typeof value === 'string') return isFingerprint(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map(scrub);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
  }
  return value;
}
