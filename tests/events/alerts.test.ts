/**
 * Alerts in: Alertmanager's webhook payload and ingestEvents, bound to CIs by the binding rules, deduplicated by
 * fingerprint, cleared when resolved, and the operational state they give a CI; refusals included.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { labelFingerprint, parseAlertmanager } from '../../src/events/alertmanager';
import { stripPort } from '../../src/events/binding-rules';
import { projectRoot } from '../../src/project-root';
import { TestGraph } from '../support/graph';
import { HttpApp, useHttpApp } from '../support/http-app';

const SAMPLE = JSON.parse(readFileSync(join(projectRoot(), 'tests', 'data', 'alertmanager', 'prom_post_request.json'), 'utf8'));

/** Alertmanager's post for the sample's alert with other labels (and status), the shape kept. */
function post(labels: Record<string, string>, status = 'firing', fingerprint?: string) {
  const p = structuredClone(SAMPLE);
  p.status = status;
  p.alerts[0].labels = { ...p.alerts[0].labels, ...labels };
  p.alerts[0].status = status;
  if (fingerprint) p.alerts[0].fingerprint = fingerprint;
  if (status === 'resolved') p.alerts[0].endsAt = '2018-03-07T07:00:00Z';
  return p;
}

describe('reading the payload', () => {
  it('reads Alertmanager\'s post as it is sent, computing the fingerprint older versions omit', () => {
    const { events, errors } = parseAlertmanager(SAMPLE, 'alertmanager');
    expect(errors).toEqual([]);
    expect(events).toEqual([{
      source: 'alertmanager', status: 'FIRING', fingerprint: labelFingerprint(SAMPLE.alerts[0].labels), severity: 'warning',
      labels: SAMPLE.alerts[0].labels, annotations: SAMPLE.alerts[0].annotations, summary: 'Server High Memory usage',
      startsAt: '2018-03-07T11:33:21.873Z', endsAt: null, generatorUrl: null, ciId: null,
    }]);
    expect(parseAlertmanager({ version: '3', alerts: [{ labels: { a: 1 }, status: 'burning' }] }, 'x').errors).toEqual([
      { field: 'version', reason: 'only version 4 of the webhook payload is read, got "3"' },
      { field: 'alerts[0].labels', reason: 'must be an object of strings' },
      { field: 'alerts[0].status', reason: 'must be firing or resolved, got "burning"' },
    ]);
    expect(['web-01:9100', '10.0.0.5:9100', '[2001:db8::1]:9100', '2001:db8::1', 'db.corp.test'].map(stripPort)).toEqual(['web-01', '10.0.0.5', '2001:db8::1', '2001:db8::1', 'db.corp.test']);
  });
});

