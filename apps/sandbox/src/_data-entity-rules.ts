import type { CsvTable } from './_csv.js';
import type { SandboxNight, ScriptedChange } from './types.js';

// The docs' entity-rules sample has no `*` markers.
const HEADER = ['ID', 'entity_filter', 'name', 'description', 'label', 'created_at', 'updated_at', 'created_by', 'updated_by'];

export function entityRulesTable(night: SandboxNight): CsvTable {
  const n2 = night === 2;
  const rows = [
    // The docs' sample; night 2 rewrites its filter with other key order and spacing, same meaning.
    ['13323523', n2 ? '{"key3":{"nestedKey":"nestedValue"},"key2":["value2","value3"],"key1":"value1"}'
      : '{"key1": "value1", "key2": ["value2", "value3"], "key3": {"nestedKey": "nestedValue"}}',
    'Sample Insight', 'This is a sample description of the insight', 'Sample Label', '2024-10-23T10:00:00Z', '2024-10-23T11:00:00Z', 'user1', 'user2'],
    ['13323524', `{"and": [{"field": "last_login_days", "op": "gt", "value": ${n2 ? 60 : 90}}, {"field": "is_admin", "op": "eq", "value": true}]}`,
      'Dormant admin accounts', 'Admins who have not logged in recently', 'Dormant', '2025-11-03T09:15:00Z',
      n2 ? '2026-01-14T16:42:00Z' : '2025-11-03T09:15:00Z', 'priya.nair@balkan.id', n2 ? 'tom.wilson@balkan.id' : 'priya.nair@balkan.id'],
    ['13323525', '{"field": "owner", "op": "is_null"}', 'Orphaned accounts', 'Accounts with no owner, "service" accounts included', '',
      '2025-12-01T08:00:00Z', '2025-12-01T08:00:00Z', 'user1', 'user1'],
  ];
  return { header: HEADER, rows, lineEnd: '\n', bom: false };
}

export const ENTITY_RULE_CHANGES: readonly ScriptedChange[] = [
  { resource: 'entity-rules', id: '13323524', kind: 'insight.filter_changed', description: 'Custom insight Dormant admin accounts: entity_filter last_login_days 90 → 60, updated by tom.wilson@balkan.id', fields: ['entity_filter', 'updated_at', 'updated_by'] },
  { resource: 'entity-rules', id: '13323523', kind: 'noop.json_key_order', description: 'Custom insight Sample Insight: entity_filter rewritten with other key order and spacing, same meaning (no change)', fields: [] },
];
