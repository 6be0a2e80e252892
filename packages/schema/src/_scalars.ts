/**
 * Normalisers for scalar cell types. Each takes the cell text (CRLF already folded) and returns
 * the canonical text, or null when the text is not of the type (the caller keeps it unchanged and
 * warns — a value is never guessed at).
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;
const CANONICAL_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;
const INTEGER = /^([+-]?)(\d+)$/;
const EMAIL = /^[^\s@"(),:;<>[\\\]]+@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)$/;

export function normaliseBoolean(text: string): string | null {
  const value = text.trim().toLowerCase();
  return value === 'true' || value === 'false' ? value : null;
}

export function normaliseDate(text: string): string | null {
  const value = text.trim();
  const m = DATE.exec(value);
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  return value;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);
}

/**
 * ISO 8601 with an offset → UTC with `Z`; seconds always written, the fraction only when non-zero
 * (kept exactly: `.5` → `.500`, `.123456` stays). A plain date stays a date. A timestamp without
 * an offset is ambiguous and refused.
 */
export function normaliseTimestamp(text: string): string | null {
  const value = text.trim();
  if (value.length === 10) return normaliseDate(value);
  if (value.length === 20) {
    // Most exports already write UTC with `Z` and whole seconds: the canonical form, kept as it is.
    const c = CANONICAL_TIMESTAMP.exec(value);
    if (c && validDate(Number(c[1]), Number(c[2]), Number(c[3])) && Number(c[4]) <= 23 && Number(c[5]) <= 59 && Number(c[6]) <= 59) return value;
  }
  const m = TIMESTAMP.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  let offset = 0;
  if (m[9] !== undefined) {
    const offsetHours = Number(m[10]);
    const offsetMinutes = m[11] === undefined ? 0 : Number(m[11]);
    if (offsetHours > 23 || offsetMinutes > 59) return null;
    offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  }
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999 (Go's zero time is 0001-01-01).
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offset, second, 0);
  const utcYear = date.getUTCFullYear();
  if (utcYear < 0 || utcYear > 9999) return null;
  return `${pad(utcYear, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}${fraction(m[7])}Z`;
}

function fraction(digits: string | undefined): string {
  if (digits === undefined) return '';
  const trimmed = digits.replace(/0+$/, '');
  if (trimmed === '') return '';
  return `.${trimmed.length < 3 ? trimmed.padEnd(3, '0') : trimmed}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `35.24`, `100.00` → `100`, `0.00` → `0`, `-0.50` → `-0.5`, `+7` → `7`; exact, never a float. */
export function normaliseDecimal(text: string): string | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const whole = m[2] ?? '';
  const part = m[3] ?? '';
  if (whole === '' && part === '') return null;
  const int = whole.replace(/^0+(?=\d)/, '') || '0';
  const frac = part.replace(/0+$/, '');
  const magnitude = frac === '' ? int : `${int}.${frac}`;
  return m[1] === '-' && magnitude !== '0' ? `-${magnitude}` : magnitude;
}

export function normaliseInteger(text: string): string | null {
  const m = INTEGER.exec(text.trim());
  if (!m) return null;
  const magnitude = m[2]!.replace(/^0+(?=\d)/, '');
  return m[1] === '-' && magnitude !== '0' ? `-${magnitude}` : magnitude;
}

/** Split on commas, items trimmed, order kept, joined with `, `. */
export function normaliseList(text: string): string {
  if (text.trim() === '') return '';
  return text.split(',').map((item) => item.trim()).join(', ');
}

/** An absolute URL, trimmed; otherwise null. The text itself is not rewritten. */
export function normaliseUrl(text: string): string | null {
  const value = text.trim();
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(value) && URL.canParse(value) ? value : null;
}

/** `Jason.Bond@Balkan.ID` → `Jason.Bond@balkan.id` (the local part may be case-sensitive). */
export function normaliseEmail(text: string): string | null {
  const value = text.trim();
  const m = EMAIL.exec(value);
  if (!m) return null;
  return value.slice(0, value.length - m[1]!.length) + m[1]!.toLowerCase();
}
