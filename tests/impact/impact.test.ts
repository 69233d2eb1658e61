import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { buildEstate, IMPACT } from './impact-fixture';

let graph: TestGraph;
let api: TestApi;
let ids: Record<string, string>;

useTestApi((g, a) => ([graph, api] = [g, a]));

beforeAll(async () => {
  ids = await buildEstate(api);
});

const impact = async (failed: string[], extra: Record<string, unknown> = {}) =>
  (await api.ok(IMPACT, { input: { ciIds: failed.map((f) => ids[f]), ...extra } })).impact;
const severities = (r: any) => Object.fromEntries(r.affected.map((a: any) => [a.ci.name, a.severity]));

describe('impact', () => {
  it('follows each relationship type in its failure direction, with depth and the explaining path', async () => {
    const r = await impact(['srv']);
    expect(severities(r)).toEqual({ dbi: 'DOWN', db: 'DOWN', web: 'DOWN', Shop: 'DOWN' });
    expect(r.affected.map((a: any) => [a.ci.name, a.depth])).toEqual([['dbi', 1], ['db', 2], ['web', 3], ['Shop', 4]]);
    const shop = r.affected.find((a: any) => a.ci.name === 'Shop');
    expect(shop.paths).toEqual([[
      { from: { name: 'srv' }, type: 'RUNS_ON', forward: false, to: { name: 'dbi' } },
      { from: { name: 'dbi' }, type: 'HOSTED_ON', forward: false, to: { name: 'db' } },
      { from: { name: 'db' }, type: 'DEPENDS_ON', forward: false, to: { name: 'web' } },
      { from: { name: 'web' }, type: 'DEPENDS_ON', forward: false, to: { name: 'Shop' } },
    ]]);
    expect(r.services).toEqual([{ ci: { name: 'Shop', criticality: 'CRITICAL' }, severity: 'DOWN' }]);
    expect(r.countsByClass).toEqual([
      { class: 'Application', count: 1, down: 1, degraded: 0 }, { class: 'BusinessService', count: 1, down: 1, degraded: 0 },
      { class: 'Database', count: 1, down: 1, degraded: 0 }, { class: 'DatabaseInstance', count: 1, down: 1, degraded: 0 },
    ]);
    expect(r.notify).toEqual([
      { contact: 'Web Ops', role: 'supportGroup', cis: 2, services: ['Shop'] },
      { contact: 'Shop Team', role: 'owner', cis: 1, services: ['Shop'] },
      { contact: 'DBA', role: 'supportGroup', cis: 2, services: [] },
      { contact: 'Unix', role: 'supportGroup', cis: 1, services: [] },
    ]);
    expect(r.truncated).toBe(false);
  });

  it('says truncated when the depth or the limit cut the answer, and only then', async () => {
    const name = (r: any) => r.affected.map((a: any) => a.ci.name);
    // srv -> dbi -> db -> web -> Shop: at depth 3 Shop lies one step beyond the answer.
    const cut = await impact(['srv'], { maxDepth: 3 });
    expect([name(cut), cut.truncated]).toEqual([['dbi', 'db', 'web'], true]);
    // At depth 4 the last level is Shop, which nothing depends on: nothing lies beyond.
    const whole = await impact(['srv'], { maxDepth: 4 });
    expect([name(whole), whole.truncated]).toEqual([['dbi', 'db', 'web', 'Shop'], false]);
    const limited = await impact(['srv'], { limit: 2 });
    expect([name(limited), limited.truncated]).toEqual([['dbi', 'db'], true]);
  });

  it('containment propagates from container to contents; ownership does not propagate', async () => {
    expect(Object.keys(severities(await impact(['rack'])))).toEqual(['hv1', 'vm1', 'vm2', 'i1', 'i2', 'lb', 'web', 'Shop']);
    expect((await impact(['shop-team'])).affected).toEqual([]);
  });

  it('upstream lists what a CI depends on, without severity', async () => {
    const r = await impact(['Shop'], { direction: 'UPSTREAM' });
    expect(r.affected.map((a: any) => [a.ci.name, a.depth, a.severity])).toEqual([
      ['web', 1, null],
      ['db', 2, null], ['lb', 2, null], ['sso', 2, null],
      ['dbi', 3, null], ['i1', 3, null], ['i2', 3, null], ['i3', 3, null], ['i4', 3, null], ['ldap', 3, null],
      ['srv', 4, null], ['vm1', 4, null], ['vm2', 4, null], ['vm3', 4, null], ['vm4', 4, null],
      ['hv1', 5, null], ['hv2', 5, null],
      ['rack', 6, null],
    ]);
  });

  it('a pool of 4 with quorum 2: one member down degrades, three down takes it down, and severity propagates', async () => {
    expect(severities(await impact(['vm1']))).toEqual({ i1: 'DOWN', lb: 'DEGRADED', web: 'DEGRADED', Shop: 'DEGRADED' });
    // Two members (through their hypervisor): quorum still holds.
    expect(severities(await impact(['hv1']))).toMatchObject({ i1: 'DOWN', i2: 'DOWN', lb: 'DEGRADED', web: 'DEGRADED', Shop: 'DEGRADED' });
    // Several failures combine: hv1 plus vm3 leaves one member, below quorum.
    const three = severities(await impact(['hv1', 'vm3']));
    expect(three).toMatchObject({ i1: 'DOWN', i2: 'DOWN', i3: 'DOWN', lb: 'DOWN', web: 'DOWN', Shop: 'DOWN' });
    expect(three.i4).toBeUndefined();
  });

  it('a cycle does not loop', async () => {
    const r = await impact(['ldap']);
    expect(r.affected.map((a: any) => [a.ci.name, a.severity, a.depth])).toEqual([['sso', 'DOWN', 1], ['web', 'DOWN', 2], ['Shop', 'DOWN', 3]]);
  });

  it('honours maxDepth, limit, type and class filters, and says when the result was cut', async () => {
    const shallow = await impact(['srv'], { maxDepth: 2 });
    expect(shallow.affected.map((a: any) => a.ci.name)).toEqual(['dbi', 'db']);
    expect(shallow.truncated).toBe(true);
    const limited = await impact(['srv'], { limit: 1 });
    expect(limited.affected.map((a: any) => a.ci.name)).toEqual(['dbi']);
    expect(limited.truncated).toBe(true);
    expect((await impact(['srv'], { maxDepth: 4 })).truncated).toBe(false);
    expect(severities(await impact(['srv'], { relationshipTypes: ['RUNS_ON', 'HOSTED_ON'] }))).toEqual({ dbi: 'DOWN', db: 'DOWN' });
    expect(severities(await impact(['srv'], { classes: ['Service'] }))).toEqual({ Shop: 'DOWN' });
  });

  it('rejects bad input with the field and reason', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ciIds: ['nope'] }, 'NOT_FOUND', 'ciIds'],
      [{ ciIds: [ids.srv], maxDepth: 11 }, 'BAD_USER_INPUT', 'maxDepth'],
      [{ ciIds: [ids.srv], relationshipTypes: ['RUN_ON'] }, 'BAD_USER_INPUT', 'relationshipTypes'],
      [{ ciIds: [ids.srv], classes: ['Servr'] }, 'BAD_USER_INPUT', 'classes'],
      [{ ciIds: [] }, 'BAD_USER_INPUT', 'input.ciRefs'],
    ];
    for (const [input, code, field] of cases) {
      const result = await api.run(IMPACT, { input });
      expect(result.errors![0].extensions).toMatchObject({ code, field });
    }
  });
});

