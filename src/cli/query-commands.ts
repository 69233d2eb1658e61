/** `cmdb ci`, `cmdb impact`, `cmdb health`, `cmdb sources`: the questions a service desk asks, as tables (or --json). */
import { Command } from 'commander';
import { hubFrom, HubOptions } from './hub';
import { table } from './table';
import { usageError } from './usage-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A CI named on the command line: an id, else an exact name (with --class when names repeat). */
const refOf = (nameOrId: string, cls?: string) => (UUID.test(nameOrId) ? { id: nameOrId } : { name: nameOrId, ...(cls ? { class: cls } : {}) });

const out = (text: string): void => void process.stdout.write(`${text}\n`);

interface CiAnswer {
  id: string; name: string; class: string; lifecycleStatus: string | null; environment: string | null; owner: string | null; supportGroup: string | null;
  criticality: string | null; updatedAt: string; staleSince: string | null; attributes: Record<string, unknown>;
  provenance: { field: string; source: string; lastConfirmedAt: string }[];
  relationships: { label: string; ci: { name: string; class: string; id: string } }[];
}

const CI_FIELDS = `id name class lifecycleStatus environment owner supportGroup criticality updatedAt staleSince attributes
  provenance { field source lastConfirmedAt } relationships(first: 50) { label ci { id name class } }`;

