import { randomUUID } from 'crypto';
import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { buildEstate, IMPACT } from './impact-fixture';

let graph: TestGraph;
let api: TestApi;
const tick = () => new Promise((r) => setTimeout(r, 15));

useTestApi((g, a) => ([graph, api] = [g, a]));

const names = (r: any) => r.affected.map((a: any) => `${a.ci.name}:${a.severity}`);

it('asOf before a relationship was added (or after one was removed) gives the old answer', async () => {
  const ids = await buildEstate(api, { withoutSsoEdge: true });
  await tick();
  const before = new Date().toISOString();
  await tick();
  await api.ok(`mutation($a: ID!, $b: ID!) { relate(input: { from: $a, to: $b, type: "DEPENDS_ON" }) { created } }`, { a: ids.web, b: ids.sso });
  await tick();
  const withEdge = new Date().toISOString();
  await tick();
  await api.ok(`mutation($a: ID!, $b: ID!) { unrelate(input: { from: $a, to: $b, type: "HOSTED_ON" }) }`, { a: ids.db, b: ids.dbi });

  const now = (await api.ok(IMPACT, { input: { ciIds: [ids.ldap] } })).impact;
  expect(names(now)).toEqual(['sso:DOWN', 'web:DOWN', 'Shop:DOWN']);
  const then = (await api.ok(IMPACT, { input: { ciIds: [ids.ldap], asOf: before } })).impact;
  expect(names(then)).toEqual(['sso:DOWN']);
  expect(then.truncated).toBe(false);

  // The db -> dbi edge is gone now but existed at `withEdge`.
  expect(names((await api.ok(IMPACT, { input: { ciIds: [ids.srv] } })).impact)).toEqual(['dbi:DOWN']);
  const past = (await api.ok(IMPACT, { input: { ciIds: [ids.srv], asOf: withEdge } })).impact;
  expect(names(past)).toEqual(['dbi:DOWN', 'db:DOWN', 'web:DOWN', 'Shop:DOWN']);
  expect(past.affected.find((a: any) => a.ci.name === 'Shop').paths[0].map((s: any) => `${s.from.name}-${s.type}-${s.to.name}`))
    .toEqual(['srv-RUNS_ON-dbi', 'dbi-HOSTED_ON-db', 'db-DEPENDS_ON-web', 'web-DEPENDS_ON-Shop']);
  // Redundancy still applies in the past.
  expect(names((await api.ok(IMPACT, { input: { ciIds: [ids.vm1], asOf: withEdge } })).impact)).toEqual(['i1:DOWN', 'lb:DEGRADED', 'web:DEGRADED', 'Shop:DEGRADED']);
});

it('an impact request over 1,000 affected CIs costs at most 5 round trips', async () => {
  await graph.wipe();
  const now = new Date().toISOString();
  const sw = randomUUID();
  await graph.client.write(
    `CREATE (s:CI:ConfigurationItem:NetworkDevice:Switch {id: $sw, name: 'core-1', class: 'Switch', hostname: 'core-1', createdAt: $now, updatedAt: $now})
     WITH s UNWIND range(1, 1200) AS i
     CREATE (h:CI:ConfigurationItem:Computer:Server:LinuxServer {id: randomUUID(), name: 'srv-' + i, class: 'LinuxServer', hostname: 'srv-' + i, createdAt: $now, updatedAt: $now})
     CREATE (h)-[:CONNECTS_TO {createdAt: $now}]->(s)
     CREATE (a:CI:ConfigurationItem:Application {id: randomUUID(), name: 'app-' + i, class: 'Application', createdAt: $now, updatedAt: $now})
     CREATE (a)-[:RUNS_ON {createdAt: $now}]->(h)`,
    { sw, now },
  );
  const result = await api.run(IMPACT, { input: { ciIds: [sw] } });
  expect(result.errors).toBeUndefined();
  expect(result.data.impact.affected).toHaveLength(2400);
  expect(result.data.impact.countsByClass).toEqual([
    { class: 'Application', count: 1200, down: 1200, degraded: 0 },
    { class: 'LinuxServer', count: 1200, down: 1200, degraded: 0 },
  ]);
  expect(result.queries).toBeLessThanOrEqual(5);
  expect(result.queries).toBe(1);

  // Paged, every affected CI comes exactly once, worst and nearest first, and services stay complete.
  const PAGE = `query($sw: ID!, $after: String) { impact(input: { ciIds: [$sw] }) { services { ci { name } }
    affectedConnection(first: 1000, after: $after) { totalCount edges { node { ci { id } severity depth } } pageInfo { hasNextPage endCursor } } } }`;
  const seen: { ci: { id: string }; depth: number }[] = [];
  let after: string | null = null;
  for (let pages = 0; ; pages++) {
    expect(pages).toBeLessThan(4);
    const page: any = (await api.ok(PAGE, { sw, after })).impact.affectedConnection;
    expect(page.totalCount).toBe(2400);
    seen.push(...page.edges.map((e: any) => e.node));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  expect(seen).toHaveLength(2400);
  expect(new Set(seen.map((s) => s.ci.id)).size).toBe(2400);
  const full = await api.ok('query($sw: ID!) { impact(input: { ciIds: [$sw] }) { affected { ci { id } } } }', { sw });
  expect(new Set(seen.map((s) => s.ci.id))).toEqual(new Set(full.impact.affected.map((a: any) => a.ci.id)));
  expect(seen.map((s) => s.depth)).toEqual([...seen.map((s) => s.depth)].sort((a, b) => a - b));
});

it('impact(asOf) uses the redundancy rules in force then, and history records each change of them', async () => {
  await graph.wipe();
  const ids = await buildEstate(api); // the load balancer needs 2 of its 4 members
  await tick();
  const before = new Date().toISOString();
  await tick();
  await api.ok('mutation($id: ID!) { setRedundancy(ciId: $id, type: "MEMBER_OF", quorum: null) { quorum } }', { id: ids.lb });

  const severityOfLb = (r: any) => r.impact.affected.find((a: any) => a.ci.name === 'lb').severity;
  expect(severityOfLb(await api.ok(IMPACT, { input: { ciIds: [ids.vm1] } }))).toBe('DOWN');
  expect(severityOfLb(await api.ok(IMPACT, { input: { ciIds: [ids.vm1], asOf: before } }))).toBe('DEGRADED');

  const lb = await api.ok('query($id: ID!, $at: DateTimeISO) { now: ci(id: $id) { redundancy { type quorum } history(first: 5) { edges { node { kind field oldValue newValue } } } } then: ci(id: $id, asOf: $at) { redundancy { type quorum } } }',
    { id: ids.lb, at: before });
  expect(lb.now.redundancy).toEqual([]);
  expect(lb.then.redundancy).toEqual([{ type: 'MEMBER_OF', quorum: 2 }]);
  expect(lb.now.history.edges.map((e: any) => e.node).filter((n: any) => n.field === 'redundancy')).toEqual([
    { kind: 'UPDATED', field: 'redundancy', oldValue: [{ type: 'MEMBER_OF', quorum: 2 }], newValue: null },
    // A load balancer starts with its class's rule (one member keeps it up); the estate then asks for two.
    { kind: 'UPDATED', field: 'redundancy', oldValue: [{ type: 'MEMBER_OF', quorum: 1 }], newValue: [{ type: 'MEMBER_OF', quorum: 2 }] },
  ]);
});
