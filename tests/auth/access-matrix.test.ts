import { TestGraph } from '../support/graph';
import { HttpApp, useHttpApp } from '../support/http-app';

/**
 * Every root query and mutation, called by every role and by refused credentials. The expected rights are the
 * README's role table, written out here independently of src/auth: a field moved to another permission fails.
 * A refusal must be FORBIDDEN or UNAUTHENTICATED and leave the graph exactly as it was.
 */
let graph: TestGraph;
let http: HttpApp;
const ids: Record<string, string> = {};

const READS = ['ciClasses', 'relationshipTypes', 'ci', 'cis', 'cmdbHealth', 'dataSources', 'precedenceRules', 'syncRun', 'syncRuns', 'impact',
  'singlePointsOfFailure', 'rootCauseCandidates', 'changeImpact', 'neighborhood', 'paths', 'whoami', 'changes', 'unboundEvents', 'serviceHealth'];
const EDITS = ['createCi', 'deleteCi', 'relate', 'unrelate', 'setRedundancy', 'setPrecedenceRule', 'mergeCis', 'dismissDuplicate'];
const RECONCILE = ['reconcile', 'startSyncRun', 'finishSyncRun'];
const ADMIN = ['registerSource', 'apiTokens', 'createApiToken', 'revokeApiToken', 'deleteSource'];
const ITSM = ['updateCi', 'linkTicket', 'updateTicket', 'unlinkTicket'];
const EVENTS = ['ingestEvents'];
const ALLOWED: Record<string, string[]> = {
  viewer: READS,
  itsm: [...READS, ...ITSM, ...EVENTS],
  discovery: [...READS, ...RECONCILE, ...EVENTS],
  editor: [...READS, ...ITSM, ...EVENTS, ...EDITS],
  admin: [...READS, ...ITSM, ...EVENTS, ...EDITS, ...RECONCILE, ...ADMIN],
};

