import type { ColumnSchema, ColumnType, ResourceSchema } from './types.js';

/**
 * The five documented exports, as data. Required flags follow each doc's "Column Definitions"
 * text and DESIGN.md, not the sample headers: the campaigns sample stars the optional Recurrence,
 * Escalation and Escalation Date, and the labels sample leaves the required ID unstarred.
 */
interface ColumnSpec {
  readonly type?: ColumnType;
  readonly required?: boolean;
  readonly volatile?: boolean;
}

function columns(specs: Readonly<Record<string, ColumnSpec>>): readonly ColumnSchema[] {
  return Object.entries(specs).map(([name, spec]) => Object.freeze({
    name,
    type: spec.type ?? 'string',
    required: spec.required ?? false,
    volatile: spec.volatile ?? false,
  }));
}

const req = { required: true } as const;

export const RESOURCES: readonly ResourceSchema[] = [
  {
    resource: 'campaigns',
    label: 'Campaign',
    documented: true,
    key: ['ID'],
    nameColumn: 'Name',
    columns: columns({
      'ID': req,
      'Name': req,
      'Description': {},
      'Status': req,
      'Start Date': { type: 'date', required: true },
      'End Date': { type: 'date', required: true },
      'Percentage Completed': { type: 'decimal', required: true, volatile: true },
      'Is Published': { type: 'boolean', required: true },
      // An RRULE string (`RRULE:FREQ=MONTHLY;…`), kept as text.
      'Recurrence': {},
      // A Go duration such as `168h`, kept as text.
      'Escalation': {},
      'Escalation Date': { type: 'date' },
    }),
  },
  {
    resource: 'apps',
    label: 'App',
    documented: true,
    key: ['Tenant ID', 'ID'],
    nameColumn: 'Name',
    columns: columns({
      'Tenant ID': req,
      'Tenant Name': req,
      'Tenant Status': req,
      // The doc calls it a date and its sample holds one; a full timestamp is accepted too.
      'Tenant Created At': { type: 'timestamp', required: true },
      'ID': req,
      'Name': req,
      'Description': {},
      'Logo': { type: 'url' },
    }),
  },
  {
    resource: 'entity-rules',
    label: 'Custom insight',
    documented: true,
    key: ['ID'],
    nameColumn: 'name',
    columns: columns({
      'ID': req,
      'entity_filter': { type: 'json', required: true },
      'name': req,
      'description': {},
      'label': {},
      'created_at': { type: 'timestamp', required: true },
      'updated_at': { type: 'timestamp', required: true },
      'created_by': {},
      'updated_by': {},
    }),
  },
  {
    resource: 'integrations',
    label: 'Integration',
    documented: true,
    key: ['ID'],
    nameColumn: 'Name',
    columns: columns({
      'ID': req,
      'Name': req,
      'Description': {},
      'Last Run': { type: 'timestamp', volatile: true },
      'Status': req,
      'Primary Owner': { type: 'email' },
      'Message': { volatile: true },
      'Metadata': { type: 'json' },
      'Reviewer Precedence': { type: 'list' },
      'Provisioning Options': { type: 'json' },
      'Extraction Options': { type: 'json' },
      'Reviewer Count': { type: 'integer' },
      // Undescribed beyond their names; they hold JSON objects (request templates and default
      // values, which can carry service-account credentials), so they are typed and redacted as JSON.
      'Entity Request Values Templates': { type: 'json' },
      'Entity Request Values Defaults': { type: 'json' },
    }),
  },
  {
    resource: 'labels',
    label: 'Label',
    documented: true,
    key: ['ID'],
    nameColumn: 'Name',
    columns: columns({
      'ID': req,
      'Name': req,
      'Color': {},
      // The sample holds a URL, but an icon may as well be a name; kept as text.
      'Icon': {},
      'Background Color': {},
      'Text Color': {},
      'Type': req,
      'Light Background Color': {},
      'Light Text Color': {},
      'Dark Background Color': {},
      'Dark Text Color': {},
    }),
  },
];
