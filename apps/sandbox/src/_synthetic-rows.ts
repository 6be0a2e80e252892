/** The documented integrations header plus the one undocumented column synthetic exports carry. */
export const SYNTHETIC_HEADER = ['ID*', 'Name*', 'Description', 'Last Run', 'Status*', 'Primary Owner', 'Message', 'Metadata',
  'Reviewer Precedence', 'Provisioning Options', 'Extraction Options', 'Reviewer Count',
  'Entity Request Values Templates', 'Entity Request Values Defaults', 'Region'];

/** Every synthetic secret value starts with this, so tests can scan outputs for leaks. */
export const SYNTHETIC_SECRET_PREFIX = 'sk_live_synth_';

/** A 32-bit integer hash of three integers (murmur3's finaliser): the generator's only randomness. */
export function mix(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul((b + 0x632be5ab) | 0, 0xc2b2ae35) ^ Math.imul((c + 0x27d4eb2f) | 0, 0x165667b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A seeded permutation of 0..m-1 that needs no memory: i → (a·i + c) mod m with gcd(a, m) = 1.
 * a·i stays below 2^53 for any m a generator could stream.
 */
export function affinePermutation(m: number, seed: number, salt: number): (i: number) => number {
  if (m <= 1) return (i) => i;
  let a = 1 + (mix(seed, salt, 1) % (m - 1));
  while (gcd(a, m) !== 1) a = a + 1 === m ? 1 : a + 1;
  const c = mix(seed, salt, 2) % m;
  return (i) => (a * i + c) % m;
}

function gcd(x: number, y: number): number {
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** How a row of the `after` variant differs from `before`. */
export type RowChange = 'none' | 'status' | 'secret' | 'json' | 'volatile';
const CHANGE_KINDS: readonly RowChange[] = ['status', 'secret', 'json', 'volatile'];

/** Exact counts of the `after` variant: 0.5% removed, 1% changed, 0.5% added (rounded down). */
export function afterCounts(rows: number): { removed: number; changed: number; added: number } {
  return { removed: Math.floor(rows / 200), changed: Math.floor(rows / 100), added: Math.floor(rows / 200) };
}

/** Decides, for each `before` row, whether `after` removes it, changes it (and how), or keeps it. */
export function afterPlan(rows: number, seed: number): (index: number) => 'removed' | RowChange {
  const { removed, changed } = afterCounts(rows);
  const rank = affinePermutation(rows, seed, 0x5e1ec7);
  return (index) => {
    const r = rank(index);
    if (r < removed) return 'removed';
    if (r < removed + changed) return CHANGE_KINDS[(r - removed) % CHANGE_KINDS.length] ?? 'none';
    return 'none';
  };
}

const VENDORS = ['Salesforce', 'Workday', 'GitHub', 'Okta', 'Snowflake', 'Zendesk', 'Jira', 'Datadog', 'Stripe', 'HubSpot', 'Box', 'Notion'];
// Cells are written pre-quoted (RFC 4180) so a row is one string concatenation: the generator must
// keep up with a network download of hundreds of megabytes.
const DESCRIPTIONS = ['"Users, groups and ""roles"""', 'Cloud', '', 'HR system', '"Directory, groups"',
  'Ticketing', '"Payments, ""live"""', ''];
const FIRST = ['jason', 'priya', 'alec', 'maria', 'tom', 'nina', 'omar', 'liam', 'sofia', 'kenji'];
const LAST = ['bond', 'nair', 'benjamin', 'garcia', 'wilson', 'patel', 'haddad', 'chen', 'rossi', 'sato'];
const PRECEDENCES = ['"manager, primaryowner, riskmanager"', '"primaryowner, manager"', 'manager', '"riskmanager, manager"',
  'manager', '"manager, riskmanager, primaryowner"'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1'];
const TEMPLATE = '"{""role"": ""{{entity.name}}""}"';
const DEFAULTS = '"{""duration_days"": 30}"';

function pick<T>(list: readonly T[], hash: number): T {
  return list[hash % list.length] as T;
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function timestamp(hash: number, day: number): string {
  return `2026-01-${two(day)}T${two(hash % 24)}:${two((hash >>> 5) % 60)}:${two((hash >>> 11) % 60)}Z`;
}

function bool(hash: number, bit: number): boolean {
  return ((hash >>> bit) & 1) === 1;
}

/** A synthetic row's secret value (rotated in the `after` variant's `secret` changes). */
export function syntheticSecret(seed: number, index: number, rotated: boolean): string {
  return `${SYNTHETIC_SECRET_PREFIX}${hex(mix(seed, index, rotated ? 7 : 2))}${hex(mix(seed, index, rotated ? 8 : 3)).slice(0, 2)}`;
}

/** One data row (without line end) for a row index; indexes ≥ the `before` row count are added rows. */
export function syntheticRow(seed: number, index: number, change: RowChange): string {
  const h = mix(seed, index, 0);
  const g = mix(seed, index, 1);
  const id = String(index + 1);
  let status = (h >>> 4) % 5 === 0 ? 'inactive' : 'active';
  const message = change === 'volatile' ? 'Sync completed with warnings' : status === 'active' ? 'Data Available' : '1 error occured';
  if (change === 'status') status = status === 'active' ? 'inactive' : 'active';
  const lastRun = timestamp(g, change === 'volatile' ? 28 : 1 + ((g >>> 17) % 27));
  const metadata = `"[{""name"":""Secret"",""key"":""secret"",""type"":""secret"",""value"":""${syntheticSecret(seed, index, change === 'secret')}""}]"`;
  const scim = bool(h, 9) !== (change === 'json');
  // Most integrations carry empty options; the `json` change always shows up in Provisioning Options.
  const provisioning = change === 'json' || (h >>> 10) % 4 === 0 ? `"{""scim"": ${scim}, ""upload"": ${bool(h, 11)}}"` : '{}';
  const extraction = (h >>> 13) % 4 === 0 ? `"{""batch_size"": ${100 * (1 + ((h >>> 15) % 10))}}"` : '{}';
  return `${id},${pick(VENDORS, h)} ${id},${pick(DESCRIPTIONS, h >>> 8)},${lastRun},${status},`
    + `${pick(FIRST, g >>> 3)}.${pick(LAST, g >>> 7)}@balkan.id,${message},${metadata},${pick(PRECEDENCES, h >>> 19)},`
    + `${provisioning},${extraction},${1 + ((g >>> 20) % 5)},${(g >>> 23) % 8 === 0 ? TEMPLATE : ''},`
    + `${(g >>> 26) % 8 === 0 ? DEFAULTS : ''},${pick(REGIONS, g >>> 29)}`;
}
