#!/usr/bin/env node
// Project lint: the architecture rules of DESIGN.md and STYLE.md that a type checker cannot see.
//  - dependencies point one way (the allowed arrows below); no package reaches into another's src/
//  - index.ts only re-exports, by name; files starting with `_` are never re-exported by index.ts
//  - index.ts exports exactly the values listed for its package below (types are not listed)
//  - no focused tests (.only) that would make CI skip the rest
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const allowed = {
  '@balkan-audit/errors': [],
  '@balkan-audit/client': ['@balkan-audit/errors'],
  '@balkan-audit/schema': ['@balkan-audit/errors'],
  '@balkan-audit/diff': ['@balkan-audit/errors', '@balkan-audit/schema'],
  '@balkan-audit/store': ['@balkan-audit/errors', '@balkan-audit/schema'],
  '@balkan-audit/report': ['@balkan-audit/diff'],
  '@balkan-audit/sandbox': ['@balkan-audit/schema'],
  '@balkan-audit/reporter': ['@balkan-audit/errors', '@balkan-audit/client', '@balkan-audit/schema', '@balkan-audit/diff',
    '@balkan-audit/store', '@balkan-audit/report', '@balkan-audit/sandbox'],
};

// Each package's public values: what the app and a library user need. Pipeline steps, codecs and
// test helpers stay internal, so a name enters or leaves a surface here, in review, never as a
// side effect of an edit to an index.ts.
const publicValues = {
  '@balkan-audit/client': ['createExportClient', 'dispatcherFromEnv', 'resolveExportClientOptions', 'DOCUMENTED_EXPORTS', 'resolveExport', 'ExportError', 'isExportError'],
  '@balkan-audit/schema': ['getSchema', 'DOCUMENTED_RESOURCES', 'normaliseCsv', 'countRecords', 'normaliseIncremental', 'normaliseDifference', 'indexExport',
    'serialiseCanonical', 'parseCanonical', 'cutCanonical', 'splitRecord', 'decodeCell', 'findCanonicalRecord', 'findRecordInSegments', 'recordStarts',
    'compareKeys', 'formatKey', 'parseKey',
    'createRedactor',
    'isFingerprint', 'SchemaError', 'SCHEMA_ERROR_CODES', 'SCHEMA_WARNING_CODES'],
  '@balkan-audit/diff': ['diffTables', 'compareExports', 'baselineChange', 'unchangedChange', 'failedChange', 'buildChangeSet', 'hasChanges',
    'DEFAULT_EVENT_RULES', 'resolveEventRules', 'tamperedEvent', 'rekeyedEvent', 'recordChanges', 'DiffError'],
  '@balkan-audit/store': ['openSnapshotStore', 'resolveStoreOptions', 'serialiseManifest', 'parseManifest', 'verifySnapshot', 'resolveAuthor',
    'defaultAuthorIdentity', 'manifestKey', 'withoutMac', 'openPgpSigner', 'openPgpVerifier', 'StoreError'],
  '@balkan-audit/report': ['renderMarkdown', 'renderHtml', 'renderCommitMessage', 'readChangeTrailers', 'CHANGES_TRAILER', 'renderRecordHistory',
    'renderNightList', 'escapeControls'],
  '@balkan-audit/sandbox': ['createSandbox', 'generateSyntheticExport', 'SYNTHETIC_SECRET_PREFIX', 'NIGHT2_CHANGES', 'SANDBOX_RESOURCES',
    'SANDBOX_SECRETS', 'sandboxCsv', 'SandboxError'],
  '@balkan-audit/errors': ['BalkanAuditError', 'isBalkanAuditError'],
  '@balkan-audit/reporter': ['run', 'VERSION'],
};

const pkgDir = resolve(process.argv[2] ?? '.');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const mayImport = allowed[pkg.name];
const problems = [];

for (const file of walk(join(pkgDir, 'src'))) {
  const text = readFileSync(file, 'utf8');
  const where = relative(process.cwd(), file);
  const isTest = /\.test\.ts$|\/_test-/.test(file);
  for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
    if (spec.startsWith('@balkan-audit/')) {
      const target = spec.split('/').slice(0, 2).join('/');
      if (spec !== target) problems.push(`${where}: imports "${spec}"; import the package's index instead`);
      else if (mayImport && !mayImport.includes(target) && !isTest) problems.push(`${where}: ${pkg.name} may not depend on ${target}`);
    } else if (spec.startsWith('.') && !resolve(file, '..', spec).startsWith(pkgDir)) {
      problems.push(`${where}: relative import "${spec}" leaves the package`);
    }
  }
  if (/\b(it|test|describe)\.only\(/.test(text)) problems.push(`${where}: focused test (.only)`);
  if (file.endsWith('/src/index.ts')) {
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const statements = code.split(';').map((s) => s.trim()).filter(Boolean);
    const values = [];
    for (const statement of statements) {
      const named = /^export\s+(type\s+)?\{([^}]*)\}\s+from\s+['"][^'"]+['"]$/.exec(statement);
      if (!named) {
        problems.push(`${where}: index.ts should only re-export by name, found: ${statement.slice(0, 80)}`);
      } else if (/from\s+['"]\.\/_/.test(statement)) {
        problems.push(`${where}: index.ts re-exports an internal _file: ${statement.slice(0, 80)}`);
      } else if (!named[1]) {
        for (const name of named[2].split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type '))) values.push(name.split(/\s+as\s+/).pop());
      }
    }
    const listed = publicValues[pkg.name] ?? [];
    for (const name of values.filter((n) => !listed.includes(n))) problems.push(`${where}: exports ${name}, which is not a public value of ${pkg.name} (publicValues in scripts/lint.mjs)`);
    for (const name of listed.filter((n) => !values.includes(n))) problems.push(`${where}: does not export ${name}, a public value of ${pkg.name} (publicValues in scripts/lint.mjs)`);
  }
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`lint ${pkg.name}: ok`);

function* walk(dir) {
  let entries;
  try { entries = readdirSync(dir); } catch { return; }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (path.endsWith('.ts')) yield path;
  }
}
