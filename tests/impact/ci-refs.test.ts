/**
 * CIs named the way an incident names them: by exact name (with class), or by identifiers through the model's
 * identification rules. Answers by reference equal the answers by id; an ambiguous reference lists its candidates.
 */
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { buildEstate, IMPACT } from './impact-fixture';

let api: TestApi;
let ids: Record<string, string>;
useTestApi((_g, a) => (api = a), { wipeEach: false });

beforeAll(async () => {
  ids = await buildEstate(api);
  // A second CI named "web" in another class, and two servers sharing a hostname in different domains.
  await api.ok('mutation { createCi(input: { class: "TechnicalService", name: "web" }) { id } }');
  await api.ok('mutation { createCi(input: { class: "LinuxServer", name: "app-01.a", attributes: { hostname: "app-01", domain: "a.test", serialNumber: "SN-A" } }) { id } }');
  await api.ok('mutation { createCi(input: { class: "LinuxServer", name: "app-01.b", attributes: { hostname: "app-01", domain: "b.test" } }) { id } }');
  await api.ok('mutation { createCi(input: { class: "IpAddress", name: "10.0.0.5", attributes: { address: "10.0.0.5" } }) { id } }');
  await api.ok('mutation($id: ID!) { updateCi(id: $id, input: { attributes: { serialNumber: "HV1-SN" } }) { id } }', { id: ids.hv1 });
});

it('impact, changeImpact and neighborhood by name and by identifiers give the answers they give by id', async () => {
  const byId = await api.ok(IMPACT, { input: { ciIds: [ids.hv1] } });
  const byName = await api.ok(IMPACT, { input: { ciRefs: [{ name: 'hv1', class: 'Hypervisor' }] } });
  const byIdentifiers = await api.ok(IMPACT, { input: { ciRefs: [{ class: 'Hypervisor', identifiers: { serialNumber: 'HV1-SN' } }] } });
  expect(byId.impact.affected.length).toBeGreaterThan(0);
  expect(byName).toEqual(byId);
  expect(byIdentifiers).toEqual(byId);

  const change = 'query($ids: [ID!], $refs: [CiRef!]) { changeImpact(ciIds: $ids, ciRefs: $refs) { risk services { ci { name } severity } } }';
  expect(await api.ok(change, { refs: [{ name: 'srv' }] })).toEqual(await api.ok(change, { ids: [ids.srv] }));

  const hood = 'query($id: ID, $ci: CiRef) { neighborhood(ciId: $id, ci: $ci, depth: 1) { center { name } nodes { ci { name } depth } edges { type } } }';
  expect(await api.ok(hood, { ci: { name: 'db', class: 'Database' } })).toEqual(await api.ok(hood, { id: ids.db }));
  const paths = 'query($f: CiRef, $t: CiRef) { paths(from: $f, to: $t) { length } }';
  expect((await api.ok(paths, { f: { name: 'Shop' }, t: { name: 'srv' } })).paths[0].length).toBe(4);
  const spof = await api.ok('{ singlePointsOfFailure(service: { name: "Shop" }) { ci { name } } }');
  expect(spof).toEqual(await api.ok('query($id: ID) { singlePointsOfFailure(serviceId: $id) { ci { name } } }', { id: ids.Shop }));
});

it('an ambiguous name or identifier lists the candidates and guesses nothing', async () => {
  const name = await api.run(IMPACT, { input: { ciRefs: [{ name: 'web' }] } });
  expect(name.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.ciRefs[0].name' });
  expect((name.errors![0].extensions!.candidates as any[]).map((c) => c.class).sort()).toEqual(['Application', 'TechnicalService']);
  expect(name.errors![0].message).toMatch(/2 CIs fit the CI named 'web'.*add class/);
  // With the class it is one.
  expect((await api.ok(IMPACT, { input: { ciRefs: [{ name: 'web', class: 'Application' }] } })).impact.failed).toEqual([{ name: 'web' }]);

  const host = await api.run(IMPACT, { input: { ciRefs: [{ class: 'LinuxServer', identifiers: { hostname: 'app-01' } }] } });
  // hostname alone is not a rule of LinuxServer: it says which rules there are.
  expect(host.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.ciRefs[0].identifiers' });
  expect(host.errors![0].message).toContain('its rules: [serialNumber] | [fqdn] | [hostname, domain]');
  const exact = await api.ok(IMPACT, { input: { ciRefs: [{ class: 'LinuxServer', identifiers: { hostname: 'app-01', domain: 'b.test' } }] } });
  expect(exact.impact.failed).toEqual([{ name: 'app-01.b' }]);
  // Without class, any class's rule: an IP address, a serial number.
  const byIp = await api.ok(IMPACT, { input: { ciRefs: [{ identifiers: { address: '10.0.0.5' } }, { identifiers: { serialNumber: 'SN-A' } }] } });
  expect(byIp.impact.failed.map((f: any) => f.name).sort()).toEqual(['10.0.0.5', 'app-01.a']);
});

it('refuses references that are unknown, malformed or name nothing, naming the field', async () => {
  const cases: [unknown, string, string][] = [
    [{ name: 'no-such-ci' }, 'NOT_FOUND', 'input.ciRefs[0].name'],
    [{ id: '00000000-0000-0000-0000-000000000000' }, 'NOT_FOUND', 'input.ciRefs[0].id'],
    [{ name: 'web', identifiers: { hostname: 'x' } }, 'BAD_USER_INPUT', 'input.ciRefs[0]'],
    [{ name: 'web', class: 'Aplication' }, 'BAD_USER_INPUT', 'input.ciRefs[0].class'],
    [{ identifiers: { hostnam: 'x', domain: 'y' } }, 'BAD_USER_INPUT', 'input.ciRefs[0].identifiers.hostnam'],
    [{ identifiers: { serialNumber: 'NONE' } }, 'NOT_FOUND', 'input.ciRefs[0].identifiers'],
    [{ identifiers: {} }, 'BAD_USER_INPUT', 'input.ciRefs[0].identifiers'],
  ];
  for (const [ref, code, field] of cases) {
    const result = await api.run(IMPACT, { input: { ciRefs: [ref] } });
    expect([ref, result.errors?.[0].extensions]).toEqual([ref, expect.objectContaining({ code, field })]);
  }
  const none = await api.run(IMPACT, { input: {} });
  expect(none.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.ciRefs' });
});

it('cis filters by exact name and by a list of ids', async () => {
  const q = 'query($f: CiFilter) { cis(first: 50, filter: $f) { totalCount edges { node { name class } } } }';
  expect((await api.ok(q, { f: { name: 'web' } })).cis.edges.map((e: any) => e.node.class).sort()).toEqual(['Application', 'TechnicalService']);
  expect((await api.ok(q, { f: { name: 'we' } })).cis.totalCount).toBe(0);
  const listed = await api.ok(q, { f: { ids: [ids.db, ids.srv, ids.db] } });
  expect(listed.cis.edges.map((e: any) => e.node.name)).toEqual(['db', 'srv']);
});
