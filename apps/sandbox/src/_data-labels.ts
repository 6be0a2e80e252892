import type { CsvTable } from './_csv.js';
import type { SandboxNight, ScriptedChange } from './types.js';

// The docs' labels sample marks only Name and Type.
const HEADER = ['ID', 'Name*', 'Color', 'Icon', 'Background Color', 'Text Color', 'Type*', 'Light Background Color',
  'Light Text Color', 'Dark Background Color', 'Dark Text Color'];

export function labelsTable(night: SandboxNight): CsvTable {
  const n2 = night === 2;
  const rows = [
    ['entitlement/privileged', 'Privileged', 'secondary', 'https://example.com/icons/privileged.svg', '#FFFFFF', '#000000', 'entitlement', '#FFFFFF', '#000000', '#FFFFFF', '#000000'],
    ['employee/sod', 'SoD', '', '', '#FFFFFF', '#000000', 'employee', '#FFFFFF', '#000000', '#FFFFFF', '#000000'],
    ['entitlement/sensitive', 'Sensitive data', n2 ? 'error' : 'warning', '', '#FFF4E5', '#663C00', 'entitlement', '#FFF4E5', '#663C00', '#2B1D00', '#FFE2B7'],
    ['app/critical', n2 ? 'Business critical' : 'Critical app', 'primary', 'https://example.com/icons/critical.svg', '#E3F2FD', '#0D47A1', 'app', '#E3F2FD', '#0D47A1', '#0D2A4A', '#BBDEFB'],
    ['employee/contractor', 'Contractor', 'info', '', '#E8F5E9', '#1B5E20', 'employee', '#E8F5E9', '#1B5E20', '#12301A', '#C8E6C9'],
  ];
  return { header: HEADER, rows, lineEnd: '\r\n', bom: false };
}

export const LABEL_CHANGES: readonly ScriptedChange[] = [
  { resource: 'labels', id: 'app/critical', kind: 'label.renamed', description: 'Label app/critical renamed Critical app → Business critical', fields: ['Name'] },
  { resource: 'labels', id: 'entitlement/sensitive', kind: 'label.style_changed', description: 'Label Sensitive data: Color warning → error', fields: ['Color'] },
];
