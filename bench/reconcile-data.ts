/**
 * The reconcile benchmark's estate, deterministic: batches of 2,000 LinuxServers and 3,000
 * VirtualMachines with 7,500 relationships (VM HOSTED_ON server, VM CONNECTS_TO server,
 * server CONNECTS_TO server): 20 batches give 100,000 CIs and 150,000 relationships.
 */
export interface BenchItem { ref: string; class: string; attributes: Record<string, unknown> }
export interface BenchRel { from: string; to: string; type: string }
export interface BenchBatch { items: BenchItem[]; relationships: BenchRel[] }

export const SERVERS_PER_BATCH = 2000;
export const VMS_PER_BATCH = 3000;

export function reconcileBatch(b: number): BenchBatch {
  const items: BenchItem[] = [];
  const relationships: BenchRel[] = [];
  for (let i = 0; i < SERVERS_PER_BATCH; i++) {
    const n = b * SERVERS_PER_BATCH + i;
    items.push({ ref: `s${n}`, class: 'LinuxServer', attributes: { serialNumber: `SN${n}`, hostname: `srv-${n}`, domain: 'bench.example', cpuCount: 16 + (n % 4) * 8, memoryGb: 128, osName: 'Linux', osVersion: `6.${n % 10}` } });
  }
  for (let i = 0; i < VMS_PER_BATCH; i++) {
    const n = b * VMS_PER_BATCH + i;
    const host = `s${b * SERVERS_PER_BATCH + (i % SERVERS_PER_BATCH)}`;
    const peer = `s${b * SERVERS_PER_BATCH + ((i * 7) % SERVERS_PER_BATCH)}`;
    items.push({ ref: `v${n}`, class: 'VirtualMachine', attributes: { cloudInstanceId: `i-${n.toString(16).padStart(8, '0')}`, hostname: `vm-${n}`, cpuCount: 2 + (n % 3) * 2, memoryGb: 8, powerState: 'on' } });
    relationships.push({ from: `v${n}`, to: host, type: 'HOSTED_ON' });
    relationships.push({ from: `v${n}`, to: peer, type: 'CONNECTS_TO' });
  }
  for (let i = 0; i < 1500; i++) {
    const a = b * SERVERS_PER_BATCH + i;
    const c = b * SERVERS_PER_BATCH + ((i + 1) % SERVERS_PER_BATCH);
    relationships.push({ from: `s${a}`, to: `s${c}`, type: 'CONNECTS_TO' });
  }
  return { items, relationships };
}
