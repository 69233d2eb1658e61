import { TestApi } from './api';

export const RECONCILE = `mutation($input: ReconcileInput!) {
  reconcile(input: $input) {
    source runId dryRun
    items { ref index ciId class operation identification { rule status candidates } changes { field oldValue newValue reason } kept { field offered kept heldBy reason } errors { field reason } }
    relationships { index from to type fromId toId operation errors { field reason } }
    totals { items created updated noChange skipped errors relationshipsCreated relationshipsUpdated relationshipsUnchanged relationshipErrors }
  }
}`;

export async function registerSource(api: TestApi, input: Record<string, unknown>): Promise<void> {
  await api.ok(`mutation($input: RegisterSourceInput!) { registerSource(input: $input) { name } }`, { input });
}

export async function reconcile(api: TestApi, input: Record<string, unknown>): Promise<any> {
  return (await api.ok(RECONCILE, { input })).reconcile;
}

export async function startRun(api: TestApi, source: string, scope: string, mode = 'FULL'): Promise<string> {
  return (await api.ok(`mutation($s: String!, $sc: String!, $m: SyncMode!) { startSyncRun(source: $s, scope: $sc, mode: $m) { id status } }`, { s: source, sc: scope, m: mode })).startSyncRun.id;
}

export async function finishRun(api: TestApi, runId: string, status: string): Promise<any> {
  return (await api.ok(`mutation($id: ID!, $st: RunStatus!) {
    finishSyncRun(runId: $id, status: $st) { id status cleanup { missingRecords markedStale retired deleted relationshipsUnasserted relationshipsRemoved } }
  }`, { id: runId, st: status })).finishSyncRun;
}

export const server = (ref: string, attributes: Record<string, unknown>, cls = 'LinuxServer') => ({ ref, class: cls, attributes });
