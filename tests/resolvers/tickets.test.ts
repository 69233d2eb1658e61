/**
 * ITSM ticket links against the real API and Neo4j: idempotent links, open incidents in impact answers, change
 * conflicts, and who may link (the itsm role) and read (viewers).
 */
import { TestGraph } from '../support/graph';
import { HttpApp, useHttpApp } from '../support/http-app';

let graph: TestGraph;
let http: HttpApp;
useHttpApp((g, h) => ([graph, http] = [g, h]));
const ids: Record<string, string> = {};

const LINK = `mutation($ci: ID!, $input: LinkTicketInput!) { linkTicket(ciId: $ci, input: $input) { system key kind status open title plannedStart plannedEnd ciIds createdBy } }`;

beforeAll(async () => {
  const make = async (name: string, cls: string, attributes: Record<string, unknown>) =>
    (ids[name] = (await http.ok('mutation($i: CreateCiInput!) { createCi(input: $i) { id } }', { i: { class: cls, name, attributes } })).createCi.id);
  await make('Payments', 'BusinessService', { serviceCode: 'SVC-PAY' });
  await make('payments-api', 'Application', { applicationCode: 'APP-PAY' });
  await make('pay-db', 'DatabaseInstance', { engine: 'postgresql' });
  await make('pay-host', 'LinuxServer', { hostname: 'pay-host', domain: 'corp.test' });
  const relate = (from: string, type: string, to: string) => http.ok('mutation($i: RelateInput!) { relate(input: $i) { created } }', { i: { from: ids[from], to: ids[to], type } });
  await relate('Payments', 'DEPENDS_ON', 'payments-api');
  await relate('payments-api', 'RUNS_ON', 'pay-host');
  await relate('payments-api', 'DEPENDS_ON', 'pay-db');
  await relate('pay-db', 'RUNS_ON', 'pay-host');
});

describe('linking tickets', () => {
  it('links a ticket once per system and key, updating it and adding CIs; an itsm token may, a viewer may not', async () => {
    const itsm = await http.token('itsm');
    const input = { system: 'servicenow-prod', key: 'INC0012', kind: 'INCIDENT', status: 'NEW', title: 'pay-db slow queries' };
    const first = (await http.ok(LINK, { ci: ids['pay-db'], input }, itsm)).linkTicket;
    expect(first).toMatchObject({ system: 'servicenow-prod', key: 'INC0012', kind: 'INCIDENT', status: 'NEW', open: true, ciIds: [ids['pay-db']] });
    expect(first.createdBy).toMatch(/^token:test-itsm-/);
    const again = (await http.ok(LINK, { ci: ids['pay-db'], input: { system: 'servicenow-prod', key: 'INC0012', status: 'IN_PROGRESS' } }, itsm)).linkTicket;
    expect(again).toMatchObject({ status: 'IN_PROGRESS', title: 'pay-db slow queries', ciIds: [ids['pay-db']] });
    expect((await graph.client.read("MATCH (t:Ticket) RETURN count(t) AS n")).records[0].get('n')).toBe(1);

    const viewer = await http.token('viewer');
    const refused = await http.post(LINK, { ci: ids['pay-db'], input: { ...input, key: 'INC0099' } }, { token: viewer });
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await graph.client.read("MATCH (t:Ticket) RETURN count(t) AS n")).records[0].get('n')).toBe(1);
    // Viewers read them.
    const read = await http.ok('query($id: ID!) { ci(id: $id) { tickets(open: true) { key status } } }', { id: ids['pay-db'] }, viewer);
    expect(read.ci.tickets).toEqual([{ key: 'INC0012', status: 'IN_PROGRESS' }]);
  });

  it('names each bad field, and refuses a new ticket without its kind', async () => {
    const bad = await http.post(LINK, { ci: ids['pay-db'], input: { system: 'sn', key: 'CHG1', kind: 'CHANGE', status: 'NEW', url: 'javascript:alert(1)',
      plannedStart: '2026-12-02T12:00:00Z', plannedEnd: '2026-12-02T10:00:00Z' } });
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(bad.body.errors[0].extensions.errors).toEqual(expect.arrayContaining([
      { field: 'url', reason: 'must be an http(s) URL' },
      { field: 'plannedEnd', reason: 'must be after plannedStart (2026-12-02T12:00:00.000Z), got 2026-12-02T10:00:00.000Z' },
    ]));
    const noKind = await http.post(LINK, { ci: ids['pay-db'], input: { system: 'sn', key: 'X1', status: 'NEW' } });
    expect(noKind.body.errors[0].extensions.errors).toEqual([{ field: 'kind', reason: 'is required to link a new ticket: one of INCIDENT, PROBLEM, CHANGE, REQUEST' }]);
    const missing = await http.post(LINK, { ci: '00000000-0000-0000-0000-000000000000', input: { system: 'sn', key: 'X2', kind: 'REQUEST', status: 'NEW' } });
    expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await graph.client.read("MATCH (t:Ticket) RETURN count(t) AS n")).records[0].get('n')).toBe(1);
  });
});

