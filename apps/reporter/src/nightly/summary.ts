import type { AuditEvent, ChangeSet, ResourceChange, Severity } from '@balkan-audit/diff';
import { escapeControls } from '@balkan-audit/report';
import { formatTable } from '../format-table.js';

const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];

/**
 * The plain summary a nightly run prints on stdout: one row per resource, then the high and medium
 * events by name. The full detail is in the change set file.
 */
export function formatNightlySummary(changeSet: ChangeSet, options: { maxEvents?: number } = {}): string {
  const maxEvents = options.maxEvents ?? 20;
  const rows = changeSet.resources.map((r) => [r.resource, r.status, rowsCell(r), marks(r), eventsCell(r.events)]);
  const lines = [formatTable(['resource', 'status', 'rows', 'changes', 'events'], rows, [false, false, true, false, false])];
  for (const r of changeSet.resources) {
    if (r.status === 'failed' && r.error) lines.push(`${r.resource} failed [${r.error.code}]: ${escapeControls(r.error.message)} (${r.keptPrevious === false ? 'no snapshot yet' : 'previous snapshot kept'})`);
  }
  const headline = [...changeSet.events, ...changeSet.resources.flatMap((r) => r.events)].filter((e) => e.severity !== 'low');
  if (headline.length > 0) {
    lines.push('');
    // Summaries carry record data: shown inert, control and bidi characters escaped.
    for (const event of headline.slice(0, maxEvents)) lines.push(`${event.severity.padEnd(6)} ${escapeControls(event.summary)}`);
    if (headline.length > maxEvents) lines.push(`… ${headline.length - maxEvents} more in the change set`);
  }
  return lines.join('\n');
}

function rowsCell(change: ResourceChange): string {
  const { before, after } = change.counts;
  if (change.status === 'new') return String(after);
  if (change.status === 'failed') return before > 0 ? String(before) : '—';
  return before === after ? String(after) : `${before} → ${after}`;
}

function marks(change: ResourceChange): string {
  if (change.status !== 'compared') return change.status === 'new' ? 'baseline' : '—';
  const { added, removed, changed } = change.counts;
  const columns = change.schemaChanges.addedColumns.length + change.schemaChanges.removedColumns.length;
  const parts = [`+${added}`, `-${removed}`, `~${changed}`];
  if (columns > 0) parts.push(`${columns} column${columns === 1 ? '' : 's'}`);
  return added + removed + changed + columns === 0 ? 'no change' : parts.join(' ');
}

function eventsCell(events: readonly AuditEvent[]): string {
  const counts = SEVERITIES.map((s) => [s, events.filter((e) => e.severity === s).length] as const).filter(([, n]) => n > 0);
  return counts.length === 0 ? '—' : counts.map(([s, n]) => `${n} ${s}`).join(', ');
}
