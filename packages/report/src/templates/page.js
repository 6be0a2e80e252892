// The report page: reads the embedded change set, draws one section per resource, and renders
// rows in pages of PAGE_SIZE as they scroll into view, so 20,000 changed records open at once.

const PAGE_SIZE = 100;
const SEVERITY_RANK = { high: 0, medium: 1, low: 2 };
const NAME_COLUMNS = ['Name', 'name', 'Title', 'title'];

/** A record's name: its name column, or for a changed record the Name it changed to. */
function recordName(entry) {
  if (entry.record) {
    const column = NAME_COLUMNS.find((c) => typeof entry.record[c] === 'string' && entry.record[c] !== '');
    return column ? entry.record[column] : '';
  }
  const renamed = entry.changes.find((c) => NAME_COLUMNS.includes(c.field) && c.path.length === 0);
  return renamed ? String(renamed.after ?? renamed.before ?? '') : '';
}

/** Per resource: its events, and its records with a severity (the highest of their events) and search text. */
function resourceModel(resource, index) {
  const severityOf = new Map();
  const summariesOf = new Map();
  for (const event of resource.events) {
    if (event.id === null) continue;
    const current = severityOf.get(event.id);
    if (current === undefined || SEVERITY_RANK[event.severity] < SEVERITY_RANK[current]) severityOf.set(event.id, event.severity);
    summariesOf.set(event.id, `${summariesOf.get(event.id) || ''} ${event.summary}`);
  }
  const records = [];
  const add = (kind, entries) => {
    for (const entry of entries) {
      const name = recordName(entry);
      const search = `${entry.id} ${name} ${summariesOf.get(entry.id) || ''}`.toLowerCase();
      records.push({ kind, id: entry.id, name, entry, severity: severityOf.get(entry.id) || 'none', search });
    }
  };
  add('added', resource.added);
  add('removed', resource.removed);
  add('changed', resource.changed);
  const events = resource.events.map((event) => ({ event, search: `${event.id ?? ''} ${event.kind} ${event.summary}`.toLowerCase() }));
  return { resource, index, records, events };
}

/** A tbody filled PAGE_SIZE rows at a time: when its "Show more" button nears the viewport, or is pressed. */
function lazyRows(tbody, button, render) {
  let items = [];
  let next = 0;
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) more(PAGE_SIZE);
  }, { rootMargin: '800px 0px' });
  function more(count) {
    const end = Math.min(items.length, next + count);
    const fragment = document.createDocumentFragment();
    for (; next < end; next++) fragment.append(render(items[next]));
    tbody.append(fragment);
    button.hidden = next >= items.length;
    button.textContent = `Show more (${(items.length - next).toLocaleString('en-US')} remaining)`;
    // Observe again: the callback fires with the button's current position, so a button still
    // in view after this page loads the next one.
    observer.unobserve(button);
    if (!button.hidden) observer.observe(button);
  }
  button.addEventListener('click', () => more(PAGE_SIZE));
  return {
    show(list) {
      items = list;
      next = 0;
      tbody.replaceChildren();
      more(PAGE_SIZE);
    },
    showAll() { more(items.length); },
  };
}

function listBlock(title, headers, id) {
  const status = el('p', 'shown');
  const tbody = el('tbody');
  const table = el('table', id, el('caption', 'visually-hidden', title), el('thead', '', el('tr', '', ...headers.map((h) => th('col', h)))), tbody);
  const button = el('button', 'more');
  button.type = 'button';
  return { block: el('div', '', el('h3', '', title), status, table, button), status, table, tbody, button };
}

