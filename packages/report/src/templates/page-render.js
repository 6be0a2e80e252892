// The report page's DOM builders. Record data only ever reaches the page as text nodes
// (textContent), after `shown` has made control and bidi characters visible: never innerHTML.

const CONTROLS_SOURCE = JSON.parse(document.getElementById('page-config').textContent).controls;
const CONTROLS = new RegExp(CONTROLS_SOURCE, 'gu');
// Pretty-printed JSON keeps the line feeds and indentation it was printed with; a line feed inside
// a JSON string is already `\n` there.
const CONTROLS_BUT_LINES = new RegExp(`(?!\\n)${CONTROLS_SOURCE}`, 'gu');
const FINGERPRINT = /^redacted:hmac-sha256:[0-9a-f]{12}$/;
const SHORT_ESCAPES = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const MAX_DIFF_CELLS = 40000;

/** Text as the page shows it: control and bidi characters as `\u202E`-style escapes. */
function shown(text, keepLines) {
  return String(text).replace(keepLines ? CONTROLS_BUT_LINES : CONTROLS, (char) => SHORT_ESCAPES[char] || escapeCodePoint(char.codePointAt(0)));
}

function escapeCodePoint(code) {
  const hex = code.toString(16).toUpperCase();
  return code > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

/** An element with a class and children (strings become escaped text nodes). */
function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(shown(child)) : child);
  }
  return node;
}

/** A header cell with its scope (`col` or `row`). */
function th(scope, ...children) {
  const cell = el('th', '', ...children);
  cell.scope = scope;
  return cell;
}

function badge(className, text) {
  return el('span', `badge ${className}`, text);
}

function isFingerprint(value) {
  return typeof value === 'string' && FINGERPRINT.test(value);
}

function scrub(value) {
  if (isFingerprint(value)) return '[redacted]';
  if (Array.isArray(value)) return value.map(scrub);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
  return value;
}

/** A value as text: a string, lists joined, JSON pretty-printed (`json`); null for an empty value. */
function valueText(value) {
  if (value === null || value === undefined || value === '') return null;
  if (isFingerprint(value)) return { text: '[redacted]', json: false };
  if (typeof value === 'string') return { text: value, json: false };
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return { text: value.map((v) => (isFingerprint(v) ? '[redacted]' : String(v))).join(', '), json: false };
  }
  if (typeof value === 'object') return { text: JSON.stringify(scrub(value), null, 2), json: true };
  return { text: String(value), json: false };
}

/** A value's text in a `<pre>` (JSON, line feeds kept) or a `<span>`. */
function textNode(value, ...children) {
  const node = el(value.json ? 'pre' : 'span', 'value');
  node.append(...children);
  return node;
}

function valueNode(value) {
  const text = valueText(value);
  if (text === null) return el('span', 'empty', '(empty)');
  if (text.text === '[redacted]') return el('span', 'redacted', text.text);
  return textNode(text, shown(text.text, text.json));
}

/** Column and JSON path: `Metadata[key=client_secret].value`. */
function fieldPath(change) {
  const code = el('code', 'path', change.field);
  let path = '';
  for (const segment of change.path) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else path += segment.startsWith('[') ? segment : `.${segment}`;
  }
  if (path) code.append(el('mark', 'path', path));
  return code;
}

const TOKEN = /\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;

/**
 * Before and after with the words that differ marked (`<del>` / `<ins>`), from a longest common
 * subsequence of their tokens; values too long to compare are shown whole.
 */
function wordDiff(before, after) {
  const mark = (tag, text, json) => {
    const node = document.createElement(tag);
    node.textContent = shown(text, json);
    return node;
  };
  const a = before.text.match(TOKEN) || [];
  const b = after.text.match(TOKEN) || [];
  if (a.length * b.length > MAX_DIFF_CELLS) return [textNode(before, mark('del', before.text, before.json)), textNode(after, mark('ins', after.text, after.json))];
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const left = textNode(before);
  const right = textNode(after);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      left.append(shown(a[i++], before.json));
      right.append(shown(b[j++], after.json));
    } else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      right.append(mark('ins', b[j++], after.json));
    } else {
      left.append(mark('del', a[i++], before.json));
    }
  }
  return [left, right];
}

/** The before and after cells of one field change. */
function changeCells(change) {
  if (change.comparable === false) {
    const cell = el('td', 'note', 'not comparable: secret fingerprints made with different redaction keys');
    cell.colSpan = 2;
    return [cell];
  }
  if (isFingerprint(change.before) && isFingerprint(change.after)) {
    return [el('td', '', el('span', 'redacted', '[redacted]')), el('td', '', el('span', 'redacted', '[redacted]'), ' ', el('span', 'tag', 'secret changed'))];
  }
  const before = valueText(change.before);
  const after = valueText(change.after);
  if (before !== null && after !== null && before.text !== '[redacted]' && after.text !== '[redacted]') {
    const [left, right] = wordDiff(before, after);
    return [el('td', '', left), el('td', '', right)];
  }
  return [el('td', '', valueNode(change.before)), el('td', '', valueNode(change.after))];
}

/** A changed record's details: one row per field or JSON path. */
function changesTable(changes) {
  const body = el('tbody');
  for (const change of changes) {
    const head = th('row', fieldPath(change));
    if (change.op !== 'changed') head.append(' ', el('span', 'tag', change.op));
    if (change.volatile) head.append(' ', el('span', 'tag', 'volatile'));
    body.append(el('tr', '', head, ...changeCells(change)));
  }
  return el('table', 'changes', el('thead', '', el('tr', '', th('col', 'Field'), th('col', 'Before'), th('col', 'After'))), body);
}

/** An added or removed record in full: one row per column. */
function recordTable(record) {
  const body = el('tbody');
  for (const [column, value] of Object.entries(record)) body.append(el('tr', '', th('row', column), el('td', '', valueNode(value))));
  return el('table', 'record', el('thead', '', el('tr', '', th('col', 'Column'), th('col', 'Value'))), body);
}

function recordRow(item) {
  const details = item.kind === 'changed' ? changesTable(item.entry.changes) : recordTable(item.entry.record);
  const row = el('tr', 'record',
    el('td', '', badge(`kind-${item.kind}`, item.kind)),
    th('row', el('code', '', item.id)),
    el('td', '', item.name || ''),
    el('td', '', item.severity === 'none' ? el('span', 'sev-none', '—') : badge(`sev-${item.severity}`, item.severity)),
    el('td', '', details));
  row.dataset.kind = item.kind;
  return row;
}

function eventRow(event) {
  return el('tr', 'event',
    el('td', '', badge(`sev-${event.severity}`, event.severity)),
    el('td', '', el('code', '', event.kind)),
    el('td', '', event.id === null ? '—' : el('code', '', event.id)),
    el('td', '', event.summary));
}
