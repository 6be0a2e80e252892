import type { ExportProgress } from '@balkan-audit/client';
import type { CliIo } from './io.js';

/**
 * Progress of concurrent tasks (one per resource) on stderr. On an interactive terminal one live
 * line shows every active task and is redrawn in place; milestones are printed above it. Elsewhere
 * (CI, pipes) only milestones are printed, as plain `task: text` lines, so logs stay readable.
 */
export interface ProgressReporter {
  /** The task's current state, e.g. `waiting for the export (poll 3)`. Shown on the live line, and off a terminal every ~10 s while it lasts. */
  status(task: string, text: string): void;
  /** A milestone worth keeping in the log, e.g. `ready after 2 polls`. */
  note(task: string, text: string): void;
  /** The task is over: prints `text` and drops the task from the live line. */
  finish(task: string, text: string): void;
  /**
   * What the reporter's own timer does every second: on a terminal, redraws the live line (its
   * seconds go on); elsewhere, prints a line for each task whose last line is `heartbeatMs` old, so
   * a slow export never leaves a log silent.
   */
  tick(): void;
  /** Clears the live line and stops the timer; call once when every task is over. */
  close(): void;
}

export interface ProgressOptions {
  /** Clock for throttling redraws and for the seconds shown. @default Date.now */
  readonly now?: () => number;
  /** Least time between two redraws caused by `status`. @default 100 */
  readonly redrawIntervalMs?: number;
  /** Width the live line is cut to. @default the terminal's width, or 100 */
  readonly columns?: number;
  /** Off a terminal, how long a task may go without a line. @default 10000 */
  readonly heartbeatMs?: number;
  /** Run `tick` every second on a timer (tests call `tick` themselves). @default true */
  readonly timer?: boolean;
}

const CLEAR_LINE = '\r\x1b[2K';

interface Active {
  text: string;
  /** When the task started, for the seconds shown. */
  readonly since: number;
  /** When the task last had a line of its own in the log. */
  printed: number;
}

export function createProgressReporter(io: Pick<CliIo, 'stderr' | 'interactive'>, options: ProgressOptions = {}): ProgressReporter {
  const now = options.now ?? Date.now;
  const interval = options.redrawIntervalMs ?? 100;
  const heartbeat = options.heartbeatMs ?? 10_000;
  // A pseudo-terminal without a size reports 0 columns; fall back to a common width.
  const terminalColumns = (io.stderr as { columns?: number }).columns;
  const columns = options.columns ?? (terminalColumns !== undefined && terminalColumns >= 20 ? terminalColumns : 100);
  const interactive = io.interactive;
  const active = new Map<string, Active>();
  let drawn = false;
  let lastDraw = -Infinity;
  let timer: NodeJS.Timeout | null = null;

  const elapsed = (task: Active): string => {
    const seconds = Math.floor((now() - task.since) / 1000);
    return seconds >= 2 ? ` (${seconds} s)` : '';
  };
  const draw = (): void => {
    const line = [...active].map(([name, task]) => `${name}: ${task.text}${elapsed(task)}`).join(' · ');
    const cut = line.length > columns - 1 ? `${line.slice(0, Math.max(0, columns - 2))}…` : line;
    io.stderr.write(`${CLEAR_LINE}${cut}`);
    drawn = cut !== '';
    lastDraw = now();
  };
  const print = (name: string, text: string): void => {
    if (interactive && drawn) io.stderr.write(CLEAR_LINE);
    io.stderr.write(`${name}: ${text}\n`);
    const task = active.get(name);
    if (task) task.printed = now();
    if (interactive) draw();
  };
  const tick = (): void => {
    if (interactive) {
      if (active.size > 0) draw();
      return;
    }
    for (const [name, task] of active) {
      if (now() - task.printed >= heartbeat) print(name, `${task.text}${elapsed(task)}`);
    }
  };

  return {
    status(name, text) {
      const task = active.get(name);
      if (task) task.text = text;
      else active.set(name, { text, since: now(), printed: now() });
      if (options.timer !== false && timer === null) timer = setInterval(tick, 1000).unref();
      if (interactive && now() - lastDraw >= interval) draw();
    },
    note: print,
    finish(name, text) {
      active.delete(name);
      print(name, text);
    },
    tick,
    close() {
      active.clear();
      if (timer !== null) clearInterval(timer);
      timer = null;
      if (interactive && drawn) io.stderr.write(CLEAR_LINE);
      drawn = false;
    },
  };
}

/** Turns exports' progress events into reporter calls, by resource (the final line is the caller's). */
export function exportProgressHandler(reporter: ProgressReporter): (event: ExportProgress) => void {
  return (event) => {
    const { resource } = event;
    switch (event.type) {
      case 'requested':
        if (event.exports > 1) reporter.note(resource, 'requested a fresh export');
        reporter.status(resource, 'export requested');
        break;
      case 'polling':
        reporter.status(resource, `not ready yet (poll ${event.attempt + 1})`);
        break;
      case 'ready':
        reporter.note(resource, `ready after ${plural(event.polls, 'poll')}`);
        break;
      case 'downloading':
        reporter.status(resource, event.totalBytes
          ? `downloading, ${Math.floor((event.bytes / event.totalBytes) * 100)}% of ${formatBytes(event.totalBytes)}`
          : `downloading, ${formatBytes(event.bytes)}`);
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