export function addQueryCommands(cmd: Command): void {
  const hub = () => hubFrom(cmd.opts<HubOptions>());

  cmd.command('ci')
    .description('Show a CI: its fields, attributes with their sources, and relationships')
    .argument('<name-or-id>', 'the CI\'s id or exact name')
    .option('--class <class>', 'the class, when several CIs share the name')
    .option('--json', 'print the CI as JSON')
    .action(async (nameOrId: string, o: { class?: string; json?: boolean }) => {
      const h = hub();
      let ci: CiAnswer;
      if (UUID.test(nameOrId)) {
        ci = (await h.request<{ ci: CiAnswer }>(`query CliCi($id: ID!) { ci(id: $id) { ${CI_FIELDS} } }`, { id: nameOrId })).ci;
      } else {
        const { cis } = await h.request<{ cis: { edges: { node: CiAnswer }[] } }>(
          `query CliCiByName($f: CiFilter) { cis(first: 11, filter: $f) { edges { node { ${CI_FIELDS} } } } }`, { f: { name: nameOrId, ...(o.class ? { class: o.class } : {}) } });
        if (!cis.edges.length) throw usageError('notFound', `no CI is named '${nameOrId}'${o.class ? ` in class ${o.class}` : ''}`);
        if (cis.edges.length > 1) {
          throw usageError('ambiguous', `${cis.edges.length > 10 ? 'more than 10' : cis.edges.length} CIs are named '${nameOrId}'; give an id or --class:\n` +
            table(['id', 'class'], cis.edges.slice(0, 10).map((e) => [e.node.id, e.node.class])));
        }
        ci = cis.edges[0].node;
      }
      if (o.json) return out(JSON.stringify(ci, null, 2));
      const source = new Map(ci.provenance.map((p) => [p.field, `${p.source} (${p.lastConfirmedAt.slice(0, 19)}Z)`]));
      out(`${ci.name} (${ci.class}) ${ci.id}`);
      out(table(['field', 'value', 'source'], [
        ...(['lifecycleStatus', 'environment', 'criticality', 'owner', 'supportGroup', 'staleSince', 'updatedAt'] as const)
          .filter((f) => ci[f] !== null).map((f) => [f, String(ci[f]), source.get(f) ?? '']),
        ...Object.entries(ci.attributes).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v), source.get(k) ?? '']),
      ]));
      if (ci.relationships.length) out(table(['relationship', 'CI', 'class'], ci.relationships.map((r) => [r.label, r.ci.name, r.ci.class])));
    });

  cmd.command('impact')
    .description('What a CI failing takes down: affected services with severity, criticality and owners')
    .argument('<name-or-id>', 'the failing CI\'s id or exact name')
    .option('--class <class>', 'the class, when several CIs share the name')
    .option('--depth <n>', 'how many relationships to follow (at most 10)', '6')
    .option('--json', 'print the answer as JSON')
    .action(async (nameOrId: string, o: { class?: string; depth: string; json?: boolean }) => {
      const depth = Number(o.depth);
      if (!Number.isInteger(depth) || depth < 1 || depth > 10) throw usageError('depth', `--depth must be a whole number from 1 to 10, got '${o.depth}'`);
      const { impact } = await hub().request<{ impact: {
        failed: { name: string; class: string }[]; truncated: boolean;
        services: { severity: string; depth: number; ci: { name: string; class: string; criticality: string | null; owner: string | null; supportGroup: string | null } }[];
        countsByClass: { class: string; count: number }[];
      } }>(`query CliImpact($input: ImpactInput!) { impact(input: $input) {
          failed { name class } truncated services { severity depth ci { name class criticality owner supportGroup } } countsByClass { class count } } }`,
      { input: { ciRefs: [refOf(nameOrId, o.class)], maxDepth: depth } });
      if (o.json) return out(JSON.stringify(impact, null, 2));
      const failed = impact.failed.map((f) => `${f.name} (${f.class})`).join(', ');
      if (!impact.services.length) out(`If ${failed} fails, no service is affected within ${depth} steps.`);
      else {
        out(`If ${failed} fails, ${impact.services.length} service${impact.services.length === 1 ? ' is' : 's are'} affected:`);
        out(table(['service', 'class', 'severity', 'criticality', 'owner', 'support group', 'steps'],
          impact.services.map((s) => [s.ci.name, s.ci.class, s.severity, s.ci.criticality, s.ci.owner, s.ci.supportGroup, s.depth])));
      }
      if (impact.countsByClass.length) out(`Affected CIs: ${impact.countsByClass.map((c) => `${c.count} ${c.class}`).join(', ')}${impact.truncated ? ' (cut at the depth or limit)' : ''}`);
    });

  cmd.command('health')
    .description('The health of the CMDB: completeness, duplicates, orphans, staleness, and each source\'s last run')
    .option('--class <class>', 'only this class and its subclasses')
    .option('--json', 'print the report as JSON')
    .action(async (o: { class?: string; json?: boolean }) => {
      const { cmdbHealth } = await hub().request<{ cmdbHealth: {
        summary: Record<string, number>; sources: { name: string; kind: string; lastRunStatus: string | null; lastSuccessfulRun: { finishedAt: string | null } | null; ciCount: number }[];
      } }>(`query CliHealth($class: String) { cmdbHealth(limit: 1, class: $class) {
          summary { totalCis completeness duplicateCount orphanCount staleCount markedStaleCount }
          sources { name kind lastRunStatus lastSuccessfulRun { finishedAt } ciCount } } }`, { class: o.class ?? null });
      if (o.json) return out(JSON.stringify(cmdbHealth, null, 2));
      const s = cmdbHealth.summary;
      out(table(['CIs', 'completeness', 'duplicates', 'orphans', 'stale', 'marked stale'],
        [[s.totalCis, `${(s.completeness * 100).toFixed(1)}%`, s.duplicateCount, s.orphanCount, s.staleCount, s.markedStaleCount]]));
      out(table(['source', 'kind', 'CIs', 'last run', 'last success'],
        cmdbHealth.sources.map((x) => [x.name, x.kind, x.ciCount, x.lastRunStatus ?? 'never', x.lastSuccessfulRun?.finishedAt ?? ''])));
    });

  cmd.command('sources')
    .description('The registered data sources: kind, precedence, staleness window, deletion policy, last run')
    .option('--json', 'print them as JSON')
    .action(async (o: { json?: boolean }) => {
      const { dataSources, syncRuns } = await hub().request<{
        dataSources: { name: string; kind: string; priority: number; stalenessHours: number; deletionPolicy: string }[];
        syncRuns: { source: string; scope: string; status: string; startedAt: string }[];
      }>('query CliSources { dataSources { name kind priority stalenessHours deletionPolicy } syncRuns(first: 100) { source scope status startedAt } }');
      if (o.json) return out(JSON.stringify({ dataSources, syncRuns }, null, 2));
      const last = new Map<string, { scope: string; status: string; startedAt: string }>();
      for (const r of syncRuns) if (!last.has(r.source)) last.set(r.source, r);
      out(table(['source', 'kind', 'priority', 'stale after', 'deletion', 'last run'],
        dataSources.map((d) => {
          const r = last.get(d.name);
          return [d.name, d.kind, d.priority, `${d.stalenessHours} h`, d.deletionPolicy, r ? `${r.status} ${r.startedAt.slice(0, 19)}Z (${r.scope})` : ''];
        })));
    });
}
