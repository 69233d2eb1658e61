/**
 * The explorer in a real Chromium on the demo estate: search a CI, open its neighbourhood (the drawn nodes and
 * edges are the API's neighborhood answer), fail it and read the severity colours and the services list, open its
 * history. No request leaves 127.0.0.1. A screenshot of each step goes to test-output/explorer/.
 */
import { mkdirSync } from 'fs';
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
    const { neighborhood } = await http.ok('query($id: ID!) { neighborhood(ciId: $id, depth: 2, limit: 300) { center { id } nodes { ci { id } } edges { from to type } } }', { id });
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

  it('asked nothing of any host but 127.0.0.1, and logged no console error', () => {
    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});

if (!browserBinary.path) console.warn(`explorer browser tests skipped: ${browserBinary.reason}`);
