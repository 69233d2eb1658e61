// The analyst's explorer: find a CI, see its neighbourhood as a layered map, fail it to see the blast radius, and
// read its details (values with their source, relationships, history, open tickets). Plain DOM and cytoscape.
import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import { gql, graphiqlLink, QUERIES, setToken, token } from './api.js';

cytoscape.use(dagre);

const root = document.getElementById('explorer');
const endpoint = root.dataset.endpoint || '/graphql';
const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return node;
};

const SEVERITY_COLOURS = { DOWN: '#c62828', DEGRADED: '#ef6c00', OK: '#9e9e9e' };
const STATE_COLOURS = { OPERATIONAL: '#43a047', DEGRADED: '#ef6c00', DOWN: '#c62828', IN_MAINTENANCE: '#5e35b1' };
// `pending` is the map redraw in progress, so a caller (a test, a keyboard handler) can wait for the map it asked for.
const state = { selected: null, lastQuery: null, cy: null, impact: null, pending: Promise.resolve() };
window.__cmdbExplorer = state;

function status(text, isError = false) {
  const s = $('status');
  s.textContent = text;
  s.className = isError ? 'status error' : 'status';
}

async function run(query, variables) {
  state.lastQuery = { query, variables };
  $('open-graphiql').href = graphiqlLink(query, variables);
  return gql(endpoint, query, variables);
}

// --- Token ---------------------------------------------------------------------------------------------------
function renderToken() {
  const bar = $('token-bar');
  bar.replaceChildren();
  if (token()) {
    bar.append(el('span', { id: 'token-state' }, 'API token set for this browser session.'), el('button', { type: 'button', onclick: () => { setToken(''); renderToken(); } }, 'Forget token'));
  } else {
    const input = el('input', { id: 'token', type: 'password', autocomplete: 'off', placeholder: 'cmdb_... (the same token as in GraphiQL)', 'aria-label': 'API token' });
    const form = el('form', { onsubmit: (e) => { e.preventDefault(); setToken(input.value); renderToken(); loadClasses(); } }, el('label', { for: 'token' }, 'API token '), input, el('button', { type: 'submit' }, 'Use token'));
    bar.append(form);
  }
}

// --- Find ----------------------------------------------------------------------------------------------------
let searchTimer = null;
function scheduleSearch() {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(search, 200);
}

async function loadClasses() {
  try {
    const { ciClasses } = await gql(endpoint, QUERIES.classes);
    const select = $('class-filter');
    select.replaceChildren(el('option', { value: '' }, 'any class'), ...ciClasses.map((c) => el('option', { value: c.name }, c.name)));
  } catch (err) {
    status(err.message, true);
  }
}

async function search() {
  const text = $('search').value.trim();
  const cls = $('class-filter').value;
  const environment = $('env-filter').value.trim();
  const lifecycle = $('lifecycle-filter').value;
  if (!text && !cls) return $('results').replaceChildren();
  const filter = { ...(text ? { nameContains: text } : {}), ...(cls ? { class: cls } : {}), ...(environment ? { environment } : {}), ...(lifecycle ? { lifecycleStatus: [lifecycle] } : {}) };
  try {
    const { cis } = await run(QUERIES.search, { filter });
    $('results').replaceChildren(...cis.edges.map(({ node }) => el('li', {},
      el('button', { type: 'button', class: 'result', 'data-id': node.id, onclick: () => openCi(node.id) },
        el('strong', {}, node.name), ' ', el('span', { class: 'muted' }, node.class),
        el('span', { class: `op op-${node.operationalStatus.state}` }, node.operationalStatus.state),
        node.owner ? el('span', { class: 'muted' }, ` owner ${node.owner}`) : ''))));
    status(`${cis.totalCount} CI${cis.totalCount === 1 ? '' : 's'} match${cis.totalCount > 20 ? ' (first 20 shown)' : ''}`);
  } catch (err) {
    status(err.message, true);
  }
}

// --- Neighbourhood map ---------------------------------------------------------------------------------------
function classColour(cls) {
  let h = 0;
  for (const ch of cls) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return `hsl(${h}, 55%, 55%)`;
}

const byHealth = () => $('colour-by').value === 'health';
function nodeElement(ci, depth) {
  const op = ci.operationalStatus?.state ?? 'OPERATIONAL';
  return { group: 'nodes', data: { id: ci.id, label: ci.name, cls: ci.class, depth, op, colour: byHealth() ? STATE_COLOURS[op] : classColour(ci.class) } };
}

function recolour() {
  state.cy?.nodes().forEach((n) => n.data('colour', byHealth() ? STATE_COLOURS[n.data('op')] : classColour(n.data('cls'))));
}