describe('the webhook and ingestEvents', () => {
  let graph: TestGraph;
  let http: HttpApp;
  useHttpApp((g, h) => ([graph, http] = [g, h]));
  const ids: Record<string, string> = {};
  const hook = (body: unknown, token: string | null = http.adminToken, query = '') => fetch(`${http.base}/webhooks/alertmanager${query}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const status = async (id: string) => (await http.ok('query($id: ID!) { ci(id: $id) { operationalStatus { state alerts { summary severity boundBy status } } } }', { id })).ci.operationalStatus;
  const alerts = async () => (await graph.client.read('MATCH (a:Alert) RETURN count(a) AS n')).records[0].get('n');

  beforeAll(async () => {
    const make = async (name: string, cls: string, attributes: Record<string, unknown>) =>
      (ids[name] = (await http.ok('mutation($i: CreateCiInput!) { createCi(input: $i) { id } }', { i: { class: cls, name, attributes } })).createCi.id);
    await make('web-01', 'LinuxServer', { hostname: 'web-01', domain: 'corp.test', fqdn: 'web-01.corp.test' });
    await make('10.80.40.11', 'IpAddress', { address: '10.80.40.11' });
    await make('eth0', 'NetworkInterface', { macAddress: '52:54:00:12:34:56' });
    await http.ok('mutation($a: ID!, $b: ID!) { relate(input: { from: $a, to: $b, type: "ASSIGNED_TO" }) { created } }', { a: ids['10.80.40.11'], b: ids.eth0 });
    await http.ok('mutation($a: ID!, $b: ID!) { relate(input: { from: $a, to: $b, type: "ASSIGNED_TO" }) { created } }', { a: ids.eth0, b: ids['web-01'] });
  });

  it('binds an alert on a host\'s IP to the host (through its interface) and makes it DOWN; the same fingerprint updates one alert; resolved clears it', async () => {
    const firing = post({ instance: '10.80.40.11:9100', severity: 'critical' }, 'firing', 'fp-web01-mem');
    const first = await hook(firing);
    expect(first).toEqual({ status: 200, body: { received: 1, created: 1, updated: 0, resolved: 0, bound: 1, unbound: 0 } });
    expect(await status(ids['web-01'])).toEqual({ state: 'DOWN', alerts: [{ summary: 'Server High Memory usage', severity: 'critical', boundBy: 'instance-address', status: 'FIRING' }] });
    const again = await hook(firing);
    expect(again.body).toMatchObject({ created: 0, updated: 1 });
    expect(await alerts()).toBe(1);
    const resolved = await hook(post({ instance: '10.80.40.11:9100', severity: 'critical' }, 'resolved', 'fp-web01-mem'));
    expect(resolved.body).toMatchObject({ resolved: 1, updated: 1 });
    expect(await status(ids['web-01'])).toEqual({ state: 'OPERATIONAL', alerts: [] });
  });

  it('keeps and lists an alert no rule binds, with the reason', async () => {
    const r = await hook(SAMPLE);
    expect(r.body).toMatchObject({ created: 1, bound: 0, unbound: 1 });
    const { unboundEvents } = await http.ok('{ unboundEvents(open: true) { summary labels unboundReason fingerprint } }');
    expect(unboundEvents).toEqual([{
      summary: 'Server High Memory usage', labels: SAMPLE.alerts[0].labels, fingerprint: labelFingerprint(SAMPLE.alerts[0].labels),
      unboundReason: 'instance-host: no CI matches instance="instance-with-hyphen_and_underscore"; instance-address: no CI matches instance="instance-with-hyphen_and_underscore"; '
        + 'instance-network-device: no CI matches instance="instance-with-hyphen_and_underscore"',
    }]);
  });

  it('takes events of any source by CI id or labels, and shows IN_MAINTENANCE from the lifecycle', async () => {
    const { ingestEvents } = await http.ok(`mutation($id: ID!) { ingestEvents(source: "zabbix", events: [
      { key: "zbx-1", ciId: $id, severity: "warning", summary: "disk 91% full" },
      { key: "zbx-2", labels: { instance: "web-01.corp.test" }, severity: "info", summary: "ntp drift" }]) { received created bound unbound } }`, { id: ids['web-01'] });
    expect(ingestEvents).toEqual({ received: 2, created: 2, bound: 2, unbound: 0 });
    expect((await status(ids['web-01'])).state).toBe('DEGRADED');
    await http.ok('mutation($id: ID!) { updateCi(id: $id, input: { lifecycleStatus: IN_MAINTENANCE }) { id } }', { id: ids['web-01'] });
    const maint = await status(ids['web-01']);
    expect(maint.state).toBe('IN_MAINTENANCE');
    expect(maint.alerts.map((a: { summary: string }) => a.summary).sort()).toEqual(['disk 91% full', 'ntp drift']);
  });

  it('binds a large group in one go: every alert gets its own host, unknown ones stay unbound', async () => {
    await http.ok('mutation { registerSource(input: { name: "seed", kind: IMPORT }) { name } }');
    const items = Array.from({ length: 40 }, (_, n) => ({ ref: `s${n}`, class: 'LinuxServer', attributes: { hostname: `srv-${n}`, domain: 'corp.test' } }));
    await http.ok('mutation($i: ReconcileInput!) { reconcile(input: $i) { totals { created } } }', { i: { source: 'seed', items } });
    const group = structuredClone(SAMPLE);
    group.alerts = Array.from({ length: 50 }, (_, n) => ({ ...SAMPLE.alerts[0], status: 'firing', fingerprint: `grp-${n}`,
      labels: { ...SAMPLE.alerts[0].labels, severity: 'critical', instance: `${n < 40 ? `srv-${n}` : `gone-${n}`}:9100` } }));
    const r = await hook(group);
    expect(r.body).toMatchObject({ received: 50, created: 50, bound: 40, unbound: 10 });
    const placed = await graph.client.read("MATCH (a:Alert)-[:ON]->(c:CI) WHERE a.fingerprint STARTS WITH 'grp-' RETURN a.fingerprint AS f, c.name AS n");
    const byFingerprint = new Map(placed.records.map((x) => [x.get('f'), x.get('n')]));
    expect(byFingerprint.size).toBe(40);
    for (let n = 0; n < 40; n++) expect(byFingerprint.get(`grp-${n}`)).toBe(`srv-${n}`);
  });

  it('lists an alert whose CI was deleted as unbound, saying why', async () => {
    const { createCi } = await http.ok('mutation { createCi(input: { class: "LinuxServer", name: "tmp-1", attributes: { hostname: "tmp-1", domain: "corp.test" } }) { id } }');
    await hook(post({ instance: 'tmp-1:9100', severity: 'critical' }, 'firing', 'fp-tmp-1'));
    await http.ok('mutation($id: ID!) { deleteCi(id: $id) { deletedRelationships } }', { id: createCi.id });
    const { unboundEvents } = await http.ok('{ unboundEvents(open: true) { fingerprint unboundReason ciId } }');
    expect(unboundEvents.find((a: { fingerprint: string }) => a.fingerprint === 'fp-tmp-1')).toEqual({ fingerprint: 'fp-tmp-1', ciId: null, unboundReason: 'its CI was deleted after instance-host bound it' });
  });

  it('refuses what is malformed or not allowed, storing nothing', async () => {
    const before = await alerts();
    const bad = await hook({ version: '4', alerts: [{ labels: 'x' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ field: 'alerts[0].labels', reason: 'must be an object of strings' }, expect.anything()] });
    expect((await hook(SAMPLE, null)).status).toBe(401);
    // Not JSON: a JSON error naming it, never Express's HTML page.
    const garbled = await fetch(`${http.base}/webhooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${http.adminToken}` }, body: '{"version": "4", "alerts": [' });
    expect([garbled.status, garbled.headers.get('content-type'), ((await garbled.json()) as any).errors[0]]).toEqual([400, 'application/json; charset=utf-8', { message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }]);
    const viewer = await hook(SAMPLE, await http.token('viewer'));
    expect([viewer.status, viewer.body.errors[0].extensions.code]).toEqual([403, 'FORBIDDEN']);
    await http.ok('mutation { registerSource(input: { name: "prometheus-eu", kind: DISCOVERY }) { name } }');
    const bound = await http.token('discovery', 'prometheus-eu');
    expect((await hook(SAMPLE, bound)).status).toBe(403); // default source alertmanager: not this token's
    expect((await hook(SAMPLE, bound, '?source=prometheus-eu')).status).toBe(200);
    const refused = await http.post('mutation { ingestEvents(source: "x", events: [{ key: "k", labels: { a: "b" } }]) { received } }', {}, { token: await http.token('viewer') });
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const invalid = await http.post('mutation { ingestEvents(source: "x", events: [{ key: "k" }]) { received } }');
    expect(invalid.body.errors[0].extensions.errors).toEqual([{ field: 'events[0]', reason: 'give ciId or labels to bind it by' }]);
    expect(await alerts()).toBe(before + 1); // only the allowed prometheus-eu post
  });
});
