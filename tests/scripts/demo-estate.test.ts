/** The demo estate of `npm run demo`: valid against the model on its own, and loadable through the real HTTP API. */
import type { AddressInfo } from 'node:net';
import { loadCatalog } from '../../src/model/load-catalog';
import { validateAttributes } from '../../src/model/attribute-values';
import type { FieldError } from '../../src/model/field-error';
import { createApp, CmdbApp } from '../../src/server/app';
import { buildEstate } from '../../scripts/demo/estate';
import { loadEstate } from '../../scripts/demo/load-estate';
import { captureLogger } from '../support/log-capture';
import { sample } from '../support/prometheus';
import { openTestGraph, TestGraph } from '../support/graph';

const estate = buildEstate();
const catalog = loadCatalog();
const byRef = new Map(estate.cis.map((c) => [c.ref, c]));
const sorted = (rows: string[][]) => [...rows].sort((a, b) => a.join('\u0000').localeCompare(b.join('\u0000')));

describe('demo estate (generated, no database)', () => {
  it('is deterministic', () => {
    expect(buildEstate()).toEqual(estate);
  });

  it('has at least 200 CIs in at least 10 classes, with unique refs and unique [class, name]', () => {
    expect(estate.cis.length).toBeGreaterThanOrEqual(200);
    expect(new Set(estate.cis.map((c) => c.class)).size).toBeGreaterThanOrEqual(10);
    expect(byRef.size).toBe(estate.cis.length);
    expect(new Set(estate.cis.map((c) => `${c.class}|${c.name}`)).size).toBe(estate.cis.length);
  });

  it('uses only concrete classes and fills every required attribute with a valid value', () => {
    const problems: string[] = [];
    for (const ci of estate.cis) {
      const cls = catalog.getClass(ci.class);
      if (!cls || cls.abstract) {
        problems.push(`${ci.ref}: class ${ci.class} is ${cls ? 'abstract' : 'unknown'}`);
        continue;
      }
      for (const attr of cls.attributes.values()) {
        const value = ci.attributes?.[attr.name];
        if (attr.required && (value === undefined || value === null || value === '')) problems.push(`${ci.ref}: required ${attr.name} missing`);
      }
      const errors: FieldError[] = [];
      validateAttributes(cls, ci.attributes, 'create', errors);
      problems.push(...errors.map((e) => `${ci.ref}: ${e.field} ${e.reason}`));
    }
    expect(problems).toEqual([]);
  });

  it('relates only existing refs, once each, with types the catalog allows between their classes', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const rel of estate.relationships) {
      const what = `${rel.from} -[${rel.type}]-> ${rel.to}`;
      const from = byRef.get(rel.from);
      const to = byRef.get(rel.to);
      const type = catalog.getRelationshipType(rel.type);
      if (!from || !to) problems.push(`${what}: unknown ref`);
      else if (!type) problems.push(`${what}: unknown type`);
      else if (!catalog.allowsRelationship(type, from.class, to.class)) problems.push(`${what}: not allowed from ${from.class} to ${to.class}`);
      if (rel.from === rel.to) problems.push(`${what}: self-loop`);
      if (seen.has(what)) problems.push(`${what}: duplicate`);
      seen.add(what);
    }
    expect(problems).toEqual([]);
  });

  it('has the three production business services with owner, support group, criticality and IN_USE', () => {
    const services = estate.cis.filter((c) => c.class === 'BusinessService');
    expect(services.map((s) => s.name).sort()).toEqual(['Customer Portal', 'Online Shop', 'Payments']);
    for (const s of services) {
      expect(s).toMatchObject({ environment: 'production', lifecycleStatus: 'IN_USE' });
      expect(s.owner && s.supportGroup && s.criticality).toBeTruthy();
    }
  });
});

