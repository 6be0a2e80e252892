import { Writable } from 'node:stream';
import type { CliIo } from './io.js';

/** A CliIo whose stdout and stderr are captured as text, for running commands in tests. */
export interface CapturedIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

export function captureIo(options: { env?: Record<string, string | undefined>; cwd?: string; interactive?: boolean; terminal?: boolean } = {}): CapturedIo {
  const sink = (): { stream: Writable; text: () => string } => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        text += String(chunk);
        callback();
      },
    });
    return { stream, text: () => text };
  };
  const stdout = sink();
  const stderr = sink();
  return {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    interactive: options.interactive ?? false,
    terminal: options.terminal ?? false,
    out: stdout.text,
    err: stderr.text,
  };
}
