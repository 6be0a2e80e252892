/** Small night-one records per resource, as raw export cells, for the event tables. */
export const FIXTURES: Readonly<Record<string, ReadonlyArray<Readonly<Record<string, string>>>>> = {
  integrations: [
    {
      ID: '1', Name: 'Amazon Web Services', 'Last Run': '2021-07-26T18:00:00Z', Status: 'active', 'Primary Owner': 'jason.bond@balkan.id',
      Message: 'Data Available',
      Metadata: '[{"name": "Client ID", "key": "client_id", "type": "public", "value": "id-1"}, {"name": "Client Secret", "key": "client_secret", "type": "secret", "value": "s3cr3t-one"}]',
      'Reviewer Precedence': 'manager, primaryowner, riskmanager', 'Provisioning Options': '{}', 'Extraction Options': '{"scim": false}', 'Reviewer Count': '1',
    },
    { ID: '4', Name: 'Okta', 'Last Run': '2021-07-26T18:00:00Z', Status: 'active', Message: '1 error occured', Metadata: '{}', 'Reviewer Precedence': 'manager', 'Reviewer Count': '1' },
  ],
  campaigns: [
    {
      ID: '01HA02R3KH676CD9XHZAY8SCDZ', Name: 'Test campaign', Description: 'This is a test campaign', Status: 'pending', 'Start Date': '2023-09-07',
      'End Date': '2023-09-26', 'Percentage Completed': '35.24', 'Is Published': 'FALSE', Recurrence: 'RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=+1MO',
      Escalation: '168h', 'Escalation Date': '2024-05-23',
    },
  ],
  apps: [
    { 'Tenant ID': '01XB', 'Tenant Name': 'default', 'Tenant Status': 'active', 'Tenant Created At': '2022-01-11', ID: 'asana', Name: 'Asana', Description: 'Work management platform', Logo: 'https://logo_link/' },
    { 'Tenant ID': '01XB', 'Tenant Name': 'default', 'Tenant Status': 'active', 'Tenant Created At': '2022-01-12', ID: 'aws', Name: 'Amazon Web Services', Logo: 'https://logo_link/' },
  ],
  'entity-rules': [
    {
      ID: '13323523', entity_filter: '{"key1": "value1", "key2": ["value2", "value3"], "key3": {"nestedKey": "nestedValue"}}', name: 'Sample Insight',
      description: 'A sample', label: 'Sample Label', created_at: '2024-10-23T10:00:00Z', updated_at: '2024-10-23T11:00:00Z', created_by: 'user1', updated_by: 'user1',
    },
  ],
  labels: [
    {
      ID: '7', Name: 'Privileged', Color: '#ff0000', Icon: 'shield', 'Background Color': '#ffffff', 'Text Color': '#000000', Type: 'risk',
      'Light Background Color': '#fff', 'Light Text Color': '#000', 'Dark Background Color': '#000', 'Dark Text Color': '#fff',
    },
  ],
};