describe('answers built on impact', () => {
  it('single points of failure of a service, given the redundancy rules', async () => {
    const r = await api.ok(`query($id: ID!) { singlePointsOfFailure(serviceId: $id) { ci { name } severity depth } }`, { id: ids.Shop });
    expect(r.singlePointsOfFailure.map((s: any) => s.ci.name).sort()).toEqual(['db', 'dbi', 'ldap', 'lb', 'srv', 'sso', 'web'].sort());
    // Without the quorum, every member becomes a single point of failure.
    await api.ok(`mutation($id: ID!) { setRedundancy(ciId: $id, type: "MEMBER_OF", quorum: null) { type } }`, { id: ids.lb });
    const strict = await api.ok(`query($id: ID!) { singlePointsOfFailure(serviceId: $id) { ci { name } } }`, { id: ids.Shop });
    expect(strict.singlePointsOfFailure.map((s: any) => s.ci.name).sort()).toEqual(
      ['db', 'dbi', 'hv1', 'hv2', 'i1', 'i2', 'i3', 'i4', 'ldap', 'lb', 'rack', 'srv', 'sso', 'vm1', 'vm2', 'vm3', 'vm4', 'web'].sort());
    await api.ok(`mutation($id: ID!) { setRedundancy(ciId: $id, type: "MEMBER_OF", quorum: 2) { type } }`, { id: ids.lb });
  });

  it('root-cause candidates rank the common upstream cause of observed failures first', async () => {
    const r = await api.ok(`query($ids: [ID!]!) { rootCauseCandidates(ciIds: $ids, limit: 4) { candidate { ci { name } depth } explainedCount explains { name } } }`,
      { ids: [ids.i1, ids.i2, ids.lb] });
    expect(r.rootCauseCandidates.map((c: any) => [c.candidate.ci.name, c.explainedCount])).toEqual([['hv1', 3], ['rack', 3], ['i1', 2], ['i2', 2]]);
    expect(r.rootCauseCandidates[0].explains.map((e: any) => e.name).sort()).toEqual(['i1', 'i2', 'lb']);
  });

  it('change impact gives the affected services with severity, owners and a risk level', async () => {
    const q = `query($ids: [ID!]!) { changeImpact(ciIds: $ids) { risk services { ci { name criticality owner } severity } notify { contact } } }`;
    const maintenance = (await api.ok(q, { ids: [ids.hv1] })).changeImpact;
    expect(maintenance.risk).toBe('MEDIUM');
    expect(maintenance.services).toEqual([{ ci: { name: 'Shop', criticality: 'CRITICAL', owner: 'Shop Team' }, severity: 'DEGRADED' }]);
    const outage = (await api.ok(q, { ids: [ids.srv] })).changeImpact;
    expect(outage.risk).toBe('HIGH');
    expect((await api.ok(q, { ids: [ids['shop-team']] })).changeImpact.risk).toBe('NONE');
  });

  it('pages affected CIs worst first, then nearest, with the same answers as the full list', async () => {
    const full = (await api.ok(IMPACT, { input: { ciIds: [ids.hv1] } })).impact.affected.map((a: any) => ({ ci: { name: a.ci.name }, severity: a.severity, depth: a.depth }));
    const q = `query($id: ID!, $after: String) { impact(input: { ciIds: [$id] }) { affectedConnection(first: 2, after: $after) {
      totalCount edges { node { ci { name } severity depth } } pageInfo { hasNextPage endCursor } } } }`;
    const paged: any[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await api.ok(q, { id: ids.hv1, after })).impact.affectedConnection;
      expect(page.totalCount).toBe(full.length);
      paged.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const rank = (s: string) => (s === 'DOWN' ? 0 : 1);
    expect(paged).toEqual([...full].sort((a, b) => rank(a.severity) - rank(b.severity) || a.depth - b.depth || a.ci.name.localeCompare(b.ci.name)));
    expect(paged[0].severity).toBe('DOWN');
    expect(paged[paged.length - 1].severity).toBe('DEGRADED');
    expect((await api.run(q.replace('first: 2', 'first: 2000'), { id: ids.hv1 })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('change impact follows the change as far as impact allows unless maxDepth says otherwise', async () => {
    // srv -> dbi -> db -> web -> Shop: four steps to the service.
    const q = `query($ids: [ID!]!, $d: Int) { changeImpact(ciIds: $ids, maxDepth: $d) { risk truncated services { ci { name } } } }`;
    expect((await api.ok(q, { ids: [ids.srv] })).changeImpact).toEqual({ risk: 'HIGH', truncated: false, services: [{ ci: { name: 'Shop' } }] });
    expect((await api.ok(q, { ids: [ids.srv], d: 3 })).changeImpact).toEqual({ risk: 'NONE', truncated: true, services: [] });
    expect((await api.run(q, { ids: [ids.srv], d: 11 })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maxDepth' });
  });
});
