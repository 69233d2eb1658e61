import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { buildCmdbSchema } from '../../src/resolvers/schema';
import { createRequestContext, RequestContext } from '../../src/resolvers/context';
import { createErrorFormatter } from '../../src/server/format-error';
import { openTestGraph, TestGraph } from '../support/graph';

/**
 * Thousands of generated inputs (wrong types, huge strings, deep JSON, odd unicode, invalid ids, cursors and
 * dates) against every writing and most reading root fields, as an admin (the widest rights). None may end as
 * INTERNAL_SERVER_ERROR, every BAD_USER_INPUT names its field or variable, and a refused input changes nothing.
 * The generator is seeded, so a failure names a case that can be run again.
 */
let graph: TestGraph;
let server: ApolloServer<RequestContext>;
const unexpected: unknown[] = [];
let seed = 20261201;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const STRINGS = ['', ' ', 'x', 'Server', 'Sever', 'LinuxServer', '\u0000', '\ud800', '\u202eevil', '😀'.repeat(50), 'a'.repeat(10_000), 'é'.repeat(3_000), 'z'.repeat(8_200), "'; MATCH (n) DETACH DELETE n //", '`x`', '$param', '{}', '../../etc/passwd', '<script>', 'null', 'DEPENDS_ON', 'manual', 'fuzz-src', '2026-13-45T25:61:00Z', 'yesterday', 'bm90LWEtY3Vyc29y', '00000000-0000-0000-0000-000000000000'];
const NUMBERS = [0, -1, 1, 2 ** 31, 2 ** 53 + 2, 1.5, NaN, 1e308];
function value(depth = 0): unknown {
  const r = rand();
  if (r < 0.35) return pick(STRINGS);
  if (r < 0.5) return pick(NUMBERS);
  if (r < 0.6) return pick([true, false, null]);
  if (depth > 3) return pick(STRINGS);
  if (r < 0.8) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, () => [pick(STRINGS).slice(0, 40), value(depth + 1)]));
}
function deepJson(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { d: v };
  return v;
}
const maybe = <T>(v: T) => (rand() < 0.5 ? v : value());

