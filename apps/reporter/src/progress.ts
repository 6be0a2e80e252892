import type { ExportProgress } from '@balkan-audit/client';
import type { CliIo } from './io.js';

/**
 * Progress of concurrent tasks (one per resource) on stderr. On an interactive terminal one live
 * line shows every active task and is redrawn in place; milestones are printed above it. Elsewhere
 * (CI, pipes) only milestones are printed, as plain `task: text` lines, so logs stay readable.
 */
export interface ProgressReporter {
  /** The task's current state, e.g. `polling (3)`. Shown on the live line only. */
  status(task: string, text: string): void;
  /** A milestone worth keeping in the log, e.g. `ready after 2 polls`. */
  note(task: string, text: string): void;
  /** The task is over: prints `text` and drops the task from the live line. */
  finish(task: string, text: string): void;
  /** Clears the live line; call once when every task is over. */
  close(): void;
}

export interface ProgressOptions {
  /** Clock for throttling redraws. @default Date.now */
  readonly now?: () => number;
  /** Least time between two redraws caused by `status`. @default 100 */
  readonly redrawIntervalMs?: number;
  /** Width the live line is cut to. @default the terminal's width, or 100 */
  readonly columns?: number;
}

const CLEAR_LINE = '\r\x1b[2K';

export function createProgressReporter(io: Pick<CliIo, 'stderr' | 'interactive'>, options: ProgressOptions = {}): ProgressReporter {
  const now = options.now ?? Date.now;
  const interval = options.redrawIntervalMs ?? 100;
  // A pseudo-terminal without a size reports 0 columns; fall back to a common width.
  const terminalColumns = (io.stderr as { columns?: number }).columns;
  const columns = options.columns ?? (terminalColumns !== undefined && terminalColumns >= 20 ? terminalColumns : 100);
  const interactive = io.interactive;
  const active = new Map<string, string>();
  let drawn = false;
  let lastDraw = -Infinity;

  const draw = (): void => {
    const line = [...active].map(([task, text]) => `${task}: ${text}`).join(' · ');
    const cut = line.length > columns - 1 ? `${line.slice(0, Math.max(0, columns - 2))}…` : line;
    io.stderr.write(`${CLEAR_LINE}${cut}`);
    drawn = cut !== '';
    lastDraw = now();
  };
  const print = (task: string, text: string): void => {
    if (interactive && drawn) io.stderr.write(CLEAR_LINE);
    io.stderr.write(`${task}: ${text}\n`);
    if (interactive) draw();
  };

  return {
    status(task, text) {
      active.set(task, text);
      if (interactive && now() - lastDraw >= interval) draw();
    },
    note: print,
    finish(task, text) {
      active.delete(task);
      print(task, text);
    },
    close() {
      active.clear();
      if (interactive && drawn) io.stderr.write(CLEAR_LINE);
      drawn = false;
    },
  };
}

/** Turns one export's progress events into reporter calls (the final line is the caller's). */
export function exportProgressHandler(reporter: ProgressReporter, resource: string): (event: ExportProgress) => void {
  return (event) => {
    switch (event.type) {
      case 'requested':
        if (event.exports > 1) reporter.note(resource, 'requested a fresh export');
        reporter.status(resource, 'requested');
        break;
      case 'polling':
        reporter.status(resource, `poll ${event.attempt + 1}`);
        break;
      case 'ready':
        reporter.note(resource, `ready after ${plural(event.polls, 'poll')}`);
        break;
      case 'downloading':
        reporter.status(resource, event.totalBytes
          ? `${Math.floor((event.bytes / event.totalBytes) * 100)}% of ${formatBytes(event.totalBytes)}`
          : formatBytes(event.bytes));
        break;
      case 'retry':
        reporter.note(resource, `retry ${event.attempt} in ${formatSeconds(event.delayMs)} s: ${event.reason}`);
        break;
      case 'done':
        break;
    }
  };
}

/** `512 B`, `1.2 kB`, `34.5 MB`: decimal units, one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Milliseconds as seconds with one decimal (`0.3`). */
export function formatSeconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
