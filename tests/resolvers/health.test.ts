import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { HealthSnapshots } from '../../src/services/health-snapshots';

let graph: TestGraph;
let api: TestApi;

const now = Date.now();
const ago = (hours: number) => new Date(now - hours * 3600_000).toISOString();

/** Labels as the model gives them: CI plus every class of the ancestry. */
const LABELS: Record<string, string> = {
  LinuxServer: 'CI:ConfigurationItem:Computer:Server:LinuxServer',
  WindowsServer: 'CI:ConfigurationItem:Computer:Server:WindowsServer',
  Application: 'CI:ConfigurationItem:Application',
  Datacenter: 'CI:ConfigurationItem:Datacenter',
};

async function createCis(className: string, rows: Record<string, unknown>[]): Promise<void> {
  await graph.client.write(
    `UNWIND $rows AS row CREATE (c:${LABELS[className]}) SET c = row, c.class = $className, c.name = row.id,
       c.lifecycleStatus = coalesce(row.lifecycleStatus, 'IN_USE'), c.createdAt = $at, c.updatedAt = $at`,
    { rows, className, at: ago(24 * 40) },
  );
}

/**
 * Completeness (required + recommended): Server classes expect hostname, domain, fqdn, osName,
 * osVersion, serialNumber; Application expects applicationCode, version; Datacenter expects siteCode.
 * lx-1 fills 6, lx-2 4, lx-3 1 (11/18); win-1 fills 2 (2/6); applications 2 + 0 + 1 (3/6); dc-1 1/1.
 * lx-1, lx-2 and win-1 share serialNumber SN-1 under the Server rule. Orphans: lx-2, lx-3 (no
 * LOCATED_IN) and app-b (no RUNS_ON); app-old is RETIRED. Unconfirmed: lx-2 (scanner, 10 days, 72 h
 * window), app-b (its record is missing; marked stale), app-old (no source at all).
 */
useTestApi((g, a) => ([graph, api] = [g, a]));

beforeAll(async () => {
  await createCis('LinuxServer', [
    { id: 'lx-1', hostname: 'lx-1', domain: 'example.com', fqdn: 'lx-1.example.com', osName: 'Linux', osVersion: '6.1', serialNumber: 'SN-1' },
    { id: 'lx-2', hostname: 'lx-2', domain: 'example.com', osName: 'Linux', serialNumber: 'SN-1', kernelVersion: '6.1.0' },
    { id: 'lx-3', hostname: 'lx-3' },
  ]);
  await createCis('WindowsServer', [{ id: 'win-1', hostname: 'win-1', serialNumber: 'SN-1' }]);
  await createCis('Application', [
    { id: 'app-a', applicationCode: 'A', version: '1.0' },
    { id: 'app-b' },
    { id: 'app-old', applicationCode: 'OLD', lifecycleStatus: 'RETIRED' },
  ]);
  await createCis('Datacenter', [{ id: 'dc-1', siteCode: 'DC1' }]);
  await graph.client.write(
    `MATCH (lx1:CI {id: 'lx-1'}), (win:CI {id: 'win-1'}), (dc:CI {id: 'dc-1'}), (app:CI {id: 'app-a'})
     CREATE (lx1)-[:LOCATED_IN]->(dc), (win)-[:LOCATED_IN]->(dc), (app)-[:RUNS_ON]->(lx1)`,
  );
  await graph.client.write(
    `CREATE (:DataSource {name: 'scanner', kind: 'DISCOVERY', priority: 2, stalenessHours: 72, deletionPolicy: 'MARK_STALE',
       retentionDays: 0, relationshipPolicy: 'REMOVE', createdAt: $at, updatedAt: $at})`,
    { at: ago(24 * 40) },
  );
  await graph.client.write(
    `UNWIND $records AS r
     CREATE (:SourceRecord {key: r.source + '|' + r.ciId, source: r.source, ciId: r.ciId, scope: '', firstSeenAt: $first,
       lastSeenAt: r.lastSeenAt, missingSince: r.missingSince})`,
    {
      first: ago(24 * 40),
      records: [
        { source: 'scanner', ciId: 'lx-1', lastSeenAt: ago(0) },
        { source: 'scanner', ciId: 'lx-2', lastSeenAt: ago(24 * 10) },
        { source: 'manual', ciId: 'lx-3', lastSeenAt: ago(24 * 30) },
        { source: 'manual', ciId: 'win-1', lastSeenAt: ago(0) },
        { source: 'scanner', ciId: 'app-a', lastSeenAt: ago(0) },
        { source: 'scanner', ciId: 'app-b', lastSeenAt: ago(0), missingSince: ago(0) },
        { source: 'manual', ciId: 'dc-1', lastSeenAt: ago(0) },
      ],
    },
  );
  await graph.client.write("MATCH (c:CI {id: 'app-b'}) SET c.staleSince = $at, c.lifecycleStatus = 'STALE'", { at: ago(0) });
  await graph.client.write(
    `UNWIND $runs AS run CREATE (r:SyncRun) SET r = run, r.source = 'scanner', r.scope = 'dc1', r.mode = 'FULL', r.batches = 1`,
    {
      runs: [
        { id: 'run-s0', status: 'SUCCEEDED', startedAt: ago(72), finishedAt: ago(71), itemsReported: 9 },
        { id: 'run-s1', status: 'SUCCEEDED', startedAt: ago(2), finishedAt: ago(1), itemsReported: 4 },
        { id: 'run-s2', status: 'FAILED', startedAt: ago(0.5), finishedAt: ago(0.4), itemsReported: 1 },
      ],
    },
  );
  await graph.client.write(
    `UNWIND $records AS d CREATE (r:DuplicateRecord) SET r = d`,
    {
      records: [
        { id: 'dup-1', source: 'scanner', runId: 'run-s1', ref: 'item-7', class: 'LinuxServer', candidates: ['lx-1', 'lx-2'], values: '{}', at: ago(1), status: 'OPEN' },
        { id: 'dup-0', source: 'scanner', runId: 'run-s0', ref: 'item-3', class: 'LinuxServer', candidates: ['lx-1', 'lx-2'], values: '{}', at: ago(71), status: 'RESOLVED' },
      ],
    },
  );
});