/** One call per root field; variables are built when the call is made (ids of the fixture, a fresh run). */
const OPS: Record<string, () => Promise<[string, Record<string, unknown>]> | [string, Record<string, unknown>]> = {
  ciClasses: () => ['{ ciClasses(name: "Server") { name } }', {}],
  relationshipTypes: () => ['{ relationshipTypes { name } }', {}],
  ci: () => ['query($id: ID!) { ci(id: $id) { name } }', { id: ids.app }],
  cis: () => ['{ cis(first: 5) { totalCount } }', {}],
  cmdbHealth: () => ['{ cmdbHealth { summary { totalCis } } }', {}],
  dataSources: () => ['{ dataSources { name } }', {}],
  precedenceRules: () => ['{ precedenceRules { class } }', {}],
  syncRun: () => ['query($id: ID!) { syncRun(id: $id) { status } }', { id: ids.run }],
  syncRuns: () => ['{ syncRuns(first: 3) { id } }', {}],
  impact: () => ['query($id: ID!) { impact(input: { ciIds: [$id], direction: DOWNSTREAM }) { truncated } }', { id: ids.srv }],
  singlePointsOfFailure: () => ['query($id: ID!) { singlePointsOfFailure(serviceId: $id) { depth } }', { id: ids.app }],
  rootCauseCandidates: () => ['query($id: ID!) { rootCauseCandidates(ciIds: [$id]) { explainedCount } }', { id: ids.app }],
  changeImpact: () => ['query($id: ID!) { changeImpact(ciIds: [$id]) { risk } }', { id: ids.srv }],
  neighborhood: () => ['query($id: ID!) { neighborhood(ciId: $id) { truncated } }', { id: ids.app }],
  paths: () => ['query($a: ID!, $b: ID!) { paths(fromId: $a, toId: $b) { length } }', { a: ids.app, b: ids.srv }],
  whoami: () => ['{ whoami { name role } }', {}],
  changes: () => ['query($id: ID!) { changes(ciIds: [$id]) { edges { node { kind } } } }', { id: ids.app }],
  apiTokens: () => ['{ apiTokens { name } }', {}],
  createCi: () => ['mutation { createCi(input: { class: "Application", name: "matrix-new", attributes: {} }) { id } }', {}],
  updateCi: () => ['mutation($id: ID!) { updateCi(id: $id, input: { lifecycleStatus: IN_MAINTENANCE }) { lifecycleStatus } }', { id: ids.app }],
  deleteCi: () => ['mutation($id: ID!) { deleteCi(id: $id) { deletedRelationships } }', { id: ids.spare }],
  relate: () => ['mutation($a: ID!, $b: ID!) { relate(input: { from: $a, to: $b, type: "DEPENDS_ON" }) { created } }', { a: ids.app, b: ids.spare }],
  unrelate: () => ['mutation($a: ID!, $b: ID!) { unrelate(input: { from: $a, to: $b, type: "RUNS_ON" }) }', { a: ids.app, b: ids.srv }],
  setRedundancy: () => ['mutation($id: ID!) { setRedundancy(ciId: $id, type: "RUNS_ON", quorum: 1) { quorum } }', { id: ids.app }],
  setPrecedenceRule: () => ['mutation { setPrecedenceRule(input: { class: "Server", attribute: "memoryGb", sources: ["matrix-src"] }) { class } }', {}],
  reconcile: () => ['mutation { reconcile(input: { source: "matrix-src", items: [{ ref: "x", class: "LinuxServer", attributes: { serialNumber: "MX-1", hostname: "mx1", domain: "matrix.test" } }] }) { totals { created } } }', {}],
  startSyncRun: () => ['mutation { startSyncRun(source: "matrix-src", scope: "lab", mode: DELTA) { id } }', {}],
  finishSyncRun: async () => ['mutation($id: ID!) { finishSyncRun(runId: $id, status: ABORTED) { status } }', { id: await freshRun() }],
  deleteSource: () => ['mutation { deleteSource(name: "matrix-no-such-src") { cisDeleted } }', {}],
  registerSource: () => ['mutation { registerSource(input: { name: "matrix-new-src", kind: IMPORT }) { name } }', {}],
  createApiToken: () => [`mutation { createApiToken(input: { name: "matrix-made-${Math.random().toString(36).slice(2)}", role: "viewer" }) { token } }`, {}],
  mergeCis: async () => ['mutation($a: ID!, $b: ID!) { mergeCis(survivorId: $a, duplicateId: $b) { relationshipsMoved } }', { a: await spareCi(), b: await spareCi() }],
  dismissDuplicate: () => ['mutation { dismissDuplicate(id: "00000000-0000-0000-0000-000000000000") { status } }', {}],
  unboundEvents: () => ['{ unboundEvents(first: 5) { fingerprint } }', {}],
  serviceHealth: () => ['{ serviceHealth { health } }', {}],
  ingestEvents: () => [`mutation($id: ID!) { ingestEvents(source: "matrix-src", events: [{ key: "ev-${Math.random().toString(36).slice(2)}", ciId: $id, severity: "warning" }]) { received } }`, { id: ids.app }],
  linkTicket: () => [`mutation($id: ID!) { linkTicket(ciId: $id, input: { system: "matrix-itsm", key: "INC-${Math.random().toString(36).slice(2)}", kind: INCIDENT, status: NEW }) { key } }`, { id: ids.app }],
  updateTicket: () => ['mutation { updateTicket(input: { system: "matrix-itsm", key: "INC-FIXED", status: IN_PROGRESS }) { status } }', {}],
  unlinkTicket: async () => {
    const key = `INC-U-${Math.random().toString(36).slice(2)}`;
    await http.ok(`mutation($id: ID!) { linkTicket(ciId: $id, input: { system: "matrix-itsm", key: "${key}", kind: INCIDENT, status: NEW }) { key } }`, { id: ids.app });
    return [`mutation { unlinkTicket(ticket: { system: "matrix-itsm", key: "${key}" }) { deleted } }`, {}];
  },
  revokeApiToken: async () => ['mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }', { id: await spareTokenId() }],
};

async function freshRun(): Promise<string> {
  const { body } = await http.post('mutation { startSyncRun(source: "matrix-src", scope: "lab", mode: DELTA) { id } }');
  return body.data.startSyncRun.id;
}

async function spareCi(): Promise<string> {
  const { body } = await http.post('mutation($n: String!) { createCi(input: { class: "Application", name: $n }) { id } }', { n: `matrix-merge-${Math.random().toString(36).slice(2)}` });
  return body.data.createCi.id;
}

async function spareTokenId(): Promise<string> {
  const { record } = await http.app.tokens.create({ name: `matrix-spare-${Math.random().toString(36).slice(2)}`, role: 'viewer' }, 'system');
  return record.id;
}

/** Everything stored, except the throttled lastUsedAt that any authenticated call may bump. */
async function fingerprint(): Promise<string> {
  const nodes = await graph.client.read('MATCH (n) RETURN labels(n) AS l, properties(n) AS p');
  const rels = await graph.client.read('MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p');
  const rows = [
    ...nodes.records.map((r) => JSON.stringify([r.get('l'), { ...r.get('p'), lastUsedAt: undefined }])),
    ...rels.records.map((r) => JSON.stringify([r.get('a'), r.get('t'), r.get('b'), r.get('p')])),
  ];
  return rows.sort().join('\n');
}

useHttpApp((g, h) => ([graph, http] = [g, h]));