/** Double-click: the node's own neighbours are added to the map (what is drawn stays). */
async function expand(id) {
  try {
    const { neighborhood } = await run(QUERIES.neighborhood, { ciId: id, depth: 1 });
    const cy = state.cy;
    const added = cy.add([
      ...neighborhood.nodes.filter(({ ci }) => cy.getElementById(ci.id).empty()).map(({ ci }) => nodeElement(ci, 9)),
      ...neighborhood.edges.filter((e) => cy.getElementById(`${e.from}|${e.type}|${e.to}`).empty())
        .map((e) => ({ group: 'edges', data: { id: `${e.from}|${e.type}|${e.to}`, source: e.from, target: e.to, label: e.type } })),
    ]);
    await layout(cy);
    status(`${neighborhood.center.name} expanded: ${added.nodes().length} CIs and ${added.edges().length} edges added`);
  } catch (err) {
    status(err.message, true);
  }
}

function layout(cy) {
  const started = performance.now();
  return new Promise((resolve) => {
    cy.layout({ name: 'dagre', rankDir: 'LR', nodeSep: 12, rankSep: 60, animate: false }).one('layoutstop', () => {
      cy.fit(undefined, 20);
      root.dataset.renderMs = String(Math.round(performance.now() - started));
      root.dataset.nodes = String(cy.nodes().length);
      root.dataset.edges = String(cy.edges().length);
      resolve();
    }).run();
  });
}

/** In an impact, tapping an affected CI highlights the path that explains it. */
function highlightPath(id) {
  const cy = state.cy;
  cy.elements().removeClass('path');
  const affected = state.impact?.affected.find((a) => a.ci.id === id);
  const path = affected?.paths[0];
  if (!path) return;
  for (const step of path) {
    const [source, target] = step.forward ? [step.from.id, step.to.id] : [step.to.id, step.from.id];
    cy.getElementById(`${source}|${step.type}|${target}`).addClass('path');
    cy.getElementById(step.from.id).addClass('path');
    cy.getElementById(step.to.id).addClass('path');
  }
  status(`${affected.ci.name} is ${affected.severity}: ${path.map((s) => s.type).join(' → ')} (${path.length} step${path.length === 1 ? '' : 's'} from a failed CI)`);
}