const ids: Record<string, string> = {};
const LONG = ['a'.repeat(10_000), 'z'.repeat(8_200), 'é'.repeat(3_000), '😀'.repeat(2_100)];
const CASES: (() => [string, Record<string, unknown>])[] = [
  // Identifiers are indexed: values near Neo4j's 8 KB index key limit, valid otherwise.
  () => ['mutation($i: ReconcileInput!) { reconcile(input: $i) { totals { errors } } }', { i: { source: 'fuzz-src', items: [{ ref: 'l', class: 'LinuxServer', sourceNativeKey: rand() < 0.3 ? pick(LONG) : null, attributes: { serialNumber: pick(LONG), hostname: `h${Math.floor(rand() * 1e6)}`, domain: 'fz.test' } }] } }],
  () => ['mutation($i: CreateCiInput!) { createCi(input: $i) { id } }', { i: { class: 'LinuxServer', name: `n${Math.floor(rand() * 1e6)}`, attributes: { hostname: pick(LONG), domain: 'fz.test' } } }],
  () => ['mutation($i: CreateCiInput!) { createCi(input: $i) { id } }', { i: { class: maybe(pick(['LinuxServer', 'Application', 'Sever'])), name: maybe('fz'), attributes: rand() < 0.2 ? { labels: deepJson(40) } : maybe({ hostname: value(), domain: value(), cpuCount: value() }) } }],
  () => ['mutation($id: ID!, $i: UpdateCiInput!) { updateCi(id: $id, input: $i) { id } }', { id: maybe(ids.srv), i: { lifecycleStatus: maybe('IN_USE'), attributes: maybe({ cpuCount: value(), [pick(STRINGS).slice(0, 60)]: value() }) } }],
  () => ['mutation($i: RelateInput!) { relate(input: $i) { created } }', { i: { from: maybe(ids.app), to: maybe(ids.srv), type: maybe(pick(['RUNS_ON', 'DEPENDS_ON', 'NOPE'])) } }],
  () => ['mutation($i: ReconcileInput!) { reconcile(input: $i) { totals { errors } } }', { i: { source: maybe('fuzz-src'), runId: rand() < 0.3 ? value() : null, dryRun: rand() < 0.25, items: Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, k) => ({ ref: maybe(`r${k}`), class: maybe('LinuxServer'), sourceNativeKey: rand() < 0.3 ? value() : null, attributes: maybe({ serialNumber: value(), hostname: value(), domain: 'fz.test' }) })), relationships: rand() < 0.5 ? [{ from: maybe('r0'), to: maybe('r1'), type: maybe('CONNECTS_TO') }] : null } }],
  () => ['query($f: CiFilter, $n: Int!, $a: String) { cis(filter: $f, first: $n, after: $a) { totalCount } }', { f: maybe({ class: value(), nameContains: value(), attributes: [{ name: value(), value: value() }] }), n: maybe(5), a: rand() < 0.5 ? value() : null }],
  () => ['query($id: ID!, $at: DateTimeISO) { ci(id: $id, asOf: $at) { name history(first: 3, after: "bm9wZQ") { totalCount } } }', { id: maybe(ids.app), at: rand() < 0.5 ? value() : null }],
  () => ['query($i: ImpactInput!) { impact(input: $i) { truncated } }', { i: { ciIds: maybe([ids.srv]), maxDepth: maybe(3), limit: maybe(100), relationshipTypes: rand() < 0.4 ? value() : null, classes: rand() < 0.4 ? value() : null, asOf: rand() < 0.3 ? value() : null } }],
  () => ['mutation($i: RegisterSourceInput!) { registerSource(input: $i) { name } }', { i: { name: maybe(pick(['fuzz-new', 'FUZZ'])), kind: maybe('IMPORT'), priority: maybe(5), stalenessHours: maybe(1), retentionDays: maybe(1) } }],
  () => ['mutation($s: String!, $c: String!, $m: SyncMode!) { startSyncRun(source: $s, scope: $c, mode: $m) { id } }', { s: maybe('fuzz-src'), c: value(), m: maybe('DELTA') }],
  () => ['mutation($i: PrecedenceRuleInput!) { setPrecedenceRule(input: $i) { class } }', { i: { class: maybe('Server'), attribute: maybe('memoryGb'), sources: maybe(['fuzz-src']) } }],
  () => ['query($id: ID!, $d: Int!, $t: [String!], $l: Int!) { neighborhood(ciId: $id, depth: $d, types: $t, limit: $l) { truncated } }', { id: maybe(ids.app), d: maybe(2), t: rand() < 0.5 ? value() : null, l: maybe(10) }],
  () => ['query($a: ID!, $b: ID!, $d: Int!) { paths(fromId: $a, toId: $b, maxDepth: $d) { length } }', { a: maybe(ids.app), b: maybe(ids.srv), d: maybe(4) }],
  () => ['mutation($id: ID!, $t: String!, $q: Int) { setRedundancy(ciId: $id, type: $t, quorum: $q) { quorum } }', { id: maybe(ids.app), t: maybe('RUNS_ON'), q: maybe(1) }],
  () => ['mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { apiToken { id } } }', { i: { name: value(), role: maybe('viewer'), source: rand() < 0.3 ? value() : null, expiresAt: rand() < 0.3 ? value() : null } }],
  () => ['query($c: String, $l: Int!) { cmdbHealth(class: $c, limit: $l) { summary { totalCis } } ciClasses(name: $c) { name } }', { c: rand() < 0.7 ? value() : null, l: maybe(5) }],
  // CI references, the change feed, merges and duplicate records.
  () => ['query($r: [CiRef!], $s: DateTimeISO, $d: Int!, $k: [ChangeKind!], $c: [String!], $a: String) { changes(ciRefs: $r, since: $s, maxDepth: $d, kinds: $k, classes: $c, after: $a) { edges { cursor } } }',
    { r: rand() < 0.7 ? [maybe({ name: value(), class: rand() < 0.5 ? value() : null }), maybe({ identifiers: value() })] : null, s: rand() < 0.3 ? value() : null, d: maybe(2), k: rand() < 0.3 ? value() : null, c: rand() < 0.3 ? value() : null, a: rand() < 0.3 ? value() : null }],
  () => ['query($r: [CiRef!], $f: Int!, $a: String) { impact(input: { ciRefs: $r }) { affectedConnection(first: $f, after: $a) { totalCount } } }', { r: [maybe({ id: maybe(ids.srv) }), maybe({ name: value() })], f: maybe(10), a: rand() < 0.4 ? value() : null }],
  () => ['mutation($a: ID, $b: ID, $r: CiRef) { mergeCis(survivorId: $a, duplicateId: $b, duplicate: $r) { fieldsTaken } }', { a: maybe(ids.app), b: rand() < 0.5 ? maybe(ids.app) : null, r: rand() < 0.5 ? maybe({ name: value() }) : null }],
  () => ['mutation($id: ID!, $r: String) { dismissDuplicate(id: $id, reason: $r) { status } }', { id: value(), r: rand() < 0.5 ? value() : null }],
];

