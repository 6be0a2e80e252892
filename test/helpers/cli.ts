/**
 * Runs the built `balkan-audit` CLI as a user would: a child process of the committed bin, with its
 * own environment. End-to-end tests use it instead of calling command functions in process.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../apps/reporter/bin/balkan-audit.js', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A clean environment: nothing of the developer's BalkanID or git identity leaks into a test. `CI`
 * is set as on the CI machine; an `extra` value of '' removes a variable.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CI: 'true', ...extra };
  for (const [name, value] of Object.entries(env)) if (value === '') delete env[name];
  return env;
}

export async function runCli(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliRun> {
  const { code, stdout, stderr } = await spawnCli(args, options).done;
  return { code, stdout, stderr };
}

/**
 * The built CLI with a terminal for stdout, as a user's shell gives it: run under `script`
 * (util-linux), which hands it a pseudo-terminal. Its output comes back with CRLF line ends.
 */
export async function runCliInTerminal(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliRun> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  return spawnCollecting('script', ['-qec', command, '/dev/null'], { cwd: options.cwd ?? process.cwd(), env: cleanEnv(options.env) }).done;
}

/** A CLI run still going: its process (to signal), what it printed so far, and its end. */
export interface RunningCli {
  readonly child: import('node:child_process').ChildProcess;
  stderr(): string;
  readonly done: Promise<CliRun & { readonly signal: NodeJS.Signals | null }>;
}

export function spawnCli(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): RunningCli {
  return spawnCollecting(process.execPath, [BIN, ...args], { cwd: options.cwd ?? process.cwd(), env: cleanEnv(options.env) });
}

/** Any command, its output collected as text (the env is used as given). */
export function spawnCollecting(command: string, args: readonly string[], options: { cwd: string; env: Record<string, string> }): RunningCli {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const done = new Promise<CliRun & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stderr: () => stderr, done };
}
