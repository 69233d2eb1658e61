import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { reconcile, registerSource, server } from '../support/reconcile';

let graph: TestGraph;
let api: TestApi;

useTestApi((g, a) => ([graph, api] = [g, a]));

beforeEach(async () => {
  await graph.wipe();
  await registerSource(api, { name: 'nmap', kind: 'DISCOVERY', priority: 50 });
  await registerSource(api, { name: 'vcenter', kind: 'DISCOVERY', priority: 20 });
  await registerSource(api, { name: 'assets', kind: 'IMPORT', priority: 30 });
});

describe('identification', () => {
  it('a native key reused with another serial number is an identity conflict: nothing is overwritten or created', async () => {
    const item = (serialNumber: string, hostname: string) => ({ ref: 'h', class: 'LinuxServer', sourceNativeKey: 'host-17', attributes: { serialNumber, hostname, domain: 'corp.example' } });
    const first = await reconcile(api, { source: 'vcenter', items: [item('SN-OLD', 'esx-17')] });
    expect(first.items[0].operation).toBe('CREATED');
    const reused = await reconcile(api, { source: 'vcenter', items: [item('SN-NEW', 'esx-99'), { ...item('SN-2', 'other'), ref: 'ok', sourceNativeKey: 'host-18' }] });
    expect(reused.items.map((i: any) => [i.ref, i.operation])).toEqual([['h', 'ERROR'], ['ok', 'CREATED']]);
    expect(reused.items[0].errors).toEqual([{ field: 'items[0].attributes.serialNumber', reason: expect.stringMatching(/^identity conflict: sourceNativeKey 'host-17' belongs to CI .+, whose serialNumber is "SN-OLD"; this item says "SN-NEW"/) }]);
    const stored = await graph.client.read("MATCH (c:CI {id: $id}) RETURN c.serialNumber AS s, c.hostname AS h", { id: first.items[0].ciId });
    expect([stored.records[0].get('s'), stored.records[0].get('h')]).toEqual(['SN-OLD', 'esx-17']);
    expect((await graph.snapshot()).nodes).toEqual([['LinuxServer', 'esx-17'], ['LinuxServer', 'other']]);
    // The same key with the same serial still updates as before.
    const again = await reconcile(api, { source: 'vcenter', items: [item('SN-OLD', 'esx-17b')] });
    expect(again.items[0]).toMatchObject({ operation: 'UPDATED', ciId: first.items[0].ciId });
  });

  it('two sources reporting one server with different identifiers give one CI with both sets of values', async () => {
    const first = await reconcile(api, { source: 'nmap', items: [server('a', { hostname: 'web-01', domain: 'corp.example', fqdn: 'web-01.corp.example', osName: 'Linux' })] });
    expect(first.items[0]).toMatchObject({ operation: 'CREATED', class: 'LinuxServer' });
    expect(first.items[0].identification).toEqual([
      { rule: 'serialNumber', status: 'SKIPPED', candidates: [] },
      { rule: 'fqdn', status: 'NO_MATCH', candidates: [] },
      { rule: 'hostname+domain', status: 'NO_MATCH', candidates: [] },
    ]);
    const second = await reconcile(api, { source: 'vcenter', items: [server('b', { hostname: 'WEB01', fqdn: 'web-01.corp.example', serialNumber: 'SN-1', cpuCount: 8 }, 'Server')] });
    expect(second.items[0]).toMatchObject({ operation: 'UPDATED', ciId: first.items[0].ciId });
    expect(second.items[0].identification).toEqual([
      { rule: 'serialNumber', status: 'NO_MATCH', candidates: [] },
      { rule: 'fqdn', status: 'MATCHED', candidates: [first.items[0].ciId] },
    ]);
    // vcenter ranks above nmap, so its hostname wins; the class stays the more specific LinuxServer.
    const ci = await api.ok(`query($id: ID!) { ci(id: $id) { class attributes provenance { field source } } }`, { id: first.items[0].ciId });
    expect(ci.ci.class).toBe('LinuxServer');
    expect(ci.ci.attributes).toEqual({ hostname: 'WEB01', domain: 'corp.example', fqdn: 'web-01.corp.example', osName: 'Linux', serialNumber: 'SN-1', cpuCount: 8 });
    expect(ci.ci.provenance).toEqual([
      { field: 'cpuCount', source: 'vcenter' }, { field: 'domain', source: 'nmap' }, { field: 'fqdn', source: 'vcenter' },
      { field: 'hostname', source: 'vcenter' }, { field: 'osName', source: 'nmap' }, { field: 'serialNumber', source: 'vcenter' },
    ]);
    expect((await graph.snapshot()).nodes).toEqual([['LinuxServer', 'web-01']]);
  });

  it('a record matching two CIs is a MULTI_MATCH error, never merged, and kept as a duplicate record', async () => {
    // Two CIs entered by hand that share hostname and domain (allowed explicitly: createCi would refuse the second).
    const CREATE = `mutation($input: CreateCiInput!) { createCi(input: $input) { id } }`;
    const ids: string[] = [];
    for (const serialNumber of ['S1', 'S2']) {
      ids.push((await api.ok(CREATE, { input: { class: 'LinuxServer', name: 'db', allowDuplicate: true, attributes: { hostname: 'db', domain: 'corp', serialNumber } } })).createCi.id);
    }
    ids.sort();
    const third = await reconcile(api, { source: 'assets', items: [server('z', { hostname: 'db', domain: 'corp', osName: 'Debian' })] });
    expect(third.items[0]).toMatchObject({ operation: 'ERROR', ciId: null });
    expect(third.items[0].identification).toEqual([
      { rule: 'serialNumber', status: 'SKIPPED', candidates: [] },
      { rule: 'fqdn', status: 'SKIPPED', candidates: [] },
      { rule: 'hostname+domain', status: 'MULTI_MATCH', candidates: ids },
    ]);
    expect(third.items[0].errors[0].reason).toContain('matches 2 CIs');
    const dups = await graph.client.read("MATCH (d:DuplicateRecord {status: 'OPEN'}) RETURN d.ref AS ref, d.source AS source, d.candidates AS c");
    expect(dups.records.map((r) => [r.get('ref'), r.get('source'), [...r.get('c')].sort()])).toEqual([['z', 'assets', ids]]);
    expect((await graph.snapshot()).nodes).toHaveLength(2);
    const stored = await graph.client.read("MATCH (c:CI) WHERE c.osName IS NOT NULL RETURN count(c) AS n");
    expect(stored.records[0].get('n')).toBe(0);
  });

  it('the source native key identifies a record first on later runs, even when its identifiers changed', async () => {
    const first = await reconcile(api, { source: 'nmap', items: [{ ...server('a', { hostname: 'old-name', domain: 'corp' }), sourceNativeKey: 'host-42' }] });
    const second = await reconcile(api, { source: 'nmap', items: [{ ...server('a', { hostname: 'new-name', domain: 'corp' }), sourceNativeKey: 'host-42' }] });
    expect(second.items[0]).toMatchObject({ operation: 'UPDATED', ciId: first.items[0].ciId });
    expect(second.items[0].identification).toEqual([{ rule: 'sourceNativeKey', status: 'MATCHED', candidates: [first.items[0].ciId] }]);
    // Another source's native keys are its own.
    const other = await reconcile(api, { source: 'vcenter', items: [{ ...server('a', { hostname: 'zzz', domain: 'other' }), sourceNativeKey: 'host-42' }] });
    expect(other.items[0].operation).toBe('CREATED');
  });

  it('dependent identification: a database instance is its name plus the server it runs on', async () => {
    const payload = (host: string, port: number) => ({
      source: 'nmap',
      items: [
        server('h', { hostname: host, domain: 'corp' }),
        { ref: 'pg', class: 'DatabaseInstance', attributes: { instanceName: 'main', engine: 'postgresql', port } },
      ],
      relationships: [{ from: 'pg', to: 'h', type: 'RUNS_ON' }],
    });
    const a = await reconcile(api, payload('db-a', 5432));
    const b = await reconcile(api, payload('db-b', 5432));
    expect([a.items[1].operation, b.items[1].operation]).toEqual(['CREATED', 'CREATED']);
    const again = await reconcile(api, payload('db-a', 5433));
    expect(again.items[1]).toMatchObject({ operation: 'UPDATED', ciId: a.items[1].ciId });
    expect(again.items[1].identification).toEqual([{ rule: 'instanceName@RUNS_ON', status: 'MATCHED', candidates: [a.items[1].ciId] }]);
    expect(again.relationships[0].operation).toBe('NO_CHANGE');
    expect(await graph.snapshot()).toEqual({
      nodes: [['DatabaseInstance', 'main'], ['DatabaseInstance', 'main'], ['LinuxServer', 'db-a'], ['LinuxServer', 'db-b']],
      edges: [['main', 'RUNS_ON', 'db-a'], ['main', 'RUNS_ON', 'db-b']],
    });
  });

  it('identifies through a lookup record (a network interface by MAC address)', async () => {
    const made = await reconcile(api, {
      source: 'assets',
      items: [server('h', { hostname: 'app-7', domain: 'corp' }), { ref: 'nic', class: 'NetworkInterface', attributes: { macAddress: 'aa:bb:cc:00:00:07' } }],
      relationships: [{ from: 'nic', to: 'h', type: 'ASSIGNED_TO' }],
    });
    const found = await reconcile(api, {
      source: 'nmap',
      items: [{ ref: 'scan', class: 'LinuxServer', attributes: { hostname: 'unknown' }, lookup: [{ class: 'NetworkInterface', attributes: { macAddress: 'aa:bb:cc:00:00:07' } }] }],
    });
    // Found; its hostname is refused because 'assets' ranks above 'nmap'.
    expect(found.items[0]).toMatchObject({ operation: 'NO_CHANGE', ciId: made.items[0].ciId });
    expect(found.items[0].kept).toEqual([{ field: 'hostname', offered: 'unknown', kept: 'app-7', heldBy: 'assets', reason: expect.stringContaining("'assets' ranks above 'nmap'") }]);
    expect(found.items[0].identification.at(-1)).toEqual({ rule: 'lookup:NetworkInterface', status: 'MATCHED', candidates: [made.items[0].ciId] });
  });

  it('two items of one payload describing the same new asset become one CI', async () => {
    const result = await reconcile(api, { source: 'nmap', items: [server('a', { hostname: 'h1', domain: 'd', osName: 'Linux' }), server('b', { hostname: 'h1', domain: 'd', cpuCount: 2 })] });
    expect(result.items.map((i: any) => i.operation)).toEqual(['CREATED', 'UPDATED']);
    expect(result.items[1].ciId).toBe(result.items[0].ciId);
    expect((await graph.snapshot()).nodes).toEqual([['LinuxServer', 'h1']]);
  });
});
