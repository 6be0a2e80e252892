import type { ErrorObject } from 'ajv';
import { findNodeAtLocation, type Node } from 'jsonc-parser';

/** A key that looks like it holds a credential. Keys come from the environment only. */
const SECRET_KEY = /secret|password|passphrase|token|api[-_]?key|credential|private[-_]?key/i;

export const SECRET_NOTE = 'secrets never go in the configuration file: API keys come from the environment (BALKANID_API_KEY_ID, BALKANID_API_KEY_SECRET)';

/** One problem of a configuration file: where (a JSON path) and what. */
export interface ConfigProblem {
  /** Path segments from the top (`['resources', 'integrations', 'ignor']`). */
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** 1-based line in the file, when the path is found there. */
  readonly line: number | null;
}

/** `['severity', 'integration.status_changed']` as `severity["integration.status_changed"]`. */
export function dottedPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((segment, i) => {
    if (typeof segment === 'number') return `[${segment}]`;
    if (/^[A-Za-z_$][\w$]*$/.test(segment)) return i === 0 ? segment : `.${segment}`;
    return `[${JSON.stringify(segment)}]`;
  }).join('');
}

/** A problem as one line: `resources.integrations.ignor: unknown key (line 4)`. */
export function formatProblem(problem: ConfigProblem): string {
  return `${dottedPath(problem.path)}: ${problem.message}${problem.line === null ? '' : ` (line ${problem.line})`}`;
}

/**
 * Ajv's errors (`allErrors`, `verbose`) as problems, one per distinct path and message, in file
 * order. An unknown key that looks like a credential says where keys come from instead; no
 * message ever quotes a value the file holds, except a short enum value that matched nothing.
 */
export function problemsOf(errors: readonly ErrorObject[], text: string, tree: Node | undefined): ConfigProblem[] {
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const error of errors) {
    const described = describe(error);
    if (described === null) continue;
    const id = `${dottedPath(described.path)}\u0000${described.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push({ ...described, line: lineOf(described.path, text, tree) });
  }
  return problems.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
}

function describe(error: ErrorObject): { path: (string | number)[]; message: string } | null {
  const path = pointerPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      if (SECRET_KEY.test(key)) return { path: [...path, key], message: `refused: ${SECRET_NOTE}` };
      const known = Object.keys((parent.properties ?? {}) as object);
      const near = closest(key, known);
      return { path: [...path, key], message: `unknown key${near === null ? '' : ` (did you mean "${near}"?)`}` };
    }
    case 'propertyNames':
      // Its pattern error (below, with `propertyName`) says why; this one only repeats it.
      return null;
    case 'pattern': {
      const name = (error as { propertyName?: string }).propertyName;
      const message = typeof parent.patternErrorMessage === 'string' ? parent.patternErrorMessage : `must match ${String(params.pattern)}`;
      return { path: name === undefined ? path : [...path, name], message: name === undefined ? message : `${message} (as a key)` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      return { path, message: `must be one of ${allowed.join(', ')}${received(error.data)}` };
    }
    case 'type':
      return { path, message: `must be ${article(String(params.type))}, received ${typeName(error.data)}` };
    case 'uniqueItems':
      return { path, message: `must not list the same value twice (items ${Number(params.j) + 1} and ${Number(params.i) + 1})` };
    case 'minItems':
      return { path, message: `must list at least ${String(params.limit)} value(s)` };
    case 'minProperties':
      return { path, message: `must name at least ${String(params.limit)} resource(s)` };
    case 'minLength':
      return { path, message: 'must not be empty' };
    default:
      return { path, message: error.message ?? error.keyword };
  }
}

/** ` (received "critical")` for a short string: enough to spot a typo, never a long (secret?) value. */
function received(value: unknown): string {
  return typeof value === 'string' && value.length <= 24 && /^[\w. -]*$/.test(value) ? ` (received ${JSON.stringify(value)})` : ` (received ${typeName(value)})`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return article(typeof value);
}

function article(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/** `/resources/entity-rules/key/0` as segments (JSON Pointer, RFC 6901). */
function pointerPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')).map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** The line of the key (or array item) at `path`, or of its closest existing parent. */
function lineOf(path: readonly (string | number)[], text: string, tree: Node | undefined): number | null {
  if (tree === undefined) return null;
  for (let length = path.length; length >= 0; length--) {
    const node = findNodeAtLocation(tree, [...path.slice(0, length)]);
    if (node === undefined) continue;
    const at = node.parent?.type === 'property' ? node.parent.offset : node.offset;
    return position(text, at).line;
  }
  return null;
}

/** 1-based line and column of `offset` in `text`. */
export function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** The known key at edit distance ≤ 2 from `key` (case-insensitive), if exactly one is nearest. */
function closest(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}
