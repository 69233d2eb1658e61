/**
 * Two API instances on one Neo4j with one Redis (a real redis-server on loopback): a change made through A reaches a
 * subscriber on B once, and a service-health change computed on A is delivered once on each instance. With Redis
 * stopped, writes still succeed, open subscriptions are closed with the reason and new ones are refused; when it is
 * back, events flow again.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { projectRoot } from '../../src/project-root';
import { createRedisEventBus } from '../../src/events/redis-bus';
import { EventBus } from '../../src/events/event-bus';
import { openTestGraph, TestGraph } from '../support/graph';
import { HttpApp, listenApp } from '../support/http-app';
import { startTestRedis, TestRedis } from '../support/redis';
import { disposeSubscribers, subscribe, until } from '../support/subscriber';

// Alertmanager's own webhook example (see tests/data/alertmanager/README.md).
const SAMPLE = JSON.parse(readFileSync(join(projectRoot(), 'tests', 'data', 'alertmanager', 'prom_post_request.json'), 'utf8'));
// Each instance has its own driver, as two processes would (one client's commits are published by its app only).
let graph: TestGraph;
let graphB: TestGraph;
let redis: TestRedis;
let busA: EventBus;
let busB: EventBus;
let a: HttpApp;
let b: HttpApp;
const ids: Record<string, string> = {};

beforeAll(async () => {
  redis = await startTestRedis();
  graph = await openTestGraph();
  graphB = await openTestGraph();
  busA = await createRedisEventBus(redis.url);
  busB = await createRedisEventBus(redis.url);
  a = await listenApp(graph, { bus: busA });
  b = await listenApp(graphB, { bus: busB });
  const make = async (name: string, cls: string, attributes: Record<string, unknown>) =>
    (ids[name] = (await a.ok('mutation($i: CreateCiInput!) { createCi(input: $i) { id } }', { i: { class: cls, name, attributes } })).createCi.id);
  await make('Payments', 'BusinessService', { serviceCode: 'SVC-PAY' });
  await make('pay-db', 'Database', { engine: 'postgresql' });
  await a.ok('mutation($i: RelateInput!) { relate(input: $i) { created } }', { i: { from: ids.Payments, to: ids['pay-db'], type: 'DEPENDS_ON' } });
});

afterAll(async () => {
  await disposeSubscribers();
  await a?.stop();
  await b?.stop();
  await busA?.close();
  await busB?.close();
  await graph?.close();
  await graphB?.close();
  await redis?.stop();
});

it('delivers a change made through instance A to a subscriber on instance B, once', async () => {
  const onB = await subscribe(b.base, b.adminToken, 'subscription { ciChanged(classes: ["Application"]) { name kinds } }');
  await a.ok('mutation { createCi(input: { class: "Application", name: "pay-api", attributes: { applicationCode: "APP-PAY" } }) { id } }');
  await until(() => onB.events.length >= 1);
  // Long enough for a second copy to arrive if there were one.
  await new Promise((r) => setTimeout(r, 500));
  expect(onB.events).toEqual([{ ciChanged: { name: 'pay-api', kinds: ['CREATED'] } }]);
});

it('an alert posted to A changes service health on both instances, delivered once on each', async () => {
  const query = 'subscription { serviceHealthChanged { service { name } health previous } }';
  const onA = await subscribe(a.base, a.adminToken, query);
  const onB = await subscribe(b.base, b.adminToken, query);
  const post = structuredClone(SAMPLE);
  post.alerts = [{ ...post.alerts[0], fingerprint: 'pay-db-down', labels: { alertname: 'PostgresDown', ci_id: ids['pay-db'], severity: 'critical' } }];
  const res = await fetch(`${a.base}/webhooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${a.adminToken}` }, body: JSON.stringify(post) });
  expect(res.status).toBe(200);
  await until(() => onA.events.length >= 1 && onB.events.length >= 1);
  await new Promise((r) => setTimeout(r, 500));
  const change = { serviceHealthChanged: { service: { name: 'Payments' }, health: 'DOWN', previous: 'OPERATIONAL' } };
  expect(onA.events).toEqual([change]);
  expect(onB.events).toEqual([change]);
  // B learnt the health from A: resolving through B is delivered as the recovery it is, on both.
  post.status = 'resolved';
  post.alerts[0].status = 'resolved';
  await fetch(`${b.base}/webhooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${b.adminToken}` }, body: JSON.stringify(post) });
  await until(() => onA.events.length >= 2 && onB.events.length >= 2);
  const recovered = { serviceHealthChanged: { service: { name: 'Payments' }, health: 'OPERATIONAL', previous: 'DOWN' } };
  expect(onA.events).toEqual([change, recovered]);
  expect(onB.events).toEqual([change, recovered]);
});

it('a token revoked through A is refused by B at once, though B had just accepted it', async () => {
  const { createApiToken } = await a.ok('mutation { createApiToken(input: { name: "desk-dashboard", role: "viewer" }) { token apiToken { id } } }');
  const whoami = '{ whoami { name role } }';
  // B has read the token (and keeps it for a few seconds, so the next requests cost no lookup).
  expect((await b.post(whoami, {}, { token: createApiToken.token })).body.data.whoami).toEqual({ name: 'token:desk-dashboard', role: 'viewer' });
  expect((await b.post(whoami, {}, { token: createApiToken.token })).status).toBe(200);
  await a.ok('mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }', { id: createApiToken.apiToken.id });
  // Well within the 10 s B would otherwise trust what it read: the revocation crosses Redis.
  const revokedAt = Date.now();
  let refused = await b.post(whoami, {}, { token: createApiToken.token });
  while (refused.status !== 401 && Date.now() - revokedAt < 2000) refused = await b.post(whoami, {}, { token: createApiToken.token });
  expect(refused.status).toBe(401);
  expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  expect((await a.post(whoami, {}, { token: createApiToken.token })).status).toBe(401);
});

it('with Redis stopped, writes succeed and subscriptions are told; when it is back, events flow again', async () => {
  if (!redis.own) return console.warn('CMDB_TEST_REDIS_URL is set: the outage part needs a Redis the tests can stop');
  const open = await subscribe(b.base, b.adminToken, 'subscription { ciChanged { name } }');
  await redis.stop();
  await until(() => busA.outage !== null && busB.outage !== null && open.closed() !== null);
  expect(open.closed()).toEqual({ code: 1011, reason: 'live events are unavailable: the event bus (Redis) is unreachable' });
  const written = await a.ok('mutation { createCi(input: { class: "Application", name: "during-outage", attributes: { applicationCode: "APP-OUT" } }) { id name } }');
  expect(written.createCi.name).toBe('during-outage');
  expect((await b.ok('{ cis(filter: { name: "during-outage" }) { totalCount } }')).cis.totalCount).toBe(1);
  const refused = await subscribe(b.base, b.adminToken, 'subscription { ciChanged { name } }');
  await until(() => refused.errors.length > 0);
  expect(refused.errors[0]).toEqual([expect.objectContaining({ message: 'live events are unavailable: the event bus (Redis) is unreachable', extensions: { code: 'SERVICE_UNAVAILABLE' } })]);

  await redis.start();
  await until(() => busA.outage === null && busB.outage === null, 15_000);
  expect([busA.outage, busB.outage]).toEqual([null, null]);
  const again = await subscribe(b.base, b.adminToken, 'subscription { ciChanged(classes: ["Application"]) { name } }');
  await a.ok('mutation { createCi(input: { class: "Application", name: "after-outage", attributes: { applicationCode: "APP-AFTER" } }) { id } }');
  await until(() => again.events.length >= 1);
  expect(again.events).toEqual([{ ciChanged: { name: 'after-outage' } }]);
}, 40_000);