describe('demo estate loaded through the HTTP API', () => {
  let graph: TestGraph;
  let app: CmdbApp;
  let url: string;
  let token: string;

  beforeAll(async () => {
    graph = await openTestGraph(catalog);
    app = await createApp({ client: graph.client, catalog: graph.catalog, logger: captureLogger('warn').logger });
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
    token = (await app.tokens.create({ name: `demo-${Math.random().toString(36).slice(2)}`, role: 'admin' }, 'system')).token;
  }, 120_000);

  afterAll(async () => {
    if (app) {
      await app.stop();
      if (app.httpServer.listening) await new Promise<void>((resolve) => app.httpServer.close(() => resolve()));
    }
    await graph?.close();
  });

  const count = async (cypher: string): Promise<number> => (await graph.client.read(cypher)).records[0].get('n') as number;

  it('creates exactly the estate: every CI and every relationship', async () => {
    const progress: string[] = [];
    const result = await loadEstate(estate, { url, token, batchSize: 15, onProgress: (phase, done, total) => progress.push(`${phase} ${done}/${total}`) });
    expect(result).toMatchObject({ alreadyLoaded: false, cis: estate.cis.length, relationships: estate.relationships.length, relationshipsCreated: estate.relationships.length });
    expect(progress).toContain(`cis ${estate.cis.length}/${estate.cis.length}`);
    expect(progress).toContain(`relationships ${estate.relationships.length}/${estate.relationships.length}`);

    expect(await count('MATCH (c:CI) RETURN count(c) AS n')).toBe(estate.cis.length);
    expect(await count('MATCH (:CI)-[r]->(:CI) RETURN count(r) AS n')).toBe(estate.relationships.length);

    // The discovery pass identified every hypervisor and VM it reported instead of creating a second CI.
    const virtual = estate.cis.filter((c) => c.class === 'Hypervisor' || c.class === 'VirtualMachine');
    expect(virtual.length).toBeGreaterThan(10);
    expect(result.discovery).toEqual(expect.objectContaining({ source: 'demo-vcenter', items: virtual.length, created: 0, errors: 0 }));
    expect(result.discovery!.updated + result.discovery!.noChange).toBe(virtual.length);
    expect(await count("MATCH (s:SourceRecord {source: 'demo-vcenter'}) RETURN count(s) AS n")).toBe(virtual.length);

    // What an operator sees at /metrics after the demo: the reconcile and request counters.
    const metrics = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
    const reconciled = ['created', 'updated', 'unchanged', 'error'].reduce((n, operation) => n + sample(metrics, 'cmdb_reconcile_items_total', { source: 'demo-vcenter', operation }), 0);
    expect(reconciled).toBe(virtual.length);
    expect(sample(metrics, 'cmdb_sync_runs_finished_total', { source: 'demo-vcenter', mode: 'FULL', status: 'SUCCEEDED' })).toBe(1);
    expect(sample(metrics, 'cmdb_http_request_duration_seconds_count', { route: '/graphql', method: 'POST', status: '200' })).toBeGreaterThan(10);
    expect(sample(metrics, 'cmdb_graphql_operation_duration_seconds_count', { operation: 'DemoEstate', type: 'mutation', outcome: 'success' })).toBeGreaterThan(5);

    const snapshot = await graph.snapshot();
    expect(sorted(snapshot.nodes)).toEqual(sorted(estate.cis.map((c) => [c.class, c.name])));
    const name = (ref: string) => byRef.get(ref)!.name;
    expect(sorted(snapshot.edges)).toEqual(sorted(estate.relationships.map((r) => [name(r.from), r.type, name(r.to)])));

    const services = await graph.client.read(
      "MATCH (c:CI {class: 'BusinessService'}) RETURN c.class AS cls, c.name AS name, c.environment AS env, c.lifecycleStatus AS status ORDER BY name",
    );
    expect(services.records.map((r) => [r.get('cls'), r.get('name'), r.get('env'), r.get('status')])).toEqual([
      ['BusinessService', 'Customer Portal', 'production', 'IN_USE'],
      ['BusinessService', 'Online Shop', 'production', 'IN_USE'],
      ['BusinessService', 'Payments', 'production', 'IN_USE'],
    ]);
    // The redundancy the estate declares, and nothing else.
    const expectedRules = new Map<string, { type: string; quorum: number }[]>();
    for (const r of estate.redundancy) expectedRules.set(name(r.ref), [...(expectedRules.get(name(r.ref)) ?? []), { type: r.type, quorum: r.quorum }]);
    const pools = await graph.client.read('MATCH (c:CI) WHERE c._redundancy IS NOT NULL RETURN c.name AS name, c._redundancy AS r');
    const stored = pools.records.map((r) => [r.get('name'), JSON.parse(r.get('r')).sort((a: any, b: any) => a.type.localeCompare(b.type))]);
    expect(stored.length).toBe(expectedRules.size);
    for (const [ci, rules] of stored) expect([ci, rules]).toEqual([ci, expectedRules.get(ci)!.sort((a, b) => a.type.localeCompare(b.type))]);
  });

  describe('the judgement it shows', () => {
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
      const body: any = await res.json();
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const services = async (...switches: string[]) => {
      const data = await gql('query($r: [CiRef!]) { impact(input: { ciRefs: $r }) { services { ci { name } severity } } }', { r: switches.map((n) => ({ name: n, class: 'Switch' })) });
      return Object.fromEntries(data.impact.services.map((s: any) => [s.ci.name, s.severity]));
    };

    it('one core switch failing degrades services and takes none down; both take the site-bound ones down', async () => {
      const one = await services('fra1-core-sw01');
      expect(Object.keys(one).length).toBeGreaterThan(0);
      expect(Object.values(one).every((s) => s === 'DEGRADED')).toBe(true);
      expect(Object.values(await services('ams1-core-sw02')).every((s) => s === 'DEGRADED')).toBe(true);
      // Kubernetes runs in FRA1 only: with both FRA1 switches gone the shop and the portal are down; payments run in both sites.
      const both = await services('fra1-core-sw01', 'fra1-core-sw02');
      expect(both).toMatchObject({ 'Online Shop': 'DOWN', 'Customer Portal': 'DOWN', Payments: 'DEGRADED' });
    });

    it('single points of failure of a service are the ones a human would name', async () => {
      const spof = async (service: string) =>
        (await gql('query($n: String!) { singlePointsOfFailure(service: { name: $n }) { ci { name } } }', { n: service })).singlePointsOfFailure.map((s: any) => s.ci.name).sort();
      const payments = await spof('Payments');
      // Active-active in both sites: only what every site shares (the replicated ledger's SAN is per site, so none).
      expect(payments).toEqual(expect.arrayContaining(['Kafka', 'Messaging', 'Payment Gateway', 'payments_tx']));
      expect(payments.filter((n: string) => /core-sw|esx|rt01|fw01|^Datacenter/.test(n))).toEqual([]);
      const shop = await spof('Online Shop');
      // The cluster lives in FRA1: that site's router, datastore and the racks holding them are the shop's weak
      // spots (with the cluster itself and what the shop uses once); no single switch or hypervisor is.
      expect(shop).toEqual(expect.arrayContaining(['fra1-edge-rt01', 'fra1-vsan-datastore', 'FRA1-R01', 'FRA1-R03', 'Datacenter FRA1', 'k8s-prod-fra1', 'Payments']));
      expect(shop.filter((n: string) => /core-sw|esx0|ams1/.test(n))).toEqual([]);
    });

    it('ranks the one shared cause first: VMs failing on three hypervisors point at their datastore', async () => {
      const vmOn = (hv: string) => byRef.get(estate.relationships.find((r) => r.type === 'HOSTED_ON' && r.to === hv && r.from.startsWith('vm:'))!.from)!.name;
      const observed = ['hv:fra1-esx01', 'hv:fra1-esx02', 'hv:fra1-esx03'].map((hv) => ({ name: vmOn(hv), class: 'VirtualMachine' }));
      const data = await gql('query($r: [CiRef!]) { rootCauseCandidates(ciRefs: $r, limit: 3) { candidate { ci { name } depth } explainedCount } }', { r: observed });
      const [first, second] = data.rootCauseCandidates;
      expect(first).toEqual({ candidate: { ci: { name: 'fra1-vsan-datastore' }, depth: 1 }, explainedCount: 3 });
      // Whatever else explains all three (the rack it stands in, the site's router, the datacenter) is further away: no tie.
      expect(second.explainedCount < 3 || second.candidate.depth > 1).toBe(true);
    });
  });

  it('loads nothing the second time', async () => {
    const again = await loadEstate(estate, { url, token });
    expect(again).toMatchObject({ alreadyLoaded: true, cis: 0, relationships: 0 });
    expect(await count('MATCH (c:CI) RETURN count(c) AS n')).toBe(estate.cis.length);
    expect(await count('MATCH (:CI)-[r]->(:CI) RETURN count(r) AS n')).toBe(estate.relationships.length);
  });

  it('refuses to load into a GraphQL API that is not this CMDB', async () => {
    const { ApolloServer } = await import('@apollo/server');
    const { startStandaloneServer } = await import('@apollo/server/standalone');
    const other = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'hi' } } });
    const { url: otherUrl } = await startStandaloneServer(other, { listen: { port: 0, host: '127.0.0.1' } });
    try {
      await expect(loadEstate(estate, { url: otherUrl, token })).rejects.toThrow(/is not this CMDB/);
    } finally {
      await other.stop();
    }
  });

  it('aborts on a GraphQL error, naming the offending item', async () => {
    const bad = { cis: [{ ref: 'bad:vm', class: 'VirtualMachine', name: 'no-hostname' }], relationships: [], redundancy: [] };
    await graph.wipe();
    await expect(loadEstate(bad, { url, token })).rejects.toThrow(/attributes\.hostname.*bad:vm/);
  });
});
