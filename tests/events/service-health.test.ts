/**
 * Live service health from open alerts: an alert on one member of a redundant pool degrades the service, on both
 * takes it down, resolved clears it; a member under an active change window does not page; open incidents show.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { projectRoot } from '../../src/project-root';
import { HttpApp, useHttpApp } from '../support/http-app';

const SAMPLE = JSON.parse(readFileSync(join(projectRoot(), 'tests', 'data', 'alertmanager', 'prom_post_request.json'), 'utf8'));
let http: HttpApp;
useHttpApp((_g, h) => (http = h));
const ids: Record<string, string> = {};

/** Alertmanager's post (the sample's shape) for one host at a severity. */
const alert = (host: string, status: 'firing' | 'resolved', severity = 'critical') => {
  const p = structuredClone(SAMPLE);
  p.status = status;
  p.alerts[0] = { ...p.alerts[0], status, fingerprint: `fp-${host}`, labels: { ...p.alerts[0].labels, instance: `${host}:9100`, severity } };
  return fetch(`${http.base}/webhooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${http.adminToken}` }, body: JSON.stringify(p) })
    .then((r) => r.json());
};
const HEALTH = '{ serviceHealth { service { name } health causes { ci { name } state alerts { severity } } maintenance openIncidents { ticket { key } ci { name } } } }';

beforeAll(async () => {
  const make = async (name: string, cls: string, attributes: Record<string, unknown>) =>
    (ids[name] = (await http.ok('mutation($i: CreateCiInput!) { createCi(input: $i) { id } }', { i: { class: cls, name, attributes } })).createCi.id);
  const relate = (from: string, type: string, to: string) => http.ok('mutation($i: RelateInput!) { relate(input: $i) { created } }', { i: { from: ids[from], to: ids[to], type } });
  await make('Shop', 'BusinessService', { serviceCode: 'SVC-SHOP' });
  await make('shop-app', 'Application', { applicationCode: 'APP-SHOP' });
  await make('lb-shop', 'LoadBalancer', { vip: '10.0.0.100', port: 443 });
  await make('web-1', 'LinuxServer', { hostname: 'web-1', domain: 'corp.test' });
  await make('web-2', 'LinuxServer', { hostname: 'web-2', domain: 'corp.test' });
  await relate('Shop', 'DEPENDS_ON', 'shop-app');
  await relate('shop-app', 'DEPENDS_ON', 'lb-shop');
  await relate('web-1', 'MEMBER_OF', 'lb-shop');
  await relate('web-2', 'MEMBER_OF', 'lb-shop');
});

it('degrades the service when one pool member is down, takes it down with both, and clears on resolved', async () => {
  expect((await http.ok(HEALTH)).serviceHealth).toEqual([]);
  await alert('web-1', 'firing');
  expect((await http.ok(HEALTH)).serviceHealth).toEqual([
    { service: { name: 'Shop' }, health: 'DEGRADED', causes: [{ ci: { name: 'web-1' }, state: 'DOWN', alerts: [{ severity: 'critical' }] }], maintenance: [], openIncidents: [] },
  ]);
  await alert('web-2', 'firing');
  const both = (await http.ok(HEALTH)).serviceHealth;
  expect(both.map((h: { service: { name: string }; health: string }) => [h.service.name, h.health])).toEqual([['Shop', 'DOWN']]);
  expect(both[0].causes.map((c: { ci: { name: string } }) => c.ci.name).sort()).toEqual(['web-1', 'web-2']);
  await alert('web-1', 'resolved');
  await alert('web-2', 'resolved');
  expect((await http.ok(HEALTH)).serviceHealth).toEqual([]);
  const asked = await http.ok('{ serviceHealth(serviceRefs: [{ name: "Shop" }]) { service { name } health causes { ci { name } } } }');
  expect(asked.serviceHealth).toEqual([{ service: { name: 'Shop' }, health: 'OPERATIONAL', causes: [] }]);
});

it('a warning degrades without taking down; a member under an active change window does not page; open incidents show', async () => {
  await alert('web-2', 'firing', 'warning');
  expect((await http.ok(HEALTH)).serviceHealth.map((h: { health: string }) => h.health)).toEqual(['DEGRADED']);
  const hour = 3_600_000;
  await http.ok(`mutation($id: ID!, $s: DateTimeISO, $e: DateTimeISO) { linkTicket(ciId: $id, input: { system: "sn", key: "CHG9", kind: CHANGE, status: IN_PROGRESS, plannedStart: $s, plannedEnd: $e }) { key } }`,
    { id: ids['web-1'], s: new Date(Date.now() - hour).toISOString(), e: new Date(Date.now() + hour).toISOString() });
  await alert('web-1', 'firing');
  await http.ok('mutation($id: ID!) { linkTicket(ciId: $id, input: { system: "sn", key: "INC77", kind: INCIDENT, status: NEW }) { key } }', { id: ids.Shop });
  const h = (await http.ok(HEALTH)).serviceHealth;
  // web-1 is being changed: its outage is expected and does not take the pool below quorum.
  expect(h).toEqual([{
    service: { name: 'Shop' }, health: 'DEGRADED', causes: [{ ci: { name: 'web-2' }, state: 'DEGRADED', alerts: [{ severity: 'warning' }] }],
    maintenance: [ids['web-1']], openIncidents: [{ ticket: { key: 'INC77' }, ci: { name: 'Shop' } }],
  }]);
});
