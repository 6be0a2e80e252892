import { metadataJson, type CsvTable } from './_csv.js';
import type { SandboxNight, ScriptedChange } from './types.js';

const HEADER = ['ID*', 'Name*', 'Description', 'Last Run', 'Status*', 'Primary Owner', 'Message', 'Metadata',
  'Reviewer Precedence', 'Provisioning Options', 'Extraction Options', 'Reviewer Count',
  'Entity Request Values Templates', 'Entity Request Values Defaults'];

const PRECEDENCE = 'manager, primaryowner, riskmanager';
const SALESFORCE_SECRET = { 1: 'sk_live_sandbox_sf_9d4c1e7a2b60', 2: 'sk_live_sandbox_sf_3b8f05d6e1c4' } as const;

/** Every secret value the integrations CSVs carry, on either night. */
export const INTEGRATION_SECRETS = [
  'sk_live_sandbox_ghp_7Qm2xV9cLr4T',
  SALESFORCE_SECRET[1],
  SALESFORCE_SECRET[2],
  'sk_live_sandbox_pw_wd_5d1c88e0',
  'sk_live_sandbox_entra_2f6a0c9b71',
  'sk_live_sandbox_pk_snow_8e21f4a7',
  'sk_live_sandbox_jira_6c0d93ab25',
] as const;

type Row = [id: string, name: string, description: string, lastRun: string, status: string, owner: string,
  message: string, metadata: string, precedence: string, provisioning: string, extraction: string,
  reviewerCount: string, templates: string, defaults: string];

function rows(night: SandboxNight): Row[] {
  const n2 = night === 2;
  return [
    // Rows 1-4 are the docs' sample; its Metadata lost its empty strings ("value": ").
    ['1', 'Amazon Web Services', '', '2021-07-26T18:00:00Z', 'active', 'jason.bond@balkan.id', 'Data Available',
      metadataJson([['Client ID', 'client_id', 'public', ''], ['Client Secret', 'client_secret', 'secret', ''], ['Enterprise ID', 'enterprise_id', 'public', '']]),
      PRECEDENCE, '{}', '', '1', '', ''],
    ['2', 'Google', 'Cloud computing platform', '', 'inactive', '', '', '{}', PRECEDENCE, '{}', '', '1', '', ''],
    ['3', 'Slack', '', n2 ? '2026-01-15T02:00:00Z' : '2021-07-26T18:00:00Z', 'active', 'alec.benjamin@balkan.id',
      n2 ? 'Sync completed with 2 warnings' : 'Data Available', '{}', PRECEDENCE, '{}',
      '{ "scim": false, "upload": true, "direct_configuration": false }', '1', '', ''],
    ['4', 'Okta', '', '2021-07-26T18:00:00Z', 'active', '', '1 error occured', '{}', PRECEDENCE, '{}', '', '1', '', ''],
    ['5', 'GitHub', 'Source code hosting, with "Enterprise" SSO', '2026-01-14T02:00:00Z', 'active', 'priya.nair@balkan.id', 'Data Available',
      metadataJson([['Organization', 'org', 'public', 'balkan-sandbox'], ['Personal Access Token', 'token', 'secret', 'sk_live_sandbox_ghp_7Qm2xV9cLr4T']]),
      'primaryowner, manager', '{"scim": true, "upload": false, "direct_configuration": true}', '{"include_archived_repos": false}', '2', '', ''],
    ['6', 'Salesforce', 'CRM', '2026-01-14T02:05:00Z', 'active', 'liam.chen@balkan.id', 'Data Available',
      metadataJson([['Client ID', 'client_id', 'public', 'sandbox-sf-client-01'], ['Client Secret', 'client_secret', 'secret', SALESFORCE_SECRET[night]],
        ['Instance URL', 'instance_url', 'public', 'https://balkan-sandbox.my.salesforce.com']]),
      PRECEDENCE, '{}', '{"objects": ["User", "PermissionSet", "Profile"]}', '1',
      '{"role": "{{entity.name}} ({{entity.type}})"}', '{"duration_days": 90}'],
    ['7', 'Workday', 'HR system of record', '2026-01-14T02:10:00Z', n2 ? 'inactive' : 'active', 'nina.patel@balkan.id', 'Data Available', '{}',
      PRECEDENCE, '{}', '', '1', '', '{"service_account": {"username": "svc-workday", "password": "sk_live_sandbox_pw_wd_5d1c88e0"}}'],
    ['8', 'Microsoft Entra ID', 'Directory, groups and app roles', '2026-01-14T02:15:00Z', 'active',
      n2 ? 'tom.wilson@balkan.id' : 'maria.garcia@balkan.id', 'Data Available',
      metadataJson([['Tenant ID', 'tenant_id', 'public', '3f2a9c1e-0b7d-4e5f-9a6b-1c2d3e4f5a6b'], ['Client ID', 'client_id', 'public', 'entra-sandbox-app'],
        ['Client Secret', 'client_secret', 'secret', 'sk_live_sandbox_entra_2f6a0c9b71']]),
      PRECEDENCE, '{"scim": true}', '{}', '3', '', ''],
    ['9', 'Snowflake', 'Data warehouse', '2026-01-14T02:20:00Z', 'active', 'omar.haddad@balkan.id', 'Data Available',
      metadataJson([['Account', 'account', 'public', 'balkan-sandbox.eu-west-1'], ['Private Key', 'private_key', 'secret', 'sk_live_sandbox_pk_snow_8e21f4a7']]),
      n2 ? 'riskmanager, manager, primaryowner' : PRECEDENCE, '{}', '{"warehouses": ["ANALYTICS", "FINANCE"]}', '2', '', ''],
    ...(n2 ? [jira()] : []),
  ];
}

