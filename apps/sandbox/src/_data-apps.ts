import type { CsvTable } from './_csv.js';
import type { SandboxNight, ScriptedChange } from './types.js';

// The docs' apps sample has no `*` markers.
const HEADER = ['Tenant ID', 'Tenant Name', 'Tenant Status', 'Tenant Created At', 'ID', 'Name', 'Description', 'Logo'];

export function appsTable(night: SandboxNight): CsvTable {
  const rows = [
    ['01XB', 'default', 'active', '2022-01-11', 'asana', 'Asana', 'Work management platform', 'https://logo_link/'],
    ['01XB', 'default', 'active', '2022-01-12', 'aws', 'Amazon Web Services', 'Cloud computing platform', 'https://logo_link/'],
    ['01XB', 'default', 'active', '2022-01-11', 'github', 'GitHub', 'Code hosting, reviews and CI', 'https://logo_link/github.svg'],
    ['01XB', 'default', 'active', '2022-01-11', 'okta', 'Okta', 'Identity and access management', 'https://logo_link/okta.svg'],
    ['01XB', 'default', 'active', '2022-01-11', 'zoom', 'Zoom', 'Video conferencing', ''],
  ];
  // Apps is the file served with a UTF-8 byte order mark.
  return { header: HEADER, rows: night === 2 ? rows.filter((row) => row[4] !== 'zoom') : rows, lineEnd: '\n', bom: true };
}

export const APP_CHANGES: readonly ScriptedChange[] = [
  // Composite key (Tenant ID, ID), shown as the diff shows it.
  { resource: 'apps', id: '01XB/zoom', kind: 'app.removed', description: 'App Zoom (tenant 01XB) removed', fields: [] },
];