const HEALTH = `query Health($class: String, $limit: Int) {
  cmdbHealth(class: $class, limit: $limit) {
    generatedAt class
    summary { totalCis completeness duplicateCount orphanCount staleCount markedStaleCount }
    classes { class ciCount completeness orphanCount staleCount markedStaleCount duplicateCount }
    completeness { filledRatio expectedSlots filledSlots classes { class ciCount expectedAttributes filledRatio leastFilled { attribute required filled filledRatio } } }
    duplicates {
      count openRecordCount collisionCount
      openRecords { id ref class source runId candidates at }
      collisions { ruleClass identifiers values ciIds classes }
      byClass { class openRecords collisions }
    }
    orphans { count byClass { class count } sample { id name class missing { type direction } } }
    staleness { unconfirmedCount markedStaleCount byClass { class ciCount unconfirmed markedStale } }
    sources { name kind stalenessHours lastSuccessfulRun { id scope mode finishedAt itemsReported } lastRunStatus runsLast24h ciCount }
  }
}`;

const SERVER_ATTRS = ['hostname', 'domain', 'fqdn', 'osName', 'osVersion', 'serialNumber'];
const fill = (attribute: string, filled: number, of: number, required = false) => ({ attribute, required, filled, filledRatio: filled / of });
const collision = { ruleClass: 'Server', identifiers: ['serialNumber'], values: ['SN-1'], ciIds: ['lx-1', 'lx-2', 'win-1'], classes: ['LinuxServer', 'WindowsServer'] };
const linuxCompleteness = {
  class: 'LinuxServer', ciCount: 3, expectedAttributes: SERVER_ATTRS, filledRatio: 11 / 18,
  leastFilled: [fill('fqdn', 1, 3), fill('osVersion', 1, 3), fill('domain', 2, 3), fill('osName', 2, 3), fill('serialNumber', 2, 3)],
};
const windowsCompleteness = {
  class: 'WindowsServer', ciCount: 1, expectedAttributes: SERVER_ATTRS, filledRatio: 2 / 6,
  leastFilled: [fill('domain', 0, 1), fill('fqdn', 0, 1), fill('osName', 0, 1), fill('osVersion', 0, 1), fill('hostname', 1, 1, true)],
};
const openRecord = { id: 'dup-1', ref: 'item-7', class: 'LinuxServer', source: 'scanner', runId: 'run-s1', candidates: ['lx-1', 'lx-2'], at: ago(1) };
const sources = [
  { name: 'manual', kind: 'MANUAL', stalenessHours: 8760, lastSuccessfulRun: null, lastRunStatus: null, runsLast24h: 0, ciCount: 3 },
  {
    name: 'scanner', kind: 'DISCOVERY', stalenessHours: 72, lastRunStatus: 'FAILED', runsLast24h: 2, ciCount: 3,
    lastSuccessfulRun: { id: 'run-s1', scope: 'dc1', mode: 'FULL', finishedAt: ago(1), itemsReported: 4 },
  },
];
const missingLocation = [{ type: 'LOCATED_IN', direction: 'OUTGOING' }];

