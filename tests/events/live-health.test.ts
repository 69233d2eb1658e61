/**
 * serviceHealthChanged over graphql-ws: an Alertmanager post on a pool member's IP degrades the service, on both
 * members takes it down, resolved clears it; a change window covering a failing member stops it paging; a new
 * dependency on a failing CI changes health without any alert. The recomputation after one alert walks only from
 * that alert's CI and the failing CIs reaching the same services.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { projectRoot } from '../../src/project-root';
import { ServiceHealthTracker } from '../../src/impact/service-health';
import { TestGraph } from '../support/graph';
import { HttpApp, useHttpApp } from '../support/http-app';
import { disposeSubscribers, subscribe, until } from '../support/subscriber';

// Alertmanager's own webhook example (see tests/data/alertmanager/README.md).
const SAMPLE = JSON.parse(readFileSync(join(projectRoot(), 'tests', 'data', 'alertmanager', 'prom_post_request.json'), 'utf8'));
let http: HttpApp;
let graph: TestGraph;
useHttpApp((g, h) => {
  graph = g;
  http = h;
});
afterAll(disposeSubscribers);
const ids: Record<string, string> = {};

const alert = (instance: string, status: 'firing' | 'resolved', severity = 'critical') => {
  const p = structuredClone(SAMPLE);
  p.status = status;
  p.alerts = [{ ...p.alerts[0], status, fingerprint: `fp-${instance}`, labels: { ...p.alerts[0].labels, instance: `${instance}:9100`, severity } }];
  return fetch(`${http.base}/webhooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${http.adminToken}` }, body: JSON.stringify(p) })
    .then((r) => r.json());
};
const relate = (from: string, type: string, to: string) => http.ok('mutation($i: RelateInput!) { relate(input: $i) { created } }', { i: { from: ids[from], to: ids[to], type } });

beforeAll(async () => {
  const make = async (name: string, cls: string, attributes: Record<string, unknown>) =>
    (ids[name] = (await http.ok('mutation($i: CreateCiInput!) { createCi(input: $i) { id } }', { i: { class: cls, name, attributes } })).createCi.id);
  await make('Shop', 'BusinessService', { serviceCode: 'SVC-SHOP' });
  await make('shop-app', 'Application', { applicationCode: 'APP-SHOP' });
  await make('lb-shop', 'LoadBalancer', { vip: '10.0.0.100', port: 443 });
  for (const [host, ip, mac] of [['web-1', '10.0.0.11', '52:54:00:00:00:11'], ['web-2', '10.0.0.12', '52:54:00:00:00:12']]) {
    await make(host, 'LinuxServer', { hostname: host, domain: 'corp.test' });
    await make(ip, 'IpAddress', { address: ip });
    await make(`${host}-eth0`, 'NetworkInterface', { macAddress: mac });
    await relate(ip, 'ASSIGNED_TO', `${host}-eth0`);
    await relate(`${host}-eth0`, 'ASSIGNED_TO', host);
  }
  await make('Billing', 'BusinessService', { serviceCode: 'SVC-BILL' });
  await make('billing-db', 'Database', { engine: 'postgresql' });
  await relate('Shop', 'DEPENDS_ON', 'shop-app');
  await relate('shop-app', 'DEPENDS_ON', 'lb-shop');
  await relate('web-1', 'MEMBER_OF', 'lb-shop');
  await relate('web-2', 'MEMBER_OF', 'lb-shop');
  await relate('Billing', 'DEPENDS_ON', 'billing-db');
});

it('streams each health change of the pool quorum, resolved included, to a viewer', async () => {
  const viewer = await subscribe(http.base, await http.token('viewer'), `subscription { serviceHealthChanged { service { name } health previous causes { ci { name } state } } }`);
  const billingOnly = await subscribe(http.base, await http.token('viewer'), `subscription { serviceHealthChanged(serviceIds: ["${ids.Billing}"]) { service { name } health } }`);
  // The instance label carries the IP with the exporter's port, as node_exporter targets do.
  expect(await alert('10.0.0.11', 'firing')).toMatchObject({ bound: 1 });
  await until(() => viewer.events.length >= 1);
  await alert('10.0.0.12', 'firing');
  await until(() => viewer.events.length >= 2);
  await alert('10.0.0.11', 'resolved');
  await until(() => viewer.events.length >= 3);
  await alert('10.0.0.12', 'resolved');
  await until(() => viewer.events.length >= 4);
  await http.app.serviceHealth.idle();
  const byName = (causes: { ci: { name: string }; state: string }[]) => [...causes].sort((a, b) => a.ci.name.localeCompare(b.ci.name));
  expect(viewer.events.map((e) => ({ ...e.serviceHealthChanged, causes: byName(e.serviceHealthChanged.causes) }))).toEqual([
    { service: { name: 'Shop' }, health: 'DEGRADED', previous: 'OPERATIONAL', causes: [{ ci: { name: 'web-1' }, state: 'DOWN' }] },
    { service: { name: 'Shop' }, health: 'DOWN', previous: 'DEGRADED', causes: [{ ci: { name: 'web-1' }, state: 'DOWN' }, { ci: { name: 'web-2' }, state: 'DOWN' }] },
    { service: { name: 'Shop' }, health: 'DEGRADED', previous: 'DOWN', causes: [{ ci: { name: 'web-2' }, state: 'DOWN' }] },
    { service: { name: 'Shop' }, health: 'OPERATIONAL', previous: 'DEGRADED', causes: [] },
  ]);
  expect(billingOnly.events).toEqual([]);
  expect((await http.ok('{ serviceHealth { service { name } } }')).serviceHealth).toEqual([]);
});

it('a change window opening on a failing member stops it paging; a new dependency on it changes health with no alert', async () => {
  const sub = await subscribe(http.base, http.adminToken, `subscription { serviceHealthChanged { service { name } health previous } }`);
  await alert('10.0.0.11', 'firing');
  await until(() => sub.events.length >= 1);
  const hour = 3_600_000;
  await http.ok('mutation($c: ID!, $s: DateTimeISO, $e: DateTimeISO) { linkTicket(ciId: $c, input: { system: "snow", key: "CHG0042", kind: CHANGE, status: IN_PROGRESS, plannedStart: $s, plannedEnd: $e }) { key } }',
    { c: ids['web-1'], s: new Date(Date.now() - hour).toISOString(), e: new Date(Date.now() + hour).toISOString() });
  await until(() => sub.events.length >= 2);
  await http.ok('mutation { unlinkTicket(ticket: { system: "snow", key: "CHG0042" }) { deleted } }');
  await until(() => sub.events.length >= 3);
  // Billing now needs the failing web-1 too: the reach changed, so health is recomputed in full.
  await relate('billing-db', 'DEPENDS_ON', 'web-1');
  await until(() => sub.events.length >= 4);
  await alert('10.0.0.11', 'resolved');
  await until(() => sub.events.length >= 6);
  await http.app.serviceHealth.idle();
  const seen = sub.events.map((e) => e.serviceHealthChanged);
  expect(seen.slice(0, 4)).toEqual([
    { service: { name: 'Shop' }, health: 'DEGRADED', previous: 'OPERATIONAL' },
    { service: { name: 'Shop' }, health: 'OPERATIONAL', previous: 'DEGRADED' },
    { service: { name: 'Shop' }, health: 'DEGRADED', previous: 'OPERATIONAL' },
    { service: { name: 'Billing' }, health: 'DOWN', previous: 'OPERATIONAL' },
  ]);
  expect(seen.slice(4).sort((a, b) => a.service.name.localeCompare(b.service.name))).toEqual([
    { service: { name: 'Billing' }, health: 'OPERATIONAL', previous: 'DOWN' },
    { service: { name: 'Shop' }, health: 'OPERATIONAL', previous: 'DEGRADED' },
  ]);
});

it('recomputes around one alert: walks from that CI alone and answers for the services it reaches only', async () => {
  await http.ok('mutation($i: RelateInput!) { unrelate(input: $i) }', { i: { from: ids['billing-db'], to: ids['web-1'], type: 'DEPENDS_ON' } });
  await alert('10.0.0.12', 'firing');
  await http.ok('mutation($c: ID!) { ingestEvents(source: "zabbix", events: [{ ciId: $c, key: "db-down", severity: "critical", summary: "db down" }]) { bound } }', { c: ids['billing-db'] });
  await http.app.serviceHealth.idle();
  const tracker = new ServiceHealthTracker(graph.client, graph.catalog);
  const full = await tracker.full();
  expect(full.services.map((s) => [s.service.name, s.health]).sort()).toEqual([['Billing', 'DOWN'], ['Shop', 'DEGRADED']]);
  expect(full.cost.starts).toBe(2);
  await alert('10.0.0.11', 'firing');
  const around = await tracker.around([ids['web-1']]);
  // Billing is not looked at; Shop loses its pool's quorum.
  expect(around.services.map((s) => [s.service.name, s.health, s.causes.map((c) => c.ci.name).sort()])).toEqual([['Shop', 'DOWN', ['web-1', 'web-2']]]);
  expect(around.cost.starts).toBe(1);
  expect(around.cost.loaded).toBeLessThan(full.cost.loaded);
  // What the query computes from scratch agrees.
  expect((await http.ok('{ serviceHealth { service { name } health } }')).serviceHealth).toEqual([
    { service: { name: 'Billing' }, health: 'DOWN' }, { service: { name: 'Shop' }, health: 'DOWN' },
  ]);
  // A recovery needs no walk: the CI's reach is known.
  await alert('10.0.0.12', 'resolved');
  const back = await tracker.around([ids['web-2']]);
  expect([back.services.map((s) => [s.service.name, s.health]), back.cost]).toEqual([[['Shop', 'DEGRADED']], { starts: 0, loaded: 0 }]);
  await alert('10.0.0.11', 'resolved');
  await http.ok('mutation($c: ID!) { ingestEvents(source: "zabbix", events: [{ ciId: $c, key: "db-down", status: RESOLVED }]) { resolved } }', { c: ids['billing-db'] });
});

it('refuses a health subscription without a valid token', async () => {
  const bad = await subscribe(http.base, 'cmdb_not-a-token', 'subscription { serviceHealthChanged { health } }');
  await until(() => bad.closed() !== null);
  expect(bad.closed()).toEqual({ code: 4403, reason: 'Forbidden' });
});
