import type { CsvTable } from './_csv.js';
import type { SandboxNight, ScriptedChange } from './types.js';

// The docs' sample header marks Recurrence, Escalation and Escalation Date too; keep it verbatim.
const HEADER = ['ID*', 'Name*', 'Description', 'Status*', 'Start Date*', 'End Date*', 'Percentage Completed*',
  'Is Published*', 'Recurrence*', 'Escalation*', 'Escalation Date*'];

const STATUS_COLUMN = 3;

function rows(night: SandboxNight): string[][] {
  const n2 = night === 2;
  return [
    // The docs' sample rows.
    ['01HA02WD9PGPJA5FV4CNGYGGNM', 'Test campaign 3', 'Some random campaign', 'draft', '2023-09-06', '2023-09-20', '0.00', 'FALSE', '', '', ''],
    ['01HA02TFB8JBSF2BWBJBWVP696', 'Test Campaign 2', 'This is a campaign description', 'completed', '2023-09-06', '2023-09-22', '100.00', 'TRUE', '', '', ''],
    ['01HA02R3KH676CD9XHZAY8SCDZ', 'Test campaign', 'This is a test campaign', n2 ? 'completed' : 'pending', '2023-09-07', '2023-09-26',
      n2 ? '100.00' : '35.24', 'FALSE', 'RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=+1MO', '168h', '2024-05-23'],
    ['01HQ8ZK3V4M6N8P0R2S4T6V8XA', 'Q1 2026 access review, production',
      'Quarterly review of production access.\nScope: "prod" accounts, admins first', 'pending', '2026-01-05', '2026-01-30',
      n2 ? '57.75' : '12.50', 'TRUE', 'RRULE:FREQ=MONTHLY;INTERVAL=3', '72h', '2026-01-20'],
    ['01HQ9A1B2C3D4E5F6G7H8J9K0M', 'SOX certification FY2026', 'Annual SOX certification of finance systems', 'pending',
      '2026-01-12', '2026-03-31', '5.00', 'TRUE', '', '336h', '2026-02-15'],
    ...(n2 ? [['01HQAB4C5D6E7F8G9H0J1K2M3N', 'Contractor access sweep', 'Monthly sweep of contractor accounts', 'pending',
      '2026-01-15', '2026-01-29', '0.00', 'FALSE', 'RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=+3MO', '48h', '2026-01-22']] : []),
  ];
}

/** The campaigns body's filters: completed / draft campaigns are left out when false. */
export interface CampaignFilters {
  readonly includeCompleted: boolean;
  readonly includeDraft: boolean;
}

export function campaignsTable(night: SandboxNight, filters: CampaignFilters = { includeCompleted: true, includeDraft: true }): CsvTable {
  const kept = rows(night).filter((row) => {
    const status = row[STATUS_COLUMN];
    return (filters.includeCompleted || status !== 'completed') && (filters.includeDraft || status !== 'draft');
  });
  return { header: HEADER, rows: kept, lineEnd: '\r\n', bom: false };
}

export const CAMPAIGN_CHANGES: readonly ScriptedChange[] = [
  { resource: 'campaigns', id: '01HA02R3KH676CD9XHZAY8SCDZ', kind: 'campaign.status_changed', description: 'Campaign Test campaign: status pending → completed (Percentage Completed 35.24 → 100.00)', fields: ['Status', 'Percentage Completed'] },
  { resource: 'campaigns', id: '01HQAB4C5D6E7F8G9H0J1K2M3N', kind: 'campaign.added', description: 'New campaign Contractor access sweep (pending)', fields: [] },
  { resource: 'campaigns', id: '01HQ8ZK3V4M6N8P0R2S4T6V8XA', kind: 'volatile.only', description: 'Campaign Q1 2026 access review, production: only Percentage Completed 12.50 → 57.75', fields: ['Percentage Completed'] },
];