async function fingerprint(): Promise<string> {
  const r = await graph.client.read(`CALL () { MATCH (n) WHERE NOT n:ApiToken AND NOT n:ReconcileLock RETURN count(n) AS nodes }
    CALL () { MATCH ()-[r]->() RETURN count(r) AS rels }
    CALL () { MATCH (n:CI) RETURN max(n.updatedAt) AS updated }
    CALL () { MATCH (t:ApiToken) RETURN count(t) AS tokens }
    RETURN nodes, rels, updated, tokens`);
  const x = r.records[0];
  return JSON.stringify([x.get('nodes'), x.get('rels'), x.get('updated'), x.get('tokens')]);
}

beforeAll(async () => {
  graph = await openTestGraph();
  await graph.wipe();
  server = new ApolloServer<RequestContext>({
    schema: await buildCmdbSchema(),
    formatError: createErrorFormatter(false, (_m, err) => unexpected.push(err)),
  });
  await server.start();
  const run = (query: string, variables: Record<string, unknown> = {}) => server.executeOperation({ query, variables }, { contextValue: createRequestContext(graph.client, graph.catalog) });
  const data = async (query: string) => {
    const res = await run(query);
    if (res.body.kind !== 'single' || res.body.singleResult.errors) throw new Error(JSON.stringify(res.body));
    return res.body.singleResult.data as any;
  };
  ids.app = (await data('mutation { createCi(input: { class: "Application", name: "fz-app" }) { id } }')).createCi.id;
  ids.srv = (await data('mutation { createCi(input: { class: "LinuxServer", name: "fz-srv", attributes: { hostname: "fz-srv", domain: "fz.test" } }) { id } }')).createCi.id;
  await data('mutation { registerSource(input: { name: "fuzz-src", kind: DISCOVERY }) { name } }');
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await graph?.close();
});

it('answers 2,500 generated requests without an internal error, naming the field of every refusal, writing nothing when refusing', async () => {
  let refusals = 0;
  for (let n = 0; n < 2500; n++) {
    const caseSeed = seed;
    const [query, variables] = pick(CASES)();
    const isMutation = query.startsWith('mutation');
    const before = isMutation ? await fingerprint() : '';
    const res = await server.executeOperation({ query, variables }, { contextValue: createRequestContext(graph.client, graph.catalog) });
    if (res.body.kind !== 'single') throw new Error('incremental response');
    const errors = res.body.singleResult.errors ?? [];
    const where = `case ${n} (seed ${caseSeed}): ${query.slice(0, 60)}`;
    expect({ where, codes: errors.map((e) => e.extensions?.code).filter((c) => c === 'INTERNAL_SERVER_ERROR') }).toEqual({ where, codes: [] });
    for (const e of errors) {
      if (e.extensions?.code !== 'BAD_USER_INPUT') continue;
      const named = typeof e.extensions.field === 'string' || /Variable "\$\w+"|Argument "\w+"|Field "\w+"/.test(e.message);
      expect({ where, message: e.message.slice(0, 200), named }).toEqual({ where, message: e.message.slice(0, 200), named: true });
    }
    if (isMutation && errors.length && !res.body.singleResult.data) {
      refusals++;
      expect({ where, after: await fingerprint() }).toEqual({ where, after: before });
    }
  }
  expect(unexpected).toEqual([]);
  expect(refusals).toBeGreaterThan(500);
}, 600_000);
