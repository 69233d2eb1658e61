/**
 * The explorer in a real Chromium on the demo estate: search a CI, open its neighbourhood (the drawn nodes and
 * edges are the API's neighborhood answer), fail it and read the severity colours and the services list, open its
 * history. No request leaves 127.0.0.1. A screenshot of each step goes to test-output/explorer/.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import { projectRoot } from '../../src/project-root';
import { buildEstate } from '../../scripts/demo/estate';
import { loadEstate } from '../../scripts/demo/load-estate';
import { HttpApp, useHttpApp } from '../support/http-app';
import { chromiumPath } from '../support/browser';

const browserBinary = chromiumPath();
const shots = join(projectRoot(), 'test-output', 'explorer');
let http: HttpApp;
useHttpApp((_g, h) => (http = h));
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const outside: string[] = [];

(browserBinary.path ? describe : describe.skip)('explorer in Chromium', () => {
  beforeAll(async () => {
    await loadEstate(buildEstate(), { url: `${http.base}/graphql`, token: http.adminToken });
    mkdirSync(shots, { recursive: true });
    browser = await chromium.launch({ executablePath: browserBinary.path!, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('response', async (r) => {
      if (r.status() >= 400) consoleErrors.push(`${r.status()} ${r.url()} ${await r.text().catch(() => '')}`);
    });
    page.on('request', (r) => {
      const host = new URL(r.url()).hostname;
      if (!['127.0.0.1', ''].includes(host) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    await page.goto(`${http.base}/explorer`);
    await page.fill('#token', await http.token('viewer'));
    await page.click('#token-bar button[type=submit]');
    await page.waitForSelector('#class-filter option[value="BusinessService"]', { state: 'attached' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('finds a CI as you type, with its class, owner and operational state', async () => {
    await page.fill('#search', 'Payments');
    await page.waitForSelector('.result');
    const results = await page.$$eval('.result', (els) => els.map((e) => e.textContent));
    expect(results.some((t) => t?.startsWith('Payments BusinessService') && t.includes('OPERATIONAL'))).toBe(true);
    await page.screenshot({ path: join(shots, '1-search.png') });
  });

  it('draws the neighbourhood the API answers: the same nodes and edges', async () => {
    const { cis } = await http.ok('{ cis(filter: { name: "Payments", class: "BusinessService" }) { edges { node { id } } } }');
    const id = cis.edges[0].node.id;
    await page.click(`.result[data-id="${id}"]`);
    await page.waitForFunction(() => (globalThis as any).document.getElementById('explorer').dataset.nodes !== undefined);
    const drawn = await page.evaluate(() => {
      const cy = (globalThis as any).__cmdbExplorer.cy;
      return { nodes: cy.nodes().map((n: any) => n.id()).sort(), edges: cy.edges().map((e: any) => `${e.data('source')}|${e.data('label')}|${e.data('target')}`).sort() };
    });
    const { neighborhood } = await http.ok('query($id: ID!) { neighborhood(ciId: $id, depth: 2, limit: 250) { center { id } nodes { ci { id } } edges { from to type } } }', { id });
    expect(drawn.nodes).toEqual([neighborhood.center.id, ...neighborhood.nodes.map((n: any) => n.ci.id)].sort());
    expect(drawn.edges).toEqual(neighborhood.edges.map((e: any) => `${e.from}|${e.type}|${e.to}`).sort());
    expect(drawn.nodes.length).toBeGreaterThan(5);
    await page.screenshot({ path: join(shots, '2-neighbourhood.png') });
  });

  it('fails a database and colours what the impact answer says, listing the services with owners', async () => {
    const { cis } = await http.ok('{ cis(filter: { nameContains: "pgpay", class: "DatabaseInstance" }, first: 1) { edges { node { id name } } } }');
    const db = cis.edges[0].node;
    await page.fill('#search', db.name);
    await page.click(`.result[data-id="${db.id}"]`);
    // Functions, not strings: the page's Content-Security-Policy forbids evaluating strings.
    await page.waitForFunction((dbId) => {
      const s = (globalThis as any).__cmdbExplorer;
      return s.selected === dbId && !!s.cy && s.cy.nodes().some((n: any) => n.id() === dbId);
    }, db.id);
    await page.click('#impact');
    await page.waitForSelector('#service-list li');
    const { impact } = await http.ok('query($id: ID!) { impact(input: { ciIds: [$id] }) { affected { ci { id } severity } services { ci { name } severity } } }', { id: db.id });
    const coloured = await page.evaluate(() => {
      const cy = (globalThis as any).__cmdbExplorer.cy;
      return Object.fromEntries(cy.nodes().map((n: any) => [n.id(), n.hasClass('DOWN') ? 'DOWN' : n.hasClass('DEGRADED') ? 'DEGRADED' : 'OK']));
    });
    for (const a of impact.affected) if (coloured[a.ci.id]) expect([a.ci.id, coloured[a.ci.id]]).toEqual([a.ci.id, a.severity]);
    expect(coloured[db.id]).toBe('DOWN');
    // Clicking an affected CI highlights the path impact gives as its explanation.
    const { impact: explained } = await http.ok('query($id: ID!) { impact(input: { ciIds: [$id] }) { affected { ci { id } depth paths { from { id } type forward to { id } } } } }', { id: db.id });
    const far = [...explained.affected].filter((a: any) => coloured[a.ci.id] && a.paths[0].every((s: any) => coloured[s.from.id] && coloured[s.to.id])).sort((a: any, b: any) => b.depth - a.depth)[0];
    await page.evaluate((x) => (globalThis as any).__cmdbExplorer.cy.getElementById(x).emit('tap') && undefined, far.ci.id); // returning the element would make playwright serialise the whole graph
    const lit = await page.evaluate(() => (globalThis as any).__cmdbExplorer.cy.edges('.path').map((e: any) => e.id()).sort());
    expect(lit).toEqual(far.paths[0].map((s: any) => (s.forward ? `${s.from.id}|${s.type}|${s.to.id}` : `${s.to.id}|${s.type}|${s.from.id}`)).sort());
    expect(lit.length).toBe(far.depth);
    const listed = await page.$$eval('#service-list li', (els) => els.map((e) => [e.querySelector('strong')!.textContent, e.getAttribute('data-severity')]));
    expect(listed).toEqual(impact.services.map((s: any) => [s.ci.name, s.severity]));
    await page.screenshot({ path: join(shots, '3-impact.png') });
  });

  it('shows a CI\'s values with their source, and its history', async () => {
    await page.waitForSelector('#history li');
    const history = await page.$$eval('#history li', (els) => els.map((e) => e.textContent));
    expect(history.some((h) => h?.includes('CREATED'))).toBe(true);
    expect(await page.$$eval('table.attrs td.muted', (els) => els.some((e) => /confirmed/.test(e.textContent ?? '')))).toBe(true);
    await page.screenshot({ path: join(shots, '4-details.png') });
  });

  it('redraws the map as it was: a CI added since is left out', async () => {
    const { cis } = await http.ok('{ cis(filter: { name: "Payments", class: "BusinessService" }) { edges { node { id } } } }');
    const payments = cis.edges[0].node.id;
    const before = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString();
    await new Promise((r) => setTimeout(r, 1100));
    const { createCi } = await http.ok('mutation { createCi(input: { class: "Application", name: "Payments Fraud Scoring", attributes: { applicationCode: "APP-NEW" } }) { id } }');
    await http.ok('mutation($a: ID!, $b: ID!) { relate(input: { from: $a, to: $b, type: "DEPENDS_ON" }) { created } }', { a: payments, b: createCi.id });
    await page.fill('#search', 'Payments');
    await page.click(`.result[data-id="${payments}"]`);
    const drawnHas = (id: string) => page.evaluate((x) => (globalThis as any).__cmdbExplorer.cy.nodes().some((n: any) => n.id() === x), id);
    await page.waitForFunction((x) => (globalThis as any).__cmdbExplorer.cy?.nodes().some((n: any) => n.id() === x), createCi.id);
    // The picker takes local time to the second.
    await page.evaluate((iso) => {
      const d = new Date(iso);
      const p = (n: number) => String(n).padStart(2, '0');
      const input = (globalThis as any).document.getElementById('as-of');
      input.value = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
      input.dispatchEvent(new Event('change'));
    }, before);
    await page.waitForFunction((x) => !(globalThis as any).__cmdbExplorer.cy.nodes().some((n: any) => n.id() === x), createCi.id);
    expect(await drawnHas(payments)).toBe(true);
    expect(await page.textContent('#status')).toContain('as of');
    await page.screenshot({ path: join(shots, '5-as-of.png') });
    await page.fill('#as-of', '');
    await page.dispatchEvent('#as-of', 'change');
  });

  it('takes the CIs alerting now as failed, and shows the health dashboard with links into the CIs', async () => {
    const { cis } = await http.ok('{ cis(filter: { name: "pgpay-fra1" }) { edges { node { id } } } }');
    const db = cis.edges[0].node.id;
    await http.ok('mutation($c: ID!) { ingestEvents(source: "explorer-test", events: [{ ciId: $c, key: "pg-down", severity: "critical", summary: "PostgreSQL down" }]) { bound } }', { c: db });
    await page.click('#impact-alerts');
    await page.waitForFunction((x) => (globalThis as any).__cmdbExplorer.cy?.getElementById(x).hasClass('DOWN'), db);
    const { impact } = await http.ok('query($id: ID!) { impact(input: { ciIds: [$id] }) { services { ci { name } severity } } }', { id: db });
    await page.waitForSelector('#service-list li');
    expect(await page.$$eval('#service-list li', (els) => els.map((e) => [e.querySelector('strong')!.textContent, e.getAttribute('data-severity')])))
      .toEqual(impact.services.map((s: any) => [s.ci.name, s.severity]));
    // Coloured by operational state, the alerting database is red and the rest green.
    await page.selectOption('#colour-by', 'health');
    const colours = await page.evaluate((x) => {
      const cy = (globalThis as any).__cmdbExplorer.cy;
      return { db: cy.getElementById(x).data('colour'), others: [...new Set(cy.nodes().filter((n: any) => n.id() !== x).map((n: any) => n.data('colour')))] };
    }, db);
    expect(colours).toEqual({ db: '#c62828', others: ['#43a047'] });
    await page.selectOption('#colour-by', 'class');
    await http.ok('mutation($c: ID!) { ingestEvents(source: "explorer-test", events: [{ ciId: $c, key: "pg-down", status: RESOLVED }]) { resolved } }', { c: db });

    await page.click('#health');
    await page.waitForSelector('#health-cis');
    const { cmdbHealth } = await http.ok('{ cmdbHealth(limit: 10) { summary { totalCis orphanCount } orphans { sample { id name } } } }');
    expect(await page.textContent('#health-cis .value')).toBe(String(cmdbHealth.summary.totalCis));
    expect(await page.textContent('#health-orphans .value')).toBe(String(cmdbHealth.summary.orphanCount));
    const orphans = await page.$$eval('#health-orphan-list button', (els) => els.map((e) => e.textContent));
    expect(orphans).toEqual(cmdbHealth.orphans.sample.map((o: any) => o.name));
    await page.screenshot({ path: join(shots, '6-health.png') });
    if (orphans.length) {
      await page.click('#health-orphan-list button');
      await page.waitForFunction((id) => (globalThis as any).__cmdbExplorer.selected === id, cmdbHealth.orphans.sample[0].id);
    }
  });

  it('adds a node\'s own neighbours to the map on double-click, keeping what is drawn', async () => {
    await page.evaluate(() => (globalThis as any).__cmdbExplorer.pending);
    const before = await page.evaluate(() => (globalThis as any).__cmdbExplorer.cy.nodes().map((n: any) => n.id()));
    const center = await page.evaluate(() => (globalThis as any).__cmdbExplorer.selected);
    const leaf = await page.evaluate((c) => (globalThis as any).__cmdbExplorer.cy.nodes().filter((n: any) => n.id() !== c).sort((a: any, b: any) => b.data('depth') - a.data('depth'))[0].id(), center);
    const { neighborhood } = await http.ok('query($id: ID!) { neighborhood(ciId: $id, depth: 1, limit: 250) { nodes { ci { id } } } }', { id: leaf });
    await page.evaluate((x) => (globalThis as any).__cmdbExplorer.cy.getElementById(x).emit('dbltap') && undefined, leaf);
    const want = [...new Set([...before, ...neighborhood.nodes.map((n: any) => n.ci.id)])].sort();
    await page.evaluate(() => (globalThis as any).__cmdbExplorer.pending);
    expect(await page.evaluate(() => (globalThis as any).__cmdbExplorer.cy.nodes().map((n: any) => n.id()).sort())).toEqual(want);
  });

  it('works from the keyboard: n selects the next node on the map, Enter opens it', async () => {
    const opened = await page.evaluate(() => (globalThis as any).__cmdbExplorer.selected);
    await page.focus('#map');
    await page.keyboard.press('n');
    const picked = await page.evaluate(() => (globalThis as any).__cmdbExplorer.cy.nodes(':selected').map((n: any) => n.id()));
    expect(picked).toHaveLength(1);
    await page.keyboard.press('Enter');
    await page.waitForFunction((x) => (globalThis as any).__cmdbExplorer.selected === x, picked[0]);
    expect(await page.evaluate(() => (globalThis as any).__cmdbExplorer.selected)).toBe(picked[0]);
    expect(opened).toBeTruthy();
  });

  it('draws a neighbourhood of 2,000 nodes and stays interactive (figures written to test-output)', async () => {
    const n = 2000;
    const nodes = Array.from({ length: n }, (_, i) => ({ depth: 1 + Math.floor(Math.log2(i + 2)), ci: { id: `n${i}`, name: `node-${i}`, class: ['VirtualMachine', 'Application', 'KubernetesPod', 'Database'][i % 4] } }));
    const edges = nodes.map((_, i) => ({ from: i === 0 ? 'center' : `n${Math.floor((i - 1) / 3)}`, to: `n${i}`, type: 'DEPENDS_ON' }));
    const figures = await page.evaluate(async ({ nodes, edges }) => {
      const s = (globalThis as any).__cmdbExplorer;
      await s.pending;
      const t0 = performance.now();
      await s.draw({ center: { id: 'center', name: 'center', class: 'BusinessService' }, nodes, edges, truncated: false });
      const frame = () => new Promise((r) => (globalThis as any).requestAnimationFrame(() => r(undefined)));
      await frame();
      const firstRender = performance.now() - t0;
      const frames: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        s.cy.panBy({ x: 15, y: 5 });
        s.cy.zoom({ level: s.cy.zoom() * (i % 2 ? 1.1 : 0.9), renderedPosition: { x: 400, y: 300 } });
        await frame();
        frames.push(performance.now() - t);
      }
      frames.sort((a, b) => a - b);
      return { nodes: s.cy.nodes().length, edges: s.cy.edges().length, firstRenderMs: Math.round(firstRender), panZoomFrameMsP50: Math.round(frames[5]), panZoomFrameMsMax: Math.round(frames[9]) };
    }, { nodes, edges });
    expect([figures.nodes, figures.edges]).toEqual([n + 1, n]);
    writeFileSync(join(shots, 'render-2000.json'), JSON.stringify(figures, null, 2));
    console.log(`explorer: 2,000-node neighbourhood ${JSON.stringify(figures)}`);
    await page.screenshot({ path: join(shots, '7-2000-nodes.png') });
  });

  it('asked nothing of any host but 127.0.0.1, and logged no console error', () => {
    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('reads nothing without a token: the API refuses and the page says why', async () => {
    await page.click('#token-bar button');
    await page.fill('#search', 'Payments');
    await page.waitForFunction(() => /authorization|token/i.test((globalThis as any).document.getElementById('status').textContent));
    expect(await page.getAttribute('#status', 'class')).toBe('status error');
    expect(await page.textContent('#status')).toMatch(/token/i);
  });
});

if (!browserBinary.path) console.warn(`explorer browser tests skipped: ${browserBinary.reason}`);