function drawGraph(nb) {
  const nodes = [{ ci: nb.center, depth: 0 }, ...nb.nodes];
  const elements = [
    ...nodes.map(({ ci, depth }) => nodeElement(ci, depth)),
    ...nb.edges.map((e) => ({ group: 'edges', data: { id: `${e.from}|${e.type}|${e.to}`, source: e.from, target: e.to, label: e.type } })),
  ];
  state.cy?.destroy();
  const cy = cytoscape({
    container: $('map'),
    elements,
    // Built with the preset layout, then laid out: a synchronous layout at construction fires its stop event too early.
    layout: { name: 'preset' },
    wheelSensitivity: 0.3,
    style: [
      { selector: 'node', style: { 'background-color': 'data(colour)', label: 'data(label)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 3, width: 18, height: 18 } },
      { selector: 'node[depth = 0]', style: { 'border-width': 3, 'border-color': '#1a237e', width: 26, height: 26 } },
      { selector: 'node.DOWN', style: { 'background-color': SEVERITY_COLOURS.DOWN } },
      { selector: 'node.DEGRADED', style: { 'background-color': SEVERITY_COLOURS.DEGRADED } },
      { selector: 'node.failed', style: { 'border-width': 3, 'border-color': '#000' } },
      { selector: 'edge', style: { width: 1.2, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': '#90a4ae', 'target-arrow-color': '#90a4ae', label: 'data(label)', 'font-size': 7, color: '#546e7a', 'text-rotation': 'autorotate' } },
      { selector: ':selected', style: { 'overlay-opacity': 0.2, 'overlay-color': '#1a237e' } },
      { selector: 'edge.path', style: { width: 4, 'line-color': '#1a237e', 'target-arrow-color': '#1a237e' } },
      { selector: 'node.path', style: { 'border-width': 3, 'border-color': '#1a237e' } },
    ],
  });
  state.cy = cy;
  state.impact = null;
  cy.on('tap', 'node', (evt) => {
    if (state.impact) highlightPath(evt.target.id());
    openDetails(evt.target.id());
  });
  cy.on('dbltap', 'node', (evt) => { state.pending = expand(evt.target.id()); });
  return layout(cy);
}

function openCi(id) {
  state.pending = drawCi(id);
  return state.pending;
}

async function drawCi(id) {
  state.selected = id;
  const depth = Number($('depth').value);
  const types = $('types').value.split(',').map((t) => t.trim()).filter(Boolean);
  // The date picker is local time; the API takes an instant.
  const asOf = $('as-of').value ? new Date($('as-of').value).toISOString() : null;
  try {
    status('loading the neighbourhood…');
    const { neighborhood } = await run(QUERIES.neighborhood, { ciId: id, depth, ...(types.length ? { types } : {}), ...(asOf ? { asOf } : {}) });
    await drawGraph(neighborhood);
    $('services').replaceChildren();
    status(`${neighborhood.center.name}: ${neighborhood.nodes.length} neighbours within ${depth} step${depth === 1 ? '' : 's'}${asOf ? ` as of ${asOf.slice(0, 16).replace('T', ' ')} UTC` : ''}${neighborhood.truncated ? ' (cut at the limit)' : ''}`);
    await openDetails(id);
  } catch (err) {
    status(err.message, true);
  }
}

// --- Impact --------------------------------------------------------------------------------------------------
async function showImpact(given) {
  const cy = state.cy;
  if (!cy) return;
  const picked = Array.isArray(given) ? given : cy.nodes(':selected').map((n) => n.id());
  const failed = picked.length ? picked : state.selected ? [state.selected] : [];
  if (!failed.length) return status('select the CIs to fail on the map first', true);
  try {
    const { impact } = await run(QUERIES.impact, { ciIds: failed });
    state.impact = impact;
    cy.nodes().removeClass('DOWN DEGRADED failed');
    for (const id of failed) cy.getElementById(id).addClass('failed DOWN');
    for (const a of impact.affected) cy.getElementById(a.ci.id).addClass(a.severity);
    $('services').replaceChildren(el('h3', {}, 'Services affected'), el('ul', { id: 'service-list' }, ...impact.services.map((s) =>
      el('li', { 'data-severity': s.severity }, el('span', { class: `sev sev-${s.severity}` }, s.severity), ' ', el('strong', {}, s.ci.name),
        s.ci.owner ? ` owner ${s.ci.owner}` : '', s.ci.supportGroup ? `, support ${s.ci.supportGroup}` : ''))));
    status(`${impact.affected.length} CIs affected, ${impact.services.length} services`);
  } catch (err) {
    status(err.message, true);
  }
}

/** The CIs alerting now (service health's causes) become the failed set: the map shows the first one's neighbourhood. */
async function impactOfAlerts() {
  try {
    const { serviceHealth } = await run(QUERIES.alerting, {});
    const failing = [...new Map(serviceHealth.flatMap((h) => h.causes.map((c) => [c.ci.id, c.ci]))).values()];
    if (!failing.length) return status('no CI is alerting now: every service is operational');
    await openCi(failing[0].id);
    state.cy.nodes().unselect();
    for (const f of failing) state.cy.getElementById(f.id).select();
    await showImpact(failing.map((f) => f.id));
  } catch (err) {
    status(err.message, true);
  }
}

// --- Health --------------------------------------------------------------------------------------------------
const pct = (x) => `${Math.round(x * 100)}%`;

async function showHealth() {
  try {
    const { cmdbHealth: h } = await run(QUERIES.health, {});
    $('services').replaceChildren();
    const s = h.summary;
    const figure = (label, value, id) => el('div', { class: 'figure', id }, el('div', { class: 'value' }, value), el('div', { class: 'muted' }, label));
    const ciLink = (ci) => el('button', { type: 'button', class: 'link', onclick: () => openCi(ci.id) }, ci.name);
    const classRow = (c) => el('tr', {},
      el('th', {}, el('button', { type: 'button', class: 'link', onclick: () => { $('class-filter').value = c.class; $('search').value = ''; search(); } }, c.class)),
      el('td', {}, c.ciCount), el('td', {}, pct(c.completeness)), el('td', {}, c.duplicateCount), el('td', {}, c.orphanCount), el('td', {}, c.staleCount));
    $('details').replaceChildren(
      el('h2', {}, 'CMDB health'), el('p', { class: 'muted', id: 'health-age' }, `measured ${h.generatedAt.slice(0, 19).replace('T', ' ')} UTC, ${Math.round(h.ageSeconds)} s ago (reports up to a minute old are shared)`),
      el('div', { class: 'figures' }, figure('CIs', s.totalCis, 'health-cis'), figure('complete', pct(s.completeness), 'health-completeness'),
        figure('duplicates', s.duplicateCount, 'health-duplicates'), figure('orphans', s.orphanCount, 'health-orphans'), figure('stale', s.staleCount, 'health-stale')),
      el('h3', {}, 'By class'),
      el('table', { class: 'attrs', id: 'health-classes' }, el('tr', {}, ...['class', 'CIs', 'complete', 'dup.', 'orphans', 'stale'].map((t) => el('th', {}, t))),
        ...h.classes.filter((c) => c.ciCount > 0).map(classRow)),
      el('h3', {}, 'Orphans'), el('ul', { id: 'health-orphan-list' }, ...h.orphans.sample.map((o) => el('li', {}, ciLink(o), el('span', { class: 'muted' }, ` ${o.class}`)))),
      el('h3', {}, 'Identifier collisions'), el('ul', {}, ...h.duplicates.collisions.map((c) => el('li', {}, `${c.values.join(', ')}: `, ...c.ciIds.map((id) => ciLink({ id, name: id.slice(0, 8) }))))),
    );
    status(`${s.totalCis} CIs, ${pct(s.completeness)} complete`);
  } catch (err) {
    status(err.message, true);
  }
}

// --- Keyboard on the map: arrows pan, + and - zoom, 0 fits, Tab moves between nodes, Enter opens one ------------
function mapKeys(event) {
  const cy = state.cy;
  if (!cy) return;
  const step = 60;
  const pans = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
  if (pans[event.key]) cy.panBy({ x: pans[event.key][0], y: pans[event.key][1] });
  else if (event.key === '+' || event.key === '=') cy.zoom({ level: cy.zoom() * 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  else if (event.key === '-') cy.zoom({ level: cy.zoom() / 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  else if (event.key === '0') cy.fit(undefined, 20);
  else if (event.key === 'n' || event.key === 'p') {
    // Left to right, then top to bottom: the layered layout's reading order.
    const nodes = cy.nodes().toArray().sort((a, b) => a.position('x') - b.position('x') || a.position('y') - b.position('y'));
    const current = cy.nodes(':selected').toArray()[0];
    const at = current ? nodes.findIndex((n) => n.id() === current.id()) : -1;
    const next = nodes[at < 0 ? 0 : (at + (event.key === 'n' ? 1 : nodes.length - 1)) % nodes.length];
    cy.nodes().unselect();
    next.select();
    cy.center(next);
    status(`${next.data('label')} (${next.data('cls')}): Enter opens it`);
  } else if (event.key === 'Enter') {
    const picked = cy.nodes(':selected')[0];
    if (picked) openCi(picked.id());
  } else return;
  event.preventDefault();
}

// --- Details -------------------------------------------------------------------------------------------------
async function openDetails(id) {
  try {
    const { ci } = await gql(endpoint, QUERIES.details, { id });
    const source = new Map(ci.provenance.map((p) => [p.field, p]));
    const row = (k, v) => {
      const p = source.get(k);
      return el('tr', {}, el('th', {}, k), el('td', {}, typeof v === 'object' ? JSON.stringify(v) : v), el('td', { class: 'muted' }, p ? `${p.source}, confirmed ${p.lastConfirmedAt.slice(0, 16).replace('T', ' ')}` : ''));
    };
    const common = ['owner', 'supportGroup', 'criticality', 'lifecycleStatus', 'environment'].filter((k) => ci[k]).map((k) => row(k, ci[k]));
    $('details').replaceChildren(
      el('h2', {}, ci.name), el('p', { class: 'muted' }, `${ci.class} · ${ci.operationalStatus.state}`),
      el('table', { class: 'attrs' }, ...common, ...Object.entries(ci.attributes).map(([k, v]) => row(k, v))),
      el('h3', {}, 'Relationships'), el('ul', {}, ...ci.relationships.map((r) => el('li', {}, `${r.label} `, el('button', { type: 'button', class: 'link', onclick: () => openCi(r.ci.id) }, r.ci.name), el('span', { class: 'muted' }, ` ${r.ci.class}`)))),
      el('h3', {}, 'Open tickets'), ci.tickets.length ? el('ul', {}, ...ci.tickets.map((t) => el('li', {}, `${t.kind} ${t.key} ${t.status} ${t.title ?? ''}`))) : el('p', { class: 'muted' }, 'none'),
      el('h3', {}, 'History'), el('ol', { id: 'history' }, ...ci.history.edges.map(({ node }) => el('li', {}, `${node.at.slice(0, 19).replace('T', ' ')} ${node.kind}${node.field ? ` ${node.field}` : ''} by ${node.actor}`))),
    );
  } catch (err) {
    status(err.message, true);
  }
}

// --- Wiring --------------------------------------------------------------------------------------------------
$('search').addEventListener('input', scheduleSearch);
for (const id of ['class-filter', 'env-filter', 'lifecycle-filter']) $(id).addEventListener('change', scheduleSearch);
$('depth').addEventListener('change', () => state.selected && openCi(state.selected));
$('as-of').addEventListener('change', () => state.selected && openCi(state.selected));
$('colour-by').addEventListener('change', recolour);
$('impact').addEventListener('click', () => showImpact());
$('impact-alerts').addEventListener('click', impactOfAlerts);
$('health').addEventListener('click', showHealth);
$('map').addEventListener('keydown', mapKeys);
// The map and the opened CI, and a way to draw a neighbourhood directly (the 2,000-node measurement), for browser
// tests and the console.
Object.assign(state, { draw: drawGraph });
renderToken();
if (token()) loadClasses();
