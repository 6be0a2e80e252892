import { parseCliArgs, USAGE } from './_cli-args.js';
import { createSandbox } from './sandbox.js';
import type { SandboxRequestLog } from './types.js';

/** Where the command line writes; tests and embedders may pass their own. */
export interface SandboxCliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Resolves when the sandbox should stop. @default the first SIGINT or SIGTERM */
  readonly stopSignal?: Promise<unknown>;
}

/**
 * Runs `balkan-sandbox` with `argv` (without node and script): prints the two origins and the
 * environment lines a client needs, logs one line per request (never a header value or a query
 * string), and resolves to the exit code once stopped.
 */
export async function run(argv: readonly string[], io: SandboxCliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let settings;
  try {
    settings = parseCliArgs(argv);
  } catch (error) {
    io.stderr.write(`balkan-sandbox: ${error instanceof Error ? error.message : String(error)}\nRun \`balkan-sandbox --help\` for usage.\n`);
    return 1;
  }
  if (settings.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let sandbox;
  try {
    sandbox = createSandbox({ ...settings.options, onRequest: (entry) => io.stderr.write(`${logLine(entry)}\n`) });
  } catch (error) {
    io.stderr.write(`balkan-sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const stop = io.stopSignal ?? signalled();
  let urls;
  try {
    urls = await sandbox.listen(settings.port, settings.storagePort);
  } catch (error) {
    io.stderr.write(`balkan-sandbox: cannot listen on 127.0.0.1: ${error instanceof Error ? error.message : String(error)}\n`);
    await sandbox.close();
    return 1;
  }
  const { apiUrl, storageUrl } = urls;
  io.stdout.write([
    `BalkanID sandbox, night ${settings.options.night ?? 1}`,
    `API:     ${apiUrl}`,
    `Storage: ${storageUrl}`,
    '',
    'Point a client at it with:',
    `BALKANID_BASE_URL=${apiUrl}`,
    `BALKANID_API_KEY_ID=${sandbox.apiKeyId}`,
    `BALKANID_API_KEY_SECRET=${sandbox.apiKeySecret}`,
    '',
  ].join('\n'));
  await stop;
  await sandbox.close();
  io.stderr.write('balkan-sandbox: stopped\n');
  return 0;
}

function logLine(entry: SandboxRequestLog): string {
  return `${entry.origin.padEnd(7)} ${entry.method.padEnd(4)} ${entry.path} → ${entry.status} (${entry.ms.toFixed(1)} ms)`;
}

function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
