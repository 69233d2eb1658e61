import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { reconcile, registerSource } from '../support/reconcile';

let graph: TestGraph;
let api: TestApi;

useTestApi((g, a) => ([graph, api] = [g, a]));

beforeAll(async () => {
  await registerSource(api, { name: 'cloud', kind: 'DISCOVERY' });
});

const vm = (i: number) => ({ ref: `vm-${i}`, class: 'VirtualMachine', attributes: { cloudInstanceId: `i-${i}`, hostname: `vm-${i}`, cpuCount: 2 } });

describe('batches', () => {
  it('accepts 5,000 items in a bounded number of queries, reporting bad items by ref while writing the others', async () => {
    const items: Record<string, unknown>[] = Array.from({ length: 4990 }, (_, i) => vm(i));
    items[17] = { ref: 'bad-class', class: 'VirtualMachin', attributes: { hostname: 'x' } };
    items[4242] = { ref: 'no-identity', class: 'VirtualMachine', attributes: { cpuCount: 4 } };
    items[999] = { ref: 'bad-type', class: 'VirtualMachine', attributes: { cloudInstanceId: 'i-999', hostname: 'vm-999', cpuCount: 'two' } };
    const hosts = Array.from({ length: 10 }, (_, i) => ({ ref: `hv-${i}`, class: 'Hypervisor', attributes: { serialNumber: `HV${i}`, hostname: `hv-${i}`, hypervisorType: 'KVM' } }));
    const relationships = Array.from({ length: 4990 }, (_, i) => ({ from: `vm-${i}`, to: `hv-${i % 10}`, type: 'HOSTED_ON' }));
    const result = await api.run(`mutation($input: ReconcileInput!) { reconcile(input: $input) {
      items { ref operation errors { field reason } } totals { items created errors relationshipsCreated relationshipErrors } } }`,
    { input: { source: 'cloud', items: [...items, ...hosts], relationships } });
    expect(result.errors).toBeUndefined();
    const { totals, items: out } = result.data.reconcile;
    expect(totals).toEqual({ items: 5000, created: 4997, errors: 3, relationshipsCreated: 4987, relationshipErrors: 3 });
    const failed = out.filter((i: any) => i.operation === 'ERROR');
    expect(failed).toEqual([
      { ref: 'bad-class', operation: 'ERROR', errors: [{ field: 'items[17].class', reason: "class 'VirtualMachin' is not in the model; did you mean 'VirtualMachine'?" }] },
      { ref: 'bad-type', operation: 'ERROR', errors: [{ field: 'items[999].attributes.cpuCount', reason: 'must be an integer, got string "two"' }] },
      { ref: 'no-identity', operation: 'ERROR', errors: [{ field: 'items[4242].attributes', reason: expect.stringContaining('missing identity: VirtualMachine is identified by [cloudInstanceId] | [vmUuid] | [fqdn] | [hostname, domain]') }] },
    ]);
    // Never per item, nor per rule or write: the locks with the sources, rules and run; every identification rule
    // the items may need (one round, none depends on another item); the three edge ends that are no item's ref
    // (vm-17, vm-999, vm-4242), looked up as CI ids; then every write, the edges between new CIs included.
    expect(result.queryLog.map((q) => q.split(/\s+/).slice(0, 3).join(' '))).toEqual(['CALL () {', 'UNWIND $g0 AS', 'UNWIND $ids AS', 'CALL () {']);
    const counts = await graph.client.read("MATCH (c:CI) WITH count(c) AS cis CALL () { MATCH (:CI)-[r:HOSTED_ON]->(:CI) RETURN count(r) AS rels } RETURN cis, rels");
    expect([counts.records[0].get('cis'), counts.records[0].get('rels')]).toEqual([4997, 4987]);

    // The same batch again changes nothing.
    const again = await api.run(`mutation($input: ReconcileInput!) { reconcile(input: $input) { totals { created updated noChange relationshipsUnchanged } } }`,
      { input: { source: 'cloud', items: [...items, ...hosts], relationships } });
    expect(again.data.reconcile.totals).toEqual({ created: 0, updated: 0, noChange: 4997, relationshipsUnchanged: 4987 });
    // Context, identification, the matched CIs' state, the source records, then the edges onto existing CIs (which answer).
    expect(again.queries).toBe(5);
  }, 120000);

  it('refuses more than 5,000 items with a clear error', async () => {
    const result = await api.run(`mutation($input: ReconcileInput!) { reconcile(input: $input) { source } }`,
      { input: { source: 'cloud', items: Array.from({ length: 5001 }, (_, i) => vm(i)) } });
    expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'items' });
  });

  it('refuses an unregistered source', async () => {
    const result = await api.run(`mutation($input: ReconcileInput!) { reconcile(input: $input) { source } }`, { input: { source: 'clouds', items: [vm(1)] } });
    expect(result.errors![0].message).toBe("source: source 'clouds' is not registered; did you mean 'cloud'?; call registerSource first");
  });
});
