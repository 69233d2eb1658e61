import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { reconcile, registerSource, server } from '../support/reconcile';

let graph: TestGraph;
let api: TestApi;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

useTestApi((g, a) => ([graph, api] = [g, a]), { wipeEach: true });

const PROVENANCE = `query($id: ID!) { ci(id: $id) { attributes provenance { field source firstSetAt lastConfirmedAt } } }`;

describe('per-attribute precedence', () => {
  it('the higher-ranked source keeps its value, loses it once stale, and provenance says so', async () => {
    // 0.0005 h = 1.8 s: the asset register's values go stale quickly in this test.
    await registerSource(api, { name: 'assets', kind: 'IMPORT', priority: 10, stalenessHours: 0.0005 });
    await registerSource(api, { name: 'nmap', kind: 'DISCOVERY', priority: 50 });
    const item = (osVersion: string) => server('s', { serialNumber: 'SN-9', hostname: 'app-9', osVersion });

    const set = await reconcile(api, { source: 'assets', items: [item('12')] });
    const id = set.items[0].ciId;
    const refused = await reconcile(api, { source: 'nmap', items: [item('13')] });
    expect(refused.items[0].operation).toBe('NO_CHANGE');
    expect(refused.items[0].kept).toEqual([{ field: 'osVersion', offered: '13', kept: '12', heldBy: 'assets', reason: expect.stringContaining("'assets' ranks above 'nmap'") }]);
    let ci = (await api.ok(PROVENANCE, { id })).ci;
    expect(ci.attributes.osVersion).toBe('12');
    expect(ci.provenance.find((p: any) => p.field === 'osVersion').source).toBe('assets');

    await sleep(2000);
    const won = await reconcile(api, { source: 'nmap', items: [item('13')] });
    expect(won.items[0].operation).toBe('UPDATED');
    expect(won.items[0].changes).toEqual([{ field: 'osVersion', oldValue: '12', newValue: '13', reason: expect.stringContaining("'assets' ranks higher but its value is stale") }]);
    ci = (await api.ok(PROVENANCE, { id })).ci;
    expect(ci.attributes.osVersion).toBe('13');
    const prov = ci.provenance.find((p: any) => p.field === 'osVersion');
    expect(prov.source).toBe('nmap');
    expect(prov.firstSetAt).toBe(prov.lastConfirmedAt);
    // Values nmap only confirmed (same value) moved to nmap too, since assets' confirmation is stale.
    expect(ci.provenance.find((p: any) => p.field === 'serialNumber').source).toBe('nmap');

    // The stronger source reports again: it takes its attribute back at once.
    const back = await reconcile(api, { source: 'assets', items: [item('12')] });
    expect(back.items[0].changes.map((c: any) => [c.field, c.newValue])).toEqual([['osVersion', '12']]);
  });

  it('a precedence rule per class and attribute overrides source priority, and is inherited by subclasses', async () => {
    await registerSource(api, { name: 'cloud', kind: 'DISCOVERY', priority: 80 });
    await registerSource(api, { name: 'cmdbuild', kind: 'IMPORT', priority: 5 });
    // For Computers (so VirtualMachines too), the cloud API is the authority on memory.
    await api.ok(`mutation { setPrecedenceRule(input: { class: "Computer", attribute: "memoryGb", sources: ["cloud", "cmdbuild"] }) { class } }`);
    const vm = (memoryGb: number, cpuCount: number) => ({ ref: 'v', class: 'VirtualMachine', attributes: { cloudInstanceId: 'i-1', hostname: 'vm1', memoryGb, cpuCount } });
    await reconcile(api, { source: 'cloud', items: [vm(16, 4)] });
    const result = await reconcile(api, { source: 'cmdbuild', items: [vm(8, 2)] });
    expect(result.items[0].changes.map((c: any) => [c.field, c.newValue])).toEqual([['cpuCount', 2]]);
    expect(result.items[0].kept.map((k: any) => [k.field, k.heldBy])).toEqual([['memoryGb', 'cloud']]);

    const bad = await api.run(`mutation { setPrecedenceRule(input: { class: "Computer", attribute: "memoryGB", sources: ["cloud", "nobody"] }) { class } }`);
    expect(bad.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect((bad.errors![0].extensions!.errors as any[]).map((e) => e.field).sort()).toEqual(['attribute', 'sources']);
  });

  it('manual edits win over discovery by default and are the provenance', async () => {
    await registerSource(api, { name: 'nmap', kind: 'DISCOVERY', priority: 50 });
    const made = await reconcile(api, { source: 'nmap', items: [server('s', { hostname: 'h', domain: 'd', osName: 'Linux' })] });
    const id = made.items[0].ciId;
    await api.ok(`mutation($id: ID!) { updateCi(id: $id, input: { attributes: { osName: "Linux (hand-fixed)" } }) { id } }`, { id });
    const again = await reconcile(api, { source: 'nmap', items: [server('s', { hostname: 'h', domain: 'd', osName: 'Linux' })] });
    expect(again.items[0].kept.map((k: any) => [k.field, k.heldBy])).toEqual([['osName', 'manual']]);
    expect((await api.ok(PROVENANCE, { id })).ci.attributes.osName).toBe('Linux (hand-fixed)');
  });
});

describe('arrival order', () => {
  it('gives the same values and provenance whichever source reports first', async () => {
    await registerSource(api, { name: 'strong', kind: 'IMPORT', priority: 10 });
    await registerSource(api, { name: 'weak', kind: 'DISCOVERY', priority: 60 });
    const strong = (serial: string) => server(serial, { serialNumber: serial, hostname: 'from-strong', osName: 'RHEL', cpuCount: 8 });
    const weak = (serial: string) => server(serial, { serialNumber: serial, hostname: 'from-weak', osVersion: '9.4', cpuCount: 4 });
    await reconcile(api, { source: 'strong', items: [strong('A')] });
    await reconcile(api, { source: 'weak', items: [weak('A')] });
    await reconcile(api, { source: 'weak', items: [weak('B')] });
    await reconcile(api, { source: 'strong', items: [strong('B')] });
    const rows = await graph.client.read('MATCH (c:CI) RETURN c.serialNumber AS s, c.id AS id ORDER BY s');
    const [a, b] = await Promise.all(rows.records.map(async (r) => (await api.ok(PROVENANCE, { id: r.get('id') })).ci));
    expect(a.attributes).toEqual({ serialNumber: 'A', hostname: 'from-strong', osName: 'RHEL', osVersion: '9.4', cpuCount: 8 });
    expect({ ...b.attributes, serialNumber: 'A' }).toEqual(a.attributes);
    const sources = (ci: any) => ci.provenance.map((p: any) => [p.field, p.source]);
    expect(sources(b)).toEqual(sources(a));
  });
});

describe('dry run', () => {
  it('returns the full explanation and writes nothing', async () => {
    await registerSource(api, { name: 'nmap', kind: 'DISCOVERY', priority: 50 });
    await reconcile(api, { source: 'nmap', items: [server('old', { hostname: 'h0', domain: 'd', osName: 'Linux' })] });
    const count = async () => {
      const r = await graph.client.read('MATCH (n) WITH count(n) AS nodes CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } RETURN nodes, rels');
      return [r.records[0].get('nodes'), r.records[0].get('rels')];
    };
    const before = await count();
    const result = await reconcile(api, {
      source: 'nmap',
      dryRun: true,
      items: [server('old', { hostname: 'h0', domain: 'd', osName: 'Debian' }), server('new', { hostname: 'h1', domain: 'd' }), { ref: 'app', class: 'Application', name: 'shop' }],
      relationships: [{ from: 'app', to: 'old', type: 'RUNS_ON' }, { from: 'app', to: 'new', type: 'RUNS_ON' }],
    });
    expect(result.dryRun).toBe(true);
    expect(result.items.map((i: any) => [i.ref, i.operation])).toEqual([['old', 'UPDATED'], ['new', 'CREATED'], ['app', 'CREATED']]);
    expect(result.items[0].changes).toEqual([{ field: 'osName', oldValue: 'Linux', newValue: 'Debian', reason: "same source 'nmap'" }]);
    expect(result.items[1].ciId).toBeNull();
    expect(result.relationships.map((r: any) => r.operation)).toEqual(['CREATED', 'CREATED']);
    expect(result.totals).toMatchObject({ items: 3, created: 2, updated: 1, relationshipsCreated: 2 });
    expect(await count()).toEqual(before);
    expect((await graph.snapshot()).nodes).toEqual([['LinuxServer', 'h0']]);
  });
});
