import { AddressInfo } from 'net';
import { createApp, CmdbApp } from '../../src/server/app';
import { CmdbMetrics } from '../../src/observability/metrics';
import { ConcurrencyGate } from '../../src/runtime/concurrency-gate';
import { openTestGraph, TestGraph } from '../support/graph';
import { captureLogger } from '../support/log-capture';
import { families, sample } from '../support/prometheus';

let graph: TestGraph;
let app: CmdbApp;
let base: string;
let token: string;

const adminToken = async (a: CmdbApp) => (await a.tokens.create({ name: `metrics-${Math.random().toString(36).slice(2)}`, role: 'admin' }, 'system')).token;

beforeAll(async () => {
  graph = await openTestGraph();
  app = await createApp({ client: graph.client, catalog: graph.catalog, logger: captureLogger('warn').logger });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  token = await adminToken(app);
});
afterAll(async () => {
  await app.stop();
  await graph.close();
});

async function gql(query: string, variables: Record<string, unknown> = {}, operationName?: string): Promise<any> {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables, operationName }) });
  return res.json();
}

async function scrape(): Promise<string> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

const item = (ref: string, serial: string) => ({ ref, class: 'LinuxServer', sourceNativeKey: ref, attributes: { serialNumber: serial, hostname: ref, domain: 'metrics.test' } });

