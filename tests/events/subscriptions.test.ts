/**
 * The live feed over graphql-ws on /graphql: every committed write reaches ciChanged subscribers (filtered by class
 * or CI), alerts reach alertReceived, a viewer never learns which sensitive attribute changed, and a connection
 * without a valid token is refused.
 */
import { HttpApp, useHttpApp } from '../support/http-app';
import { disposeSubscribers, subscribe as subscribeOn, until } from '../support/subscriber';

let http: HttpApp;
useHttpApp((_g, h) => (http = h));
afterAll(disposeSubscribers);
const subscribe = (token: string | null, query: string) => subscribeOn(http.base, token, query);

it('delivers each committed write to the subscribers whose filter it matches', async () => {
  const viewer = await subscribe(await http.token('viewer'), 'subscription { ciChanged(classes: ["Application"]) { name class kinds fields actor } }');
  await http.ok('mutation { createCi(input: { class: "LinuxServer", name: "ws-srv", attributes: { hostname: "ws-srv", domain: "corp.test" } }) { id } }');
  const { createCi } = await http.ok('mutation { createCi(input: { class: "Application", name: "ws-app", attributes: { applicationCode: "APP-WS" } }) { id } }');
  await until(() => viewer.events.length >= 1);
  await http.ok('mutation($id: ID!) { updateCi(id: $id, input: { owner: "team-ws", attributes: { version: "2.1" } }) { id } }', { id: createCi.id });
  await until(() => viewer.events.length >= 2);
  expect(viewer.events).toEqual([
    { ciChanged: { name: 'ws-app', class: 'Application', kinds: ['CREATED'], fields: [], actor: expect.stringMatching(/^token:test-admin-/) } },
    { ciChanged: { name: 'ws-app', class: 'Application', kinds: ['UPDATED'], fields: ['owner', 'version'], actor: expect.stringMatching(/^token:test-admin-/) } },
  ]);
});

it('tells a viewer that a CI changed but not which sensitive attribute; an itsm token sees it', async () => {
  const { createCi } = await http.ok('mutation { createCi(input: { class: "Switch", name: "ws-sw", attributes: { hostname: "ws-sw" } }) { id } }');
  const query = `subscription { ciChanged(ciIds: ["${createCi.id}"]) { kinds fields } }`;
  const viewer = await subscribe(await http.token('viewer'), query);
  const itsm = await subscribe(await http.token('itsm'), query);
  await http.ok('mutation($id: ID!) { updateCi(id: $id, input: { attributes: { snmpCommunity: "s3cret", firmwareVersion: "17.3" } }) { id } }', { id: createCi.id });
  await until(() => viewer.events.length >= 1 && itsm.events.length >= 1);
  expect(viewer.events).toEqual([{ ciChanged: { kinds: ['UPDATED'], fields: ['firmwareVersion'] } }]);
  expect(itsm.events).toEqual([{ ciChanged: { kinds: ['UPDATED'], fields: ['firmwareVersion', 'snmpCommunity'] } }]);
});

it('publishes reconcile writes and received alerts', async () => {
  await http.ok('mutation { registerSource(input: { name: "ws-scan", kind: DISCOVERY }) { name } }');
  const changes = await subscribe(http.adminToken, 'subscription { ciChanged(classes: ["Computer"]) { name kinds actor } }');
  const alerts = await subscribe(http.adminToken, 'subscription { alertReceived { source status state summary ciId } }');
  await http.ok('mutation { reconcile(input: { source: "ws-scan", items: [{ ref: "a", class: "LinuxServer", attributes: { hostname: "ws-rec", domain: "corp.test" } }] }) { totals { created } } }');
  await http.ok('mutation { ingestEvents(source: "zabbix", events: [{ key: "ws-1", labels: { instance: "ws-rec" }, severity: "critical", summary: "down" }]) { bound } }');
  await until(() => changes.events.length >= 1 && alerts.events.length >= 1);
  expect(changes.events).toEqual([{ ciChanged: { name: 'ws-rec', kinds: ['CREATED'], actor: 'ws-scan' } }]);
  expect(alerts.events).toEqual([{ alertReceived: { source: 'zabbix', status: 'FIRING', state: 'DOWN', summary: 'down', ciId: expect.any(String) } }]);
});

it('refuses a connection without a valid token', async () => {
  const none = await subscribe(null, 'subscription { ciChanged { name } }');
  await until(() => none.closed() !== null);
  expect(none.closed()).toEqual({ code: 4403, reason: 'Forbidden' });
  const bad = await subscribe('cmdb_not-a-token', 'subscription { ciChanged { name } }');
  await until(() => bad.closed() !== null);
  expect(bad.closed()?.code).toBe(4403);
});
