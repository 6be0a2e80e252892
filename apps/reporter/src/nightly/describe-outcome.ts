import type { ResourceOutcome } from './snapshot-resource.js';

/** One progress line for a finished resource: what was fetched and what it amounts to. */
export function describeOutcome(outcome: ResourceOutcome): string {
  const { change } = outcome;
  if (change.error?.code === 'EXPORT_ABORTED') return 'stopped';
  if (change.status === 'failed') return `failed [${change.error?.code ?? 'ERROR'}], ${change.keptPrevious === false ? 'no snapshot yet' : 'previous snapshot kept'}`;
  const fetched = `${change.counts.after} rows`;
  if (outcome.shortCircuit) return `${fetched}, export identical to the last one`;
  if (change.status === 'new') return `${fetched}, baseline`;
  const { added, removed, changed } = change.counts;
  const counts = added + removed + changed === 0 ? `${fetched}, no change` : `${fetched}, +${added} -${removed} ~${changed}`;
  return outcome.reused > 0 ? `${counts}, ${outcome.reused} taken over unparsed` : counts;
}
