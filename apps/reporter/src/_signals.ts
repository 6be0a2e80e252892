/** Exit codes of a run stopped by a signal, as shells report them (128 + the signal's number). */
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export type StopSignal = keyof typeof EXIT_CODES;

export interface SignalTrap {
  /** Aborted by the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal received, or null. */
  received(): StopSignal | null;
  /** 130 after SIGINT, 143 after SIGTERM, null when none came. */
  exitCode(): number | null;
  dispose(): void;
}

/**
 * Turns SIGINT and SIGTERM into an abort, so a run can stop where it is safe to (cancel exports,
 * commit nothing, release the lock, remove its temp files) instead of dying mid-write. A second
 * signal exits at once: the lock of a dead run is taken over by the next one.
 */
export function trapSignals(): SignalTrap {
  const controller = new AbortController();
  let received: StopSignal | null = null;
  const handlers = (Object.keys(EXIT_CODES) as StopSignal[]).map((name) => {
    const handler = (): void => {
      if (received !== null) process.exit(EXIT_CODES[received]);
      received = name;
      controller.abort(new Error(`stopped by ${name}`));
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    received: () => received,
    exitCode: () => (received === null ? null : EXIT_CODES[received]),
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