describe('tickets in answers', () => {
  it('shows an open incident on a database in the impact of its host', async () => {
    const { impact } = await http.ok('query($id: ID!) { impact(input: { ciIds: [$id] }) { openIncidents { ticket { key title } ci { name } } } }', { id: ids['pay-host'] });
    expect(impact.openIncidents).toEqual([{ ticket: { key: 'INC0012', title: 'pay-db slow queries' }, ci: { name: 'pay-db' } }]);
    // Resolved: no longer open, no longer shown.
    await http.ok('mutation { updateTicket(input: { system: "servicenow-prod", key: "INC0012", status: RESOLVED }) { open } }');
    const after = await http.ok('query($id: ID!) { impact(input: { ciIds: [$id] }) { openIncidents { ticket { key } } } }', { id: ids['pay-host'] });
    expect(after.impact.openIncidents).toEqual([]);
  });

  it('reports two changes with overlapping windows on one service as a conflict, and open incidents on affected services', async () => {
    const change = (key: string, ci: string, start: string, end: string) =>
      http.ok(LINK, { ci: ids[ci], input: { system: 'sn', key, kind: 'CHANGE', status: 'NEW', plannedStart: start, plannedEnd: end } });
    await change('CHG100', 'Payments', '2026-12-05T10:00:00Z', '2026-12-05T12:00:00Z');
    await change('CHG200', 'payments-api', '2026-12-05T11:00:00Z', '2026-12-05T13:00:00Z');
    await change('CHG300', 'payments-api', '2026-12-05T14:00:00Z', '2026-12-05T15:00:00Z');
    await http.ok(LINK, { ci: ids.Payments, input: { system: 'sn', key: 'INC0500', kind: 'INCIDENT', status: 'NEW' } });
    const { changeImpact } = await http.ok(`query($id: ID!) { changeImpact(ciIds: [$id]) { risk conflicts(change: { system: "sn", key: "CHG200" }) {
      changes { ticket { key plannedStart } ci { name } } incidents { ticket { key } ci { name } } } } }`, { id: ids['payments-api'] });
    expect(changeImpact.conflicts).toEqual({
      changes: [{ ticket: { key: 'CHG100', plannedStart: '2026-12-05T10:00:00.000Z' }, ci: { name: 'Payments' } }],
      incidents: [{ ticket: { key: 'INC0500' }, ci: { name: 'Payments' } }],
    });
  });

  it('unlinks from one CI, then removes a ticket left with none', async () => {
    await http.ok(LINK, { ci: ids['payments-api'], input: { system: 'sn', key: 'INC0500' } });
    const one = (await http.ok('mutation($ci: ID!) { unlinkTicket(ticket: { system: "sn", key: "INC0500" }, ciId: $ci) { deleted ticket { ciIds } } }', { ci: ids.Payments })).unlinkTicket;
    expect(one).toEqual({ deleted: false, ticket: { ciIds: [ids['payments-api']] } });
    const all = (await http.ok('mutation { unlinkTicket(ticket: { system: "sn", key: "INC0500" }) { deleted } }')).unlinkTicket;
    expect(all).toEqual({ deleted: true });
    const gone = await http.post('mutation { unlinkTicket(ticket: { system: "sn", key: "INC0500" }) { deleted } }');
    expect(gone.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});
