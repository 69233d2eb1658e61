/**
 * After the estate is entered by hand (createCi, the `manual` source), a discovery source reports the virtual estate
 * again the way a vCenter inventory job would: every hypervisor and VM with its identifying attributes and the
 * HOSTED_ON edges between them, in one FULL sync run. Reconciliation has to recognise each CI (by serial number,
 * vmUuid or hostname and domain) instead of creating a second one, so the demo shows identification, provenance from
 * two sources, and the reconcile counters at /metrics.
 */
import type { Estate } from './estate-kit';
import { Api, describeErrors, EstateLoadError, post } from './api-client';

export const DISCOVERY_SOURCE = 'demo-vcenter';
const DISCOVERED_CLASSES = new Set(['Hypervisor', 'VirtualMachine']);

export interface DiscoveryPassResult {
  source: string;
  items: number;
  created: number;
  updated: number;
  noChange: number;
  errors: number;
  relationships: number;
}

interface Totals { created: number; updated: number; noChange: number; errors: number }

async function mutate<T>(api: Api, what: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const body = await post<T>(api, query, variables);
  if (body.errors?.length || !body.data) throw new EstateLoadError(`${what}: ${describeErrors(body.errors)}`);
  return body.data;
}

export async function confirmByDiscovery(api: Api, estate: Estate): Promise<DiscoveryPassResult> {
  const cis = estate.cis.filter((c) => DISCOVERED_CLASSES.has(c.class));
  const refs = new Set(cis.map((c) => c.ref));
  const relationships = estate.relationships.filter((r) => r.type === 'HOSTED_ON' && refs.has(r.from) && refs.has(r.to));
  await mutate(api, 'registerSource', 'mutation DemoSource { registerSource(input: { name: "demo-vcenter", kind: DISCOVERY, priority: 20 }) { name } }', {});
  const { startSyncRun } = await mutate<{ startSyncRun: { id: string } }>(api, 'startSyncRun',
    'mutation DemoRun { startSyncRun(source: "demo-vcenter", scope: "demo-estate", mode: FULL) { id } }', {});
  let status = 'FAILED';
  try {
    const { reconcile } = await mutate<{ reconcile: { totals: Totals } }>(api, 'reconcile',
      'mutation DemoDiscovery($input: ReconcileInput!) { reconcile(input: $input) { totals { created updated noChange errors } } }',
      { input: {
        source: DISCOVERY_SOURCE, runId: startSyncRun.id,
        items: cis.map((c) => ({ ref: c.ref, class: c.class, name: c.name, sourceNativeKey: c.ref, attributes: c.attributes ?? {} })),
        relationships,
      } });
    status = 'SUCCEEDED';
    return { source: DISCOVERY_SOURCE, items: cis.length, ...reconcile.totals, relationships: relationships.length };
  } finally {
    await mutate(api, 'finishSyncRun', 'mutation DemoRunEnd($id: ID!, $status: RunStatus!) { finishSyncRun(runId: $id, status: $status) { id } }',
      { id: startSyncRun.id, status });
  }
}
