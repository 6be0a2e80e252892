import { createWriteStream, mkdtempSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ContentFaults } from './_faults.js';
import { syntheticReadable, type GeneratorSpec } from './_synthetic-lines.js';

/**
 * Generated exports written once to a private temp directory and then served from disk. Generating
 * ~260 MB takes seconds; a real object store serves it at disk speed, and a benchmark of the client
 * side must not be measuring the simulator's generator on every download.
 */
export class SyntheticCache {
  #dir: string | null = null;
  readonly #files = new Map<string, Promise<{ readonly file: string; readonly length: number }>>();

  get(spec: GeneratorSpec, faults: ContentFaults): Promise<{ readonly file: string; readonly length: number }> {
    const key = JSON.stringify([spec.rows, spec.seed, spec.variant, spec.shuffle, faults.empty, faults.malformed, faults.duplicateIds]);
    let entry = this.#files.get(key);
    if (!entry) {
      this.#dir ??= mkdtempSync(join(tmpdir(), 'balkan-sandbox-'));
      const file = join(this.#dir, `synthetic-${this.#files.size}.csv`);
      entry = pipeline(syntheticReadable(spec, faults), createWriteStream(file)).then(async () => ({ file, length: (await stat(file)).size }));
      this.#files.set(key, entry);
    }
    return entry;
  }

  /** Removes the generated files (the sandbox's close). */
  async dispose(): Promise<void> {
    await Promise.allSettled(this.#files.values());
    this.#files.clear();
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
    this.#dir = null;
  }
}
