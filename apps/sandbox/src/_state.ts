import { randomBytes } from 'node:crypto';
import { csvText } from './_csv.js';
import { applyContentFaults, contentFaults, faultsApply } from './_faults.js';
import type { ExportRecord } from './_exports.js';
import { checkFaults, checkNight, checkResource, checkSynthetic, type SandboxOptionsResolved } from './_options.js';
import { scriptedTable } from './_scripted.js';
import { LinkSigner } from './_signing.js';
import { SyntheticCache } from './_synthetic-cache.js';
import type { ContentFaults } from './_faults.js';
import type { CampaignFilters } from './_data-campaigns.js';
import { GENERIC_RESOURCES } from './_data-generic.js';
import { SANDBOX_RESOURCES } from './data.js';
import type { SandboxCounters, SandboxFaults, SandboxNight, SyntheticSpec } from './types.js';

export type Step = 'post' | 'poll' | 'download';

/** Everything the two servers share: what is served now, the faults, the counters, the exports. */
export class SandboxState {
  readonly options: SandboxOptionsResolved;
  readonly signer = new LinkSigner(randomBytes(32));
  readonly counters: SandboxCounters = emptyCounters();
  readonly exports = new Map<string, ExportRecord>();
  storageOrigin = '';
  night: SandboxNight;
  faults: SandboxFaults = {};
  synthetic: SyntheticSpec | null;
  #serverErrorsLeft = 0;
  #expiredLinksLeft = 0;
  /** Generated exports, written to disk once per content and served from there. */
  readonly #synthetic = new SyntheticCache();
  /** CSV texts served as they are (`setExport`). */
  readonly #served = new Map<string, string>();

  constructor(options: SandboxOptionsResolved) {
    this.options = options;
    this.night = options.night;
    this.synthetic = options.synthetic;
    this.setFaults(options.faults);
  }

  setNight(night: SandboxNight): void {
    this.night = checkNight(night);
  }

  setFaults(faults: SandboxFaults): void {
    this.faults = checkFaults(faults);
    this.#serverErrorsLeft = faults.serverErrors?.count ?? 0;
    this.#expiredLinksLeft = faults.expireLinks ?? 0;
  }

  setSynthetic(spec: SyntheticSpec | null): void {
    this.synthetic = spec === null ? null : checkSynthetic(spec);
  }

  setExport(resource: string, csv: string | null): void {
    if (csv === null) this.#served.delete(resource);
    else this.#served.set(checkResource(resource), csv);
  }

  resetCounters(): void {
    Object.assign(this.counters, emptyCounters(), { posts: this.counters.posts });
    for (const key of Object.keys(this.counters.posts)) delete this.counters.posts[key];
  }

  knows(resource: string): boolean {
    return SANDBOX_RESOURCES.includes(resource) || GENERIC_RESOURCES.includes(resource) || this.synthetic?.resource === resource || this.#served.has(resource);
  }

  /** Consumes one injected 5xx if the active faults have one left for this step and resource. */
  takeServerError(step: Step, resource: string): { status: number; retryAfterSeconds: number | undefined } | null {
    const errors = this.faults.serverErrors;
    if (!errors || (errors.on ?? 'post') !== step || !faultsApply(this.faults, resource) || this.#serverErrorsLeft <= 0) return null;
    this.#serverErrorsLeft -= 1;
    this.counters.serverErrors += 1;
    return { status: errors.status ?? 503, retryAfterSeconds: errors.retryAfterSeconds };
  }

  /** Whether this export's links are issued already expired (consumes one `expireLinks`). */
  takeExpiredLink(resource: string): boolean {
    if (this.#expiredLinksLeft <= 0 || !faultsApply(this.faults, resource)) return false;
    this.#expiredLinksLeft -= 1;
    return true;
  }

  unauthorizedFault(resource: string): boolean {
    return this.faults.unauthorized === true && faultsApply(this.faults, resource);
  }

  /** Fixes an export's data, faults and readiness at POST time and registers it. */
  createExport(resource: string, filters: CampaignFilters | undefined, now: number): ExportRecord {
    const applies = faultsApply(this.faults, resource);
    const faults = contentFaults(this.faults, resource);
    const synthetic = this.synthetic?.resource === resource ? this.synthetic : null;
    const spec = synthetic && { rows: synthetic.rows, seed: synthetic.seed, variant: synthetic.variant, shuffle: synthetic.shuffle ?? false };
    const bytes = spec ? null : this.#scriptedBytes(resource, filters, faults);
    const record: ExportRecord = {
      id: `exp_${randomBytes(10).toString('hex')}`,
      resource,
      content: spec ? { kind: 'synthetic', spec, faults } : { kind: 'text', bytes: bytes ?? Buffer.alloc(0) },
      length: bytes ? bytes.length : null,
      file: null,
      readyAfterPolls: this.options.readyAfterPolls,
      readyAt: now + this.options.readyAfterMs + (applies ? this.faults.slowReadyMs ?? 0 : 0),
      neverReady: applies && this.faults.neverReady === true,
      truncate: applies && this.faults.truncate === true,
      reset: applies && this.faults.reset === true,
      polls: 0,
      ready: false,
    };
    if (spec) {
      // Ready only once the file is complete; a failed generation leaves the export never ready.
      this.#synthetic.get(spec, faults).then(({ file, length }) => { record.file = file; record.length = length; }, () => undefined);
    }
    this.exports.set(record.id, record);
    return record;
  }

  #scriptedBytes(resource: string, filters: CampaignFilters | undefined, faults: ContentFaults): Buffer {
    const served = this.#served.get(resource);
    if (served !== undefined) return Buffer.from(served, 'utf8');
    const table = scriptedTable(resource, this.night, filters);
    if (!table) throw new Error(`no scripted table for ${resource}`);
    const { table: faulted, trailer } = applyContentFaults(table, faults);
    return Buffer.from(csvText(faulted) + trailer, 'utf8');
  }

  /** Removes generated files; called when the sandbox closes. */
  dispose(): Promise<void> {
    return this.#synthetic.dispose();
  }
}

function emptyCounters(): SandboxCounters {
  return { apiRequests: 0, storageRequests: 0, posts: {}, polls: 0, downloads: 0, unauthorized: 0, serverErrors: 0, storageRequestsWithApiKey: 0, connections: 0 };
}
