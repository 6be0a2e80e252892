/**
 * Benchmark harness: every measured step runs in a fresh child process so wall time and peak RSS
 * belong to that step alone, and our code and the anchors (daff, csv-parse, native git) are measured
 * the same way, in the same run, on the same machine.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export interface Measurement {
  readonly label: string;
  readonly wallSeconds: number;
  /** Peak resident set size of the child (node children only; null for native commands). */
  readonly peakRssMiB: number | null;
  readonly stdout: string;
}

const rssPreload = fileURLToPath(new URL('./_rss.mjs', import.meta.url));

/**
 * Runs a TypeScript or JavaScript file in a fresh node process (tsx, with the workspace's source
 * condition) and measures it. With `built: true` the file runs on plain node against the compiled
 * `dist/` packages, as a user runs the CLI, so start-up is not inflated by transpiling. The
 * script's stdout is returned; stderr passes through.
 */
export function measureNode(label: string, script: string, args: readonly string[] = [], options: { env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[]; built?: boolean; exitCode?: number } = {}): Promise<Measurement> {
  const loader = options.built ? [] : ['--conditions=@balkan-audit/source', '--import', 'tsx'];
  return measure(label, process.execPath, [
    ...loader,
    '--import', rssPreload,
    ...(options.nodeArgs ?? []),
    script,
    ...args,
  ], options.env, true, undefined, options.exitCode);
}

/** Runs a native command (e.g. `git`) and measures its wall time. */
export function measureCommand(label: string, command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Measurement> {
  return measure(label, command, args, options.env, false, options.cwd);
}

/** `exitCode`: the code the step must exit with (a check that finds what it is meant to exits 1). */
function measure(label: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv | undefined, node: boolean, cwd?: string, exitCode = 0): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, [...args], {
      cwd: cwd ?? fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit', 'pipe'],
    });
    let stdout = '';
    let report = '';
    // stdio is ['ignore', 'pipe', 'inherit', 'pipe'], so stdout and fd 3 are readable pipes.
    (child.stdout as Readable).setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (chunk: string) => { report += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== exitCode) {
        reject(new Error(`${label}: ${command} ${args.join(' ')} exited with ${code}\n${stdout.slice(-2000)}`));
        return;
      }
      const rss = node && report ? (JSON.parse(report.trim().split('\n').pop()!) as { maxRssKiB: number }).maxRssKiB / 1024 : null;
      resolve({ label, wallSeconds, peakRssMiB: rss, stdout });
    });
  });
}

/** One line naming the machine, for docs/benchmarks.md. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${availableParallelism()} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

export function formatMeasurement(m: Measurement): string {
  return `${m.label.padEnd(44)} ${m.wallSeconds.toFixed(2).padStart(8)} s ${m.peakRssMiB === null ? '       —' : `${m.peakRssMiB.toFixed(0).padStart(6)} MiB`}`;
}

/** `ours` relative to `anchor`: how many times faster, and what fraction of the memory. */
export function ratioLine(ours: Measurement, anchor: Measurement): string {
  const speed = anchor.wallSeconds / ours.wallSeconds;
  const memory = ours.peakRssMiB !== null && anchor.peakRssMiB !== null ? ours.peakRssMiB / anchor.peakRssMiB : null;
  return `${ours.label} vs ${anchor.label}: ${speed.toFixed(2)}× the speed${memory === null ? '' : `, ${(memory * 100).toFixed(0)}% of the peak memory`}`;
}

/** Reads `--name value` style options with defaults, for bench scripts. */
export function benchArgs(defaults: Record<string, string>): Record<string, string> {
  const out = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--') && i + 1 < argv.length) out[arg.slice(2)] = argv[++i]!;
  }
  return out;
}
