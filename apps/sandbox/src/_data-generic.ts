import type { CsvTable } from './_csv.js';

/**
 * Small CSVs for exports the docs list but do not describe. Their format is a guess, so they only
 * need an `ID` column; they are the same on both nights.
 */
const GENERIC: Readonly<Record<string, Omit<CsvTable, 'lineEnd' | 'bom'>>> = {
  admins: {
    header: ['ID', 'Email', 'Name', 'Role', 'Created At'],
    rows: [
      ['adm_01', 'jason.bond@balkan.id', 'Jason Bond', 'owner', '2022-01-11T09:00:00Z'],
      ['adm_02', 'priya.nair@balkan.id', 'Priya Nair', 'admin', '2023-03-02T14:30:00Z'],
      ['adm_03', 'tom.wilson@balkan.id', 'Tom Wilson', 'read-only', '2025-06-18T08:45:00Z'],
    ],
  },
  employees: {
    header: ['ID', 'Email', 'First Name', 'Last Name', 'Department', 'Manager Email', 'Status'],
    rows: [
      ['emp_1001', 'jason.bond@balkan.id', 'Jason', 'Bond', 'Security', '', 'active'],
      ['emp_1002', 'alec.benjamin@balkan.id', 'Alec', 'Benjamin', 'IT, Operations', 'jason.bond@balkan.id', 'active'],
      ['emp_1003', 'nina.patel@balkan.id', 'Nina', 'Patel', 'People', 'jason.bond@balkan.id', 'on leave'],
    ],
  },
  entitlements: {
    header: ['ID', 'Integration ID', 'Name', 'Type', 'Privileged'],
    rows: [
      ['ent_1', '1', 'AdministratorAccess', 'policy', 'TRUE'],
      ['ent_2', '3', 'Workspace Owner', 'role', 'TRUE'],
      ['ent_3', '6', 'Standard User', 'profile', 'FALSE'],
    ],
  },
};

export const GENERIC_RESOURCES: readonly string[] = Object.keys(GENERIC);

export function genericTable(resource: string): CsvTable | null {
  const table = GENERIC[resource];
  return table ? { ...table, lineEnd: '\n', bom: false } : null;
}