describe('cmdbHealth', () => {
  it('reports every measure of the whole estate, in seven queries', async () => {
    const result = await api.run(HEALTH);
    expect(result.errors).toBeUndefined();
    const health = result.data.cmdbHealth;
    expect(Date.parse(health.generatedAt)).toBeGreaterThanOrEqual(now);
    expect(health.class).toBeNull();
    expect(health.summary).toEqual({ totalCis: 8, completeness: 17 / 31, duplicateCount: 2, orphanCount: 3, staleCount: 3, markedStaleCount: 1 });
    expect(health.classes).toEqual([
      { class: 'Application', ciCount: 3, completeness: 3 / 6, orphanCount: 1, staleCount: 2, markedStaleCount: 1, duplicateCount: 0 },
      { class: 'Datacenter', ciCount: 1, completeness: 1, orphanCount: 0, staleCount: 0, markedStaleCount: 0, duplicateCount: 0 },
      { class: 'LinuxServer', ciCount: 3, completeness: 11 / 18, orphanCount: 2, staleCount: 1, markedStaleCount: 0, duplicateCount: 2 },
      { class: 'WindowsServer', ciCount: 1, completeness: 2 / 6, orphanCount: 0, staleCount: 0, markedStaleCount: 0, duplicateCount: 1 },
    ]);
    expect(health.completeness).toEqual({
      filledRatio: 17 / 31, expectedSlots: 31, filledSlots: 17,
      classes: [
        { class: 'Application', ciCount: 3, expectedAttributes: ['applicationCode', 'version'], filledRatio: 0.5, leastFilled: [fill('version', 1, 3), fill('applicationCode', 2, 3)] },
        { class: 'Datacenter', ciCount: 1, expectedAttributes: ['siteCode'], filledRatio: 1, leastFilled: [fill('siteCode', 1, 1)] },
        linuxCompleteness,
        windowsCompleteness,
      ],
    });
    expect(health.duplicates).toEqual({
      count: 2, openRecordCount: 1, collisionCount: 1,
      openRecords: [openRecord],
      collisions: [collision],
      byClass: [{ class: 'LinuxServer', openRecords: 1, collisions: 1 }, { class: 'WindowsServer', openRecords: 0, collisions: 1 }],
    });
    expect(health.orphans).toEqual({
      count: 3,
      byClass: [{ class: 'Application', count: 1 }, { class: 'LinuxServer', count: 2 }],
      sample: [
        { id: 'app-b', name: 'app-b', class: 'Application', missing: [{ type: 'RUNS_ON', direction: 'OUTGOING' }] },
        { id: 'lx-2', name: 'lx-2', class: 'LinuxServer', missing: missingLocation },
        { id: 'lx-3', name: 'lx-3', class: 'LinuxServer', missing: missingLocation },
      ],
    });
    expect(health.staleness).toEqual({
      unconfirmedCount: 3, markedStaleCount: 1,
      byClass: [
        { class: 'Application', ciCount: 3, unconfirmed: 2, markedStale: 1 },
        { class: 'Datacenter', ciCount: 1, unconfirmed: 0, markedStale: 0 },
        { class: 'LinuxServer', ciCount: 3, unconfirmed: 1, markedStale: 0 },
        { class: 'WindowsServer', ciCount: 1, unconfirmed: 0, markedStale: 0 },
      ],
    });
    expect(health.sources).toEqual(sources);
    expect(result.queries).toBe(7);
  });

  it('restricts every measure but source freshness to a class and its subclasses', async () => {
    const { cmdbHealth: servers } = await api.ok(HEALTH, { class: 'Server' });
    expect(servers.class).toBe('Server');
    expect(servers.summary).toEqual({ totalCis: 4, completeness: 13 / 24, duplicateCount: 2, orphanCount: 2, staleCount: 1, markedStaleCount: 0 });
    expect(servers.classes.map((c: { class: string }) => c.class)).toEqual(['LinuxServer', 'WindowsServer']);
    expect(servers.completeness.classes).toEqual([linuxCompleteness, windowsCompleteness]);
    expect(servers.duplicates.openRecords).toEqual([openRecord]);
    expect(servers.duplicates.collisions).toEqual([collision]);
    expect(servers.orphans.sample.map((o: { id: string }) => o.id)).toEqual(['lx-2', 'lx-3']);
    expect(servers.sources).toEqual(sources);

    // A collision counts for every class among its CIs, even when the others are outside the filter.
    const { cmdbHealth: windows } = await api.ok(HEALTH, { class: 'WindowsServer' });
    expect(windows.summary).toEqual({ totalCis: 1, completeness: 2 / 6, duplicateCount: 1, orphanCount: 0, staleCount: 0, markedStaleCount: 0 });
    expect(windows.duplicates).toEqual({
      count: 1, openRecordCount: 0, collisionCount: 1, openRecords: [], collisions: [collision],
      byClass: [{ class: 'WindowsServer', openRecords: 0, collisions: 1 }],
    });

    const { cmdbHealth: apps } = await api.ok(HEALTH, { class: 'Application' });
    expect(apps.summary).toEqual({ totalCis: 3, completeness: 0.5, duplicateCount: 0, orphanCount: 1, staleCount: 2, markedStaleCount: 1 });
    expect(apps.duplicates).toEqual({ count: 0, openRecordCount: 0, collisionCount: 0, openRecords: [], collisions: [], byClass: [] });
    expect(apps.orphans.sample.map((o: { id: string }) => o.id)).toEqual(['app-b']);
  });

  it('caps the example lists at limit and keeps the counts whole', async () => {
    const { cmdbHealth } = await api.ok(HEALTH, { limit: 1 });
    expect(cmdbHealth.orphans.count).toBe(3);
    expect(cmdbHealth.orphans.sample.map((o: { id: string }) => o.id)).toEqual(['app-b']);
    expect(cmdbHealth.duplicates.collisions).toEqual([collision]);
    const { cmdbHealth: none } = await api.ok(HEALTH, { limit: 0 });
    expect([none.orphans.sample, none.duplicates.openRecords, none.duplicates.collisions]).toEqual([[], [], []]);
    expect(none.summary.duplicateCount).toBe(2);
  });

  it('rejects a class that is not in the model and a limit out of range', async () => {
    const badClass = await api.run(HEALTH, { class: 'Sever' });
    expect(badClass.data).toBeNull();
    expect(badClass.errors).toHaveLength(1);
    expect(badClass.errors![0].message).toBe("class: class 'Sever' is not in the model; did you mean 'Server'?");
    expect(badClass.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'class' });
    expect(badClass.queries).toBe(0);

    const badLimit = await api.run(HEALTH, { limit: -1 });
    expect(badLimit.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'limit' });
  });

  it('costs the same seven queries when the estate grows', async () => {
    await graph.client.write(
      `UNWIND range(1, 300) AS i
       CREATE (c:${LABELS.Application} {id: 'bulk-' + i, name: 'bulk-' + i, class: 'Application', applicationCode: 'B' + (i % 150)})`,
    );
    const result = await api.run(HEALTH);
    expect(result.errors).toBeUndefined();
    expect(result.queries).toBe(7);
    const health = result.data.cmdbHealth;
    expect(health.summary.totalCis).toBe(308);
    // 150 pairs share an applicationCode (plus SN-1); none of the bulk applications runs on anything.
    expect(health.duplicates.collisionCount).toBe(151);
    expect(health.duplicates.collisions).toHaveLength(20);
    expect(health.orphans.count).toBe(303);
    expect(health.orphans.sample).toHaveLength(20);
  });

  describe('reports shared across callers (maxAgeSeconds)', () => {
    const AGED = `query($maxAge: Int) { cmdbHealth(maxAgeSeconds: $maxAge) { generatedAt ageSeconds summary { totalCis orphanCount } } }`;

    it('measures once for callers arriving together, serves a report within the accepted age, and measures again at 0', async () => {
      const healthSnapshots = new HealthSnapshots();
      const together = await Promise.all([0, 1, 2].map(() => api.run(AGED, { maxAge: 0 }, { healthSnapshots })));
      // One caller ran the seven queries; the others waited for its answer.
      expect(together.map((r) => r.queries).sort()).toEqual([0, 0, 7]);
      const first = together[0].data.cmdbHealth;
      expect(together.map((r) => r.data.cmdbHealth.generatedAt)).toEqual([first.generatedAt, first.generatedAt, first.generatedAt]);

      await createCis('Application', [{ id: 'late-app', applicationCode: 'LATE' }]);
      const dashboard = await api.run(AGED, { maxAge: 60 }, { healthSnapshots });
      expect(dashboard.queries).toBe(0);
      expect(dashboard.data.cmdbHealth).toMatchObject({ generatedAt: first.generatedAt, summary: first.summary });
      expect(dashboard.data.cmdbHealth.ageSeconds).toBeGreaterThan(0);
      expect(dashboard.data.cmdbHealth.ageSeconds).toBeLessThan(60);

      const fresh = await api.run(AGED, { maxAge: 0 }, { healthSnapshots });
      expect(fresh.queries).toBe(7);
      expect(fresh.data.cmdbHealth.summary).toEqual({ totalCis: first.summary.totalCis + 1, orphanCount: first.summary.orphanCount + 1 });
      expect(Date.parse(fresh.data.cmdbHealth.generatedAt)).toBeGreaterThan(Date.parse(first.generatedAt));
      await graph.client.write(`MATCH (c:CI {id: 'late-app'}) DETACH DELETE c`);
    });

    it('refuses an age out of range, naming the argument', async () => {
      for (const maxAge of [-1, 86_401]) {
        const bad = await api.run(AGED, { maxAge });
        expect(bad.data).toBeNull();
        expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maxAgeSeconds' });
        expect(bad.queries).toBe(0);
      }
    });
  });
});