beforeAll(async () => {
  const create = async (cls: string, name: string, attributes: Record<string, unknown>) =>
    (await http.post('mutation($i: CreateCiInput!) { createCi(input: $i) { id } }', { i: { class: cls, name, attributes } })).body.data.createCi.id as string;
  ids.app = await create('Application', 'matrix-app', {});
  ids.srv = await create('LinuxServer', 'matrix-srv', { hostname: 'matrix-srv', domain: 'matrix.test', serialNumber: 'MX-0' });
  ids.spare = await create('Application', 'matrix-spare', {});
  await http.post('mutation($a: ID!, $b: ID!) { relate(input: { from: $a, to: $b, type: "RUNS_ON" }) { created } }', { a: ids.app, b: ids.srv });
  await http.post('mutation { registerSource(input: { name: "matrix-src", kind: DISCOVERY }) { name } }');
  await http.post('mutation { registerSource(input: { name: "other-src", kind: DISCOVERY }) { name } }');
  ids.run = await freshRun();
  await http.ok('mutation($id: ID!) { linkTicket(ciId: $id, input: { system: "matrix-itsm", key: "INC-FIXED", kind: INCIDENT, status: NEW }) { key } }', { id: ids.app });
}, 60_000);

const codeOf = (body: any): string | null => body.errors?.[0]?.extensions?.code ?? null;

it('has a matrix entry for every root field of the schema', async () => {
  const { body } = await http.post('{ __schema { queryType { fields { name } } mutationType { fields { name } } } }');
  const fields = [...body.data.__schema.queryType.fields, ...body.data.__schema.mutationType.fields].map((f: { name: string }) => f.name);
  expect(fields.filter((f) => !OPS[f]).sort()).toEqual([]);
  expect(Object.keys(OPS).filter((f) => !fields.includes(f))).toEqual([]);
});

describe.each(Object.keys(ALLOWED))('role %s', (role) => {
  let token: string;
  beforeAll(async () => {
    token = await http.token(role, role === 'discovery' ? 'matrix-src' : undefined);
  });

  it.each(Object.keys(OPS))('%s', async (field) => {
    const [query, variables] = await OPS[field]();
    const before = await fingerprint();
    const { status, body } = await http.post(query, variables, { token });
    const code = codeOf(body);
    if (ALLOWED[role].includes(field)) {
      expect([code, body.errors?.[0]?.message]).not.toEqual(expect.arrayContaining(['FORBIDDEN']));
      expect(code).not.toBe('UNAUTHENTICATED');
      expect(code).not.toBe('INTERNAL_SERVER_ERROR');
    } else {
      expect({ field, code, status }).toEqual({ field, code: 'FORBIDDEN', status: 200 });
      expect(body.errors[0].message).toMatch(new RegExp(`role ${role}\\) may not call ${field}: it needs the '[a-z:]+' permission`));
      expect(await fingerprint()).toBe(before);
    }
  });
});

describe('refused credentials', () => {
  const refusals: Record<string, () => Promise<string | null>> = {
    'no token': async () => null,
    'a revoked token': async () => {
      const made = await http.app.tokens.create({ name: `matrix-revoked-${Math.random().toString(36).slice(2)}`, role: 'admin' }, 'system');
      await http.app.tokens.revoke(made.record.id);
      return made.token;
    },
    'an expired token': async () => {
      const made = await http.app.tokens.create({ name: `matrix-expired-${Math.random().toString(36).slice(2)}`, role: 'admin' }, 'system');
      await graph.client.write('MATCH (t:ApiToken {id: $id}) SET t.expiresAt = $past', { id: made.record.id, past: '2020-01-01T00:00:00.000Z' });
      return made.token;
    },
    'an unknown token': async () => `cmdb_${'Z'.repeat(43)}`,
    'a malformed header': async () => 'not-a-token',
  };

  it.each(Object.keys(refusals))('%s gets 401 UNAUTHENTICATED for every field and writes nothing', async (what) => {
    const token = await refusals[what]();
    for (const field of Object.keys(OPS)) {
      const [query, variables] = await OPS[field]();
      const before = await fingerprint();
      const { status, body } = await http.post(query, variables, { token: token === null ? null : token });
      expect({ field, status, code: codeOf(body) }).toEqual({ field, status: 401, code: 'UNAUTHENTICATED' });
      expect(JSON.stringify(body)).not.toContain(token ?? '\u0000');
      expect(await fingerprint()).toBe(before);
    }
  });

  it('a discovery token bound to another source cannot reconcile, start or finish runs as matrix-src', async () => {
    const token = await http.token('discovery', 'other-src');
    for (const field of RECONCILE) {
      const [query, variables] = await OPS[field]();
      const before = await fingerprint();
      const { body } = await http.post(query, variables, { token });
      expect({ field, code: codeOf(body) }).toEqual({ field, code: 'FORBIDDEN' });
      expect(body.errors[0].message).toMatch(/may report only as source 'other-src', not 'matrix-src'/);
      expect(await fingerprint()).toBe(before);
    }
  });
});