describe('GET /metrics', () => {
  it('exposes process metrics and every family the hub defines', async () => {
    const text = await scrape();
    expect(families(text)).toEqual(expect.arrayContaining([
      'cmdb_http_request_duration_seconds', 'cmdb_graphql_operation_duration_seconds', 'cmdb_graphql_errors_total',
      'cmdb_neo4j_query_duration_seconds', 'cmdb_neo4j_transaction_duration_seconds', 'cmdb_neo4j_pool_connections', 'cmdb_expensive_operations',
      'cmdb_reconcile_items_total', 'cmdb_reconcile_relationships_total', 'cmdb_reconcile_batches_total',
      'cmdb_sync_runs_finished_total', 'cmdb_cleanup_total', 'cmdb_service_health_recompute_seconds', 'cmdb_service_health_cis_loaded_total',
      'process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes',
    ]));
  });

  it('counts requests, operations, errors and Cypher round trips as they happen', async () => {
    const before = await scrape();
    const ok = await gql('query CountCis { cis(first: 1) { totalCount } }', {}, 'CountCis');
    expect(ok.errors).toBeUndefined();
    const bad = await gql('query BadFilter { cis(first: 1, filter: { class: "Sever" }) { totalCount } }', {}, 'BadFilter');
    expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const parse = await gql('{ cis(first: 1) { totalCount }');
    expect(parse.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    await gql('{ ciClasses(name: "Server") { name } }');
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    // The three parsed requests answer 200; the parse failure answers 400.
    expect(delta('cmdb_http_request_duration_seconds_count', { route: '/graphql', method: 'POST', status: '200' })).toBe(3);
    expect(delta('cmdb_http_request_duration_seconds_count', { route: '/graphql', method: 'POST', status: '400' })).toBe(1);
    // The scrape before this one was counted too.
    expect(delta('cmdb_http_request_duration_seconds_count', { route: '/metrics', method: 'GET', status: '200' })).toBe(1);
    expect(delta('cmdb_graphql_operation_duration_seconds_count', { operation: 'CountCis', type: 'query', outcome: 'success' })).toBe(1);
    expect(delta('cmdb_graphql_operation_duration_seconds_count', { operation: 'BadFilter', type: 'query', outcome: 'error' })).toBe(1);
    expect(delta('cmdb_graphql_operation_duration_seconds_count', { operation: 'anonymous', type: 'unknown', outcome: 'error' })).toBe(1);
    expect(delta('cmdb_graphql_operation_duration_seconds_count', { operation: 'anonymous:ciClasses', type: 'query', outcome: 'success' })).toBe(1);
    expect(delta('cmdb_graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBe(1);
    expect(delta('cmdb_graphql_errors_total', { code: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    // cis(first:1) { totalCount } is a page query and a count query in one read transaction.
    expect(delta('cmdb_neo4j_query_duration_seconds_count', { outcome: 'success' })).toBeGreaterThanOrEqual(2);
    expect(delta('cmdb_neo4j_transaction_duration_seconds_count', { mode: 'read', outcome: 'success' })).toBeGreaterThanOrEqual(1);
    // Nothing holds a connection between requests; the pool keeps the ones it opened.
    // The app learnt service health once at start.
    expect(sample(after, 'cmdb_service_health_recompute_seconds_count', { kind: 'full' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'cmdb_neo4j_pool_connections', { state: 'in_use' })).toBe(0);
    expect(sample(after, 'cmdb_neo4j_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(1);
  });

  it('counts reconciled items and relationships by source and operation, finished runs and cleanup results', async () => {
    await graph.wipe();
    const before = await scrape();
    await gql('mutation { registerSource(input: { name: "metrics-scan", kind: DISCOVERY }) { name } }');
    const run1 = (await gql('mutation { startSyncRun(source: "metrics-scan", scope: "lab", mode: FULL) { id } }')).data.startSyncRun.id;
    const reconcile = 'mutation R($input: ReconcileInput!) { reconcile(input: $input) { totals { created updated noChange errors relationshipsCreated } } }';
    const first = await gql(reconcile, { input: { source: 'metrics-scan', runId: run1, items: [item('a', 'SN-A'), item('b', 'SN-B'), { ref: 'bad', class: 'LinuxServer', attributes: { cpuCount: 'eight' } }], relationships: [{ from: 'a', to: 'b', type: 'CONNECTS_TO' }] } });
    expect(first.data.reconcile.totals).toEqual({ created: 2, updated: 0, noChange: 0, errors: 1, relationshipsCreated: 1 });
    await gql('mutation F($id: ID!) { finishSyncRun(runId: $id, status: SUCCEEDED) { id } }', { id: run1 });
    // A dry run is counted as a batch but not as items.
    await gql(reconcile, { input: { source: 'metrics-scan', dryRun: true, items: [item('a', 'SN-A')] } });
    // The second full run no longer reports b: cleanup marks it stale and withdraws the edge.
    const run2 = (await gql('mutation { startSyncRun(source: "metrics-scan", scope: "lab", mode: FULL) { id } }')).data.startSyncRun.id;
    const second = await gql(reconcile, { input: { source: 'metrics-scan', runId: run2, items: [item('a', 'SN-A')] } });
    expect(second.data.reconcile.totals).toMatchObject({ created: 0, noChange: 1 });
    await gql('mutation F($id: ID!) { finishSyncRun(runId: $id, status: SUCCEEDED) { cleanup { markedStale relationshipsRemoved } } }', { id: run2 });
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    const source = 'metrics-scan';
    expect(delta('cmdb_reconcile_items_total', { source, operation: 'created' })).toBe(2);
    expect(delta('cmdb_reconcile_items_total', { source, operation: 'unchanged' })).toBe(1);
    expect(delta('cmdb_reconcile_items_total', { source, operation: 'error' })).toBe(1);
    expect(delta('cmdb_reconcile_relationships_total', { source, operation: 'created' })).toBe(1);
    expect(delta('cmdb_reconcile_batches_total', { source, dry_run: 'false' })).toBe(2);
    expect(delta('cmdb_reconcile_batches_total', { source, dry_run: 'true' })).toBe(1);
    expect(delta('cmdb_sync_runs_finished_total', { source, mode: 'FULL', status: 'SUCCEEDED' })).toBe(2);
    expect(delta('cmdb_cleanup_total', { source, result: 'missing_records' })).toBe(1);
    expect(delta('cmdb_cleanup_total', { source, result: 'marked_stale' })).toBe(1);
    expect(delta('cmdb_cleanup_total', { source, result: 'relationships_removed' })).toBe(1);
    expect(delta('cmdb_cleanup_total', { source, result: 'deleted' })).toBe(0);
    expect(delta('cmdb_neo4j_transaction_duration_seconds_count', { mode: 'write', outcome: 'success' })).toBeGreaterThanOrEqual(4);
  });
});

describe('operation labels', () => {
  it('keeps the first distinct operation names and counts later ones as other', async () => {
    const metrics = new CmdbMetrics(() => null, { maxOperationLabels: 2, processMetrics: false });
    const capped = await createApp({ client: graph.client, catalog: graph.catalog, logger: captureLogger('warn').logger, metrics });
    await new Promise<void>((resolve) => capped.httpServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(capped.httpServer.address() as AddressInfo).port}`;
    const cappedToken = await adminToken(capped);
    try {
      for (const name of ['One', 'Two', 'Three', 'Four', 'One']) {
        await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${cappedToken}` }, body: JSON.stringify({ query: `query ${name} { ciClasses(name: "Server") { name } }` }) });
      }
      const text = await (await fetch(`${url}/metrics`)).text();
      const count = (operation: string) => sample(text, 'cmdb_graphql_operation_duration_seconds_count', { operation, type: 'query', outcome: 'success' });
      expect([count('One'), count('Two'), count('other'), count('Three')]).toEqual([2, 1, 2, 0]);
      // No pool stats source: the gauge has no samples rather than made-up ones; no process metrics asked for.
      expect(text).not.toMatch(/^cmdb_neo4j_pool_connections\{/m);
      expect(families(text)).not.toContain('process_cpu_user_seconds_total');
    } finally {
      await capped.stop();
    }
  });
});

describe('expensive operations', () => {
  it('reports how many run and how many wait at the gate', async () => {
    const metrics = new CmdbMetrics(() => null, { processMetrics: false });
    const gate = new ConcurrencyGate({ concurrency: 1, maxQueued: 5, queueTimeoutMs: 10_000 });
    metrics.watchExpensiveGate(() => gate.stats);
    const gauge = async (state: string) => sample(await metrics.render(), 'cmdb_expensive_operations', { state });
    expect([await gauge('running'), await gauge('queued')]).toEqual([0, 0]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const works = [1, 2, 3].map(() => gate.run(() => held));
    expect([await gauge('running'), await gauge('queued')]).toEqual([1, 2]);
    release();
    await Promise.all(works);
    expect([await gauge('running'), await gauge('queued')]).toEqual([0, 0]);
  });
});