function jira(): Row {
  return ['10', 'Jira', 'Issue tracking, "Cloud" edition', '2026-01-15T02:00:00Z', 'active', 'priya.nair@balkan.id', 'Data Available',
    metadataJson([['Site', 'site', 'public', 'balkan-sandbox.atlassian.net'], ['API Token', 'api_token', 'secret', 'sk_live_sandbox_jira_6c0d93ab25']]),
    'primaryowner, manager', '{}', '{}', '1', '', ''];
}

/** Night 2 gains a column the docs do not list. */
const REGION: Readonly<Record<string, string>> = {
  1: 'us-east-1', 2: 'us-central1', 3: 'us-west-2', 4: 'us-east-1', 5: 'eu-west-1',
  6: 'us-east-1', 7: 'eu-central-1', 8: 'eu-west-1', 9: 'us-west-2', 10: 'ap-southeast-2',
};

export function integrationsTable(night: SandboxNight): CsvTable {
  const data = rows(night);
  if (night === 1) return { header: HEADER, rows: data, lineEnd: '\n', bom: false };
  return { header: [...HEADER, 'Region'], rows: data.map((row) => [...row, REGION[row[0]] ?? '']), lineEnd: '\n', bom: false };
}

export const INTEGRATION_CHANGES: readonly ScriptedChange[] = [
  { resource: 'integrations', id: '10', kind: 'integration.added', description: 'New integration Jira (active) with an API token secret', fields: [] },
  { resource: 'integrations', id: '7', kind: 'integration.status_changed', description: 'Integration Workday: status active → inactive', fields: ['Status'] },
  { resource: 'integrations', id: '8', kind: 'integration.owner_changed', description: 'Integration Microsoft Entra ID: Primary Owner maria.garcia@balkan.id → tom.wilson@balkan.id', fields: ['Primary Owner'] },
  { resource: 'integrations', id: '6', kind: 'integration.secret_rotated', description: 'Integration Salesforce: Metadata client_secret value rotated', fields: ['Metadata'] },
  { resource: 'integrations', id: '9', kind: 'integration.reviewer_precedence_changed', description: 'Integration Snowflake: Reviewer Precedence manager, primaryowner, riskmanager → riskmanager, manager, primaryowner', fields: ['Reviewer Precedence'] },
  { resource: 'integrations', id: '3', kind: 'volatile.only', description: 'Integration Slack: only Last Run and Message change', fields: ['Last Run', 'Message'] },
  { resource: 'integrations', id: null, kind: 'resource.schema_drift', description: 'integrations gains an undocumented Region column (every row has a value)', fields: ['Region'] },
];
