import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`; rejects with the signal's reason as soon as it aborts (never sleeps on after). */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) {
    signal?.throwIfAborted();
    return;
  }
  await delay(ms, undefined, signal ? { signal } : undefined);
}
