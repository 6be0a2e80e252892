import type { Writable } from 'node:stream';

/** Where a command reads its environment and writes its output. Tests pass their own. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** stderr is an interactive terminal: progress may redraw one live line. */
  readonly interactive: boolean;
  /**
   * stdout is a terminal: Markdown printed there is read there, so it is printed without GitHub's
   * escapes (`@&#8203;`, `&lt;`, backslashes). Piped or redirected, it may reach GitHub: it keeps them.
   */
  readonly terminal: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
    terminal: Boolean(process.stdout.isTTY),
  };
}

/** Writes `data` and resolves once the stream has taken it (stdout may be a pipe). */
export function writeAll(stream: Writable, data: string | Uint8Array): Promise<void> {
  return new Promise((done, fail) => stream.write(data, (error) => (error ? fail(error) : done())));
}

export function writeLine(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}
