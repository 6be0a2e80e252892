/** The rows of the end-to-end fault table (`e2e/faults.test.ts`) and the page rendered from them. */
import type { CliRun } from './cli.js';
import type { Night } from './night.js';

export interface FaultRow {
  readonly fault: string;
  /** How the test brings it about. */
  readonly how: string;
  /** The exit code, or the signal that killed the run. */
  readonly exit: number | 'SIGKILL';
  /** The faulted resource's status in the change set; null when the run writes none. */
  readonly status: 'compared' | 'failed' | null;
  /** The error code the resource (or the run) reports. */
  readonly code?: string;
  /** What HEAD holds for the resource afterwards: night 1's file, night 2's, or either (a race the run may win). */
  readonly head: 'night 1' | 'night 2' | 'either';
  readonly resource: string;
  /** Also snapshot a generated 20,000-row resource, so the run spends long enough writing to be stopped there. */
  readonly big?: boolean;
  /** Runs the faulted night 2; `night.sandbox` already serves night 2. */
  readonly act: (night: Night) => Promise<CliRun & { readonly signal?: NodeJS.Signals | null }>;
  /** Further checks of the faulted run. */
  readonly check?: (run: CliRun, night: Night) => Promise<void> | void;
  /** The clean night after it runs with these arguments (e.g. `--rekey`) and reports these events, not those. */
  readonly recover?: {
    readonly args?: readonly string[];
    readonly env?: Record<string, string>;
    readonly events?: readonly string[];
    readonly absent?: readonly string[];
  };
}

const HEAD_TEXT = { 'night 1': 'kept (last good snapshot)', 'night 2': 'tonight\'s snapshot', either: 'kept, or tonight\'s if the branch had already moved' } as const;

/** docs/reliability.md: the fault table as a reader sees it. */
export function renderFaultTable(rows: readonly FaultRow[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    '# Reliability: the fault table',
    '',
    'Generated from the rows in `test/helpers/fault-rows.ts`, which `test/e2e/faults.test.ts` and',
    '`test/e2e/faults-process.test.ts` run (after changing them: `BALKAN_AUDIT_WRITE_DOCS=1 pnpm --filter @balkan-audit/e2e test faults`);',
    'a test fails when this page and the rows disagree.',
    '',
    'Each row runs a clean night 1 against the sandbox (the five documented exports, and for the disk and signal',
    'rows a generated 20,000-row `admins` as well), then night 2 with the fault, with the built CLI as a user runs it. Every row also checks that',
    'no lock or temp file is left (after a SIGKILL: once the next run has cleaned up), that `git fsck --strict`',
    'is clean, and that the next clean night exits 0 and commits night 2 exactly.',
    '',
    '| fault | how it is brought about | exit | resource status | error code | HEAD\'s file | next night |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${cell(row.fault)} | ${cell(row.how)} | ${row.exit === 'SIGKILL' ? 'killed' : row.exit} | ${row.status ?? 'no change set'} | ${row.code ? `\`${row.code}\`` : '—'} | ${HEAD_TEXT[row.head]} | exit 0${row.recover?.args ? ` with \`${row.recover.args.join(' ')}\`` : ''}${row.recover?.events ? ` (${row.recover.events.map((e) => `\`${e}\``).join(', ')})` : ''} |`),
    '',
  ];
  return lines.join('\n');
}