function resourceSection(model) {
  const { resource, index } = model;
  const { counts } = resource;
  const heading = el('h2', '', resource.resource, ' ', badge(`status-${resource.status}`, resource.status));
  heading.id = `resource-${index}-title`;
  const section = el('section', 'resource', heading);
  section.id = `resource-${index}`;
  section.setAttribute('aria-labelledby', heading.id);
  section.dataset.resource = String(index);
  section.append(el('p', 'counts', `${counts.before.toLocaleString('en-US')} → ${counts.after.toLocaleString('en-US')} rows · ` +
    `${counts.added.toLocaleString('en-US')} added, ${counts.removed.toLocaleString('en-US')} removed, ` +
    `${counts.changed.toLocaleString('en-US')} changed, ${counts.unchanged.toLocaleString('en-US')} unchanged`));
  if (resource.status === 'failed') {
    const error = resource.error || { code: 'ERROR', message: '' };
    section.append(el('p', 'alert', 'Export failed: ', el('code', '', error.code), ' ', error.message, ' ',
      counts.before === 0 ? '(no snapshot yet)' : '(previous snapshot kept)'));
  }
  if (resource.status === 'new') section.append(el('p', 'note', `First snapshot (baseline): ${counts.after.toLocaleString('en-US')} records.`));
  const { addedColumns, removedColumns } = resource.schemaChanges;
  if (addedColumns.length + removedColumns.length > 0) {
    const list = el('ul', 'drift');
    for (const column of addedColumns) list.append(el('li', '', badge('kind-added', 'column added'), ' ', el('code', '', column)));
    for (const column of removedColumns) list.append(el('li', '', badge('kind-removed', 'column removed'), ' ', el('code', '', column)));
    section.append(el('h3', '', 'Schema drift'), list);
  }
  if (resource.changed.length < counts.changed || resource.added.length < counts.added || resource.removed.length < counts.removed) {
    section.append(el('p', 'note', 'This change set lists only part of the records (it was capped when it was made); the counts are complete.'));
  }
  const events = listBlock('Events', ['Severity', 'Kind', 'Record', 'Summary'], 'events');
  const records = listBlock('Records', ['Change', 'ID', 'Name', 'Severity', 'Details'], 'records');
  section.append(events.block, records.block);
  events.block.hidden = model.events.length === 0;
  records.block.hidden = model.records.length === 0;
  return { section, events: { ...events, rows: lazyRows(events.tbody, events.button, (item) => eventRow(item.event)) },
    records: { ...records, rows: lazyRows(records.tbody, records.button, recordRow) } };
}

function readFilters(form) {
  const checked = (name) => new Set([...form.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value));
  return {
    resource: form.querySelector('#filter-resource').value,
    severities: checked('severity'),
    kinds: checked('kind'),
    query: form.querySelector('#filter-search').value.trim().toLowerCase(),
  };
}

function applyFilters(models, views, filters, status) {
  let shownRecords = 0;
  let totalRecords = 0;
  let shownEvents = 0;
  let totalEvents = 0;
  models.forEach((model, i) => {
    const view = views[i];
    const visible = filters.resource === '' || filters.resource === String(model.index);
    view.section.hidden = !visible;
    if (!visible) return;
    const events = model.events.filter((item) => filters.severities.has(item.event.severity) && item.search.includes(filters.query));
    const records = model.records.filter((item) => filters.kinds.has(item.kind) && filters.severities.has(item.severity) && item.search.includes(filters.query));
    view.events.rows.show(events);
    view.records.rows.show(records);
    view.events.status.textContent = `Showing ${events.length.toLocaleString('en-US')} of ${model.events.length.toLocaleString('en-US')} events`;
    view.records.status.textContent = `Showing ${records.length.toLocaleString('en-US')} of ${model.records.length.toLocaleString('en-US')} records`;
    shownRecords += records.length;
    totalRecords += model.records.length;
    shownEvents += events.length;
    totalEvents += model.events.length;
  });
  status.textContent = `${shownRecords.toLocaleString('en-US')} of ${totalRecords.toLocaleString('en-US')} records, ` +
    `${shownEvents.toLocaleString('en-US')} of ${totalEvents.toLocaleString('en-US')} events`;
  status.dataset.records = String(shownRecords);
  status.dataset.events = String(shownEvents);
}

const changeSet = JSON.parse(document.getElementById('change-set').textContent);
const models = changeSet.resources.map(resourceModel);
const views = models.map(resourceSection);
document.getElementById('resources').append(...views.map((view) => view.section));
const form = document.getElementById('filters');
const status = document.getElementById('filter-status');
const refresh = () => applyFilters(models, views, readFilters(form), status);
let pending = 0;
form.addEventListener('change', refresh);
form.addEventListener('input', (event) => {
  if (event.target.type !== 'search') return;
  clearTimeout(pending);
  pending = setTimeout(refresh, 150);
});
form.addEventListener('submit', (event) => event.preventDefault());
// Rows not yet scrolled to are drawn before printing, so a printout holds every change.
window.addEventListener('beforeprint', () => {
  for (const view of views) {
    view.events.rows.showAll();
    view.records.rows.showAll();
  }
});
refresh();
performance.mark('balkan-audit:first-rows');
document.documentElement.dataset.ready = 'true';
