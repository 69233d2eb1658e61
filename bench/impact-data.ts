import { Catalog } from '../src/model/catalog';
import { EstateBuilder, EstateCi, EstateRel, mulberry32, pad, quorumOf, Random } from './estate-builder';

export type { EstateCi, EstateRel };

/*
 * The impact benchmark's estate: two datacenters and two cloud accounts with the network,
 * hypervisors, VMs, databases, applications, Kubernetes clusters and business services of a
 * mid-sized company, about 100,000 CIs and 300,000 relationships. Deterministic: the same seed
 * gives the same CIs, ids and edges. Every edge is checked against the catalog's endpoints.
 */

/** Where an impact question starts, by the kind of failure it models. */
export type StartKind = 'coreSwitch' | 'host' | 'database' | 'pod';
export const START_KINDS: StartKind[] = ['coreSwitch', 'host', 'database', 'pod'];

export interface ImpactStart {
  kind: StartKind;
  id: string;
  name: string;
}

export interface ImpactEstate {
  cis: EstateCi[];
  relationships: EstateRel[];
  starts: ImpactStart[];
}

export const IMPACT_SEED = 20240611;
/** The benchmark's fixed point in time: every CI and edge was created then. */
export const ESTATE_CREATED_AT = '2024-01-15T08:00:00.000Z';

/** Sizes of the estate; the defaults give about 100,000 CIs and 300,000 relationships. */
export const ESTATE_SIZE = {
  racksPerDc: 20,
  /** Network fabrics per datacenter, each with its own core switch pair over its share of the racks. */
  fabricsPerDc: 2,
  hypervisorsPerRack: 25,
  vmsPerHypervisor: 20,
  datastoresPerDc: 25,
  k8sNodesPerCluster: 100,
  namespacesPerCluster: 100,
  vmApplications: 1000,
  /** Instances of a VM application, each on its own VM: [min, max]. */
  instancesPerVmApp: [4, 20] as [number, number],
  k8sApplications: 1000,
  workloadsPerK8sApp: [1, 3] as [number, number],
  replicasPerWorkload: [3, 17] as [number, number],
  databaseInstancesPerDc: 750,
  databasesPerInstance: 2,
  loadBalancersPerDc: 100,
  businessServices: 50,
  technicalServices: 30,
  teams: 60,
};

const DC_CODES = ['fra1', 'ams1'];
const DC_CITIES = [['Frankfurt', 'DE'], ['Amsterdam', 'NL']];
const ENGINES = ['PostgreSQL', 'PostgreSQL', 'Oracle', 'MySQL', 'SQLServer'];
const LANGUAGES = ['Java', 'Go', 'TypeScript', 'Python', 'C#'];
const WORDS = ['order', 'billing', 'catalog', 'payment', 'customer', 'ledger', 'search', 'pricing', 'stock', 'shipping',
  'identity', 'notify', 'report', 'invoice', 'loyalty', 'fraud', 'quote', 'claims', 'hr', 'payroll'];

/** Builds the whole estate from `seed`. */
/**
 * `IMPACT_ESTATE_COPIES` (default 1) regions of the estate: 10 give about 1,000,000 CIs and 3,000,000 relationships of
 * the same shape. Region 1 is the 100,000-CI estate itself, and the measured starts are its own, so their answers are
 * those of the small estate while the database around them is ten times larger. The other regions prefix names and
 * identifying values with `r<n>-`, so no two CIs claim the same identity.
 */
export function estateCopies(): number {
  const n = Number(process.env.IMPACT_ESTATE_COPIES ?? 1);
  if (!Number.isInteger(n) || n < 1 || n > 50) throw new Error(`IMPACT_ESTATE_COPIES must be an integer from 1 to 50, got '${process.env.IMPACT_ESTATE_COPIES}'`);
  return n;
}

export function generateImpactEstate(catalog: Catalog, seed = IMPACT_SEED, copies = estateCopies()): ImpactEstate {
  const first = generateRegion(catalog, seed, '');
  for (let r = 2; r <= copies; r++) {
    const region = generateRegion(catalog, seed + r, `r${r}-`);
    for (const ci of region.cis) first.cis.push(ci);
    for (const rel of region.relationships) first.relationships.push(rel);
  }
  return first;
}

function generateRegion(catalog: Catalog, seed: number, prefix: string): ImpactEstate {
  const rnd = new Random(mulberry32(seed));
  const S = ESTATE_SIZE;
  const teamNames = Array.from({ length: S.teams }, (_, i) => `${prefix}team-${WORDS[i % WORDS.length]}-${pad(i + 1, 2)}`);
  const b = new EstateBuilder(catalog, new Random(mulberry32(seed ^ 0x5bd1e995)), () => rnd.pick(teamNames), ESTATE_CREATED_AT, prefix);
  const teams = teamNames.map((name) => b.ci('Team', name, { email: `${name}@bench.example`, chatChannel: `#${name}` }));
  const owned = (id: string) => b.rel(id, 'OWNED_BY', rnd.pick(teams));

  // --- Datacenters: a redundant core, racks with a top-of-rack switch pair, hypervisors, datastores, VMs.
  const vmsByDc: string[][] = [];
  const racksByDc: string[][] = [];
  const torByRack = new Map<string, [string, string]>();
  const coreSwitches: string[] = [];
  const hypervisors: string[] = [];
  let ip = 0;
  const nextIp = (net: number) => {
    ip++;
    return `10.${net}.${(ip >> 8) & 255}.${ip & 255}`;
  };
  for (const [d, code] of DC_CODES.entries()) {
    const dc = b.ci('Datacenter', code.toUpperCase(), { siteCode: code.toUpperCase(), city: DC_CITIES[d][0], country: DC_CITIES[d][1], tier: 3 });
    const racks = Array.from({ length: S.racksPerDc }, (_, r) => {
      const rack = b.ci('Rack', `${code}-rack-${pad(r + 1, 2)}`, { rackUnits: 42, row: String.fromCharCode(65 + (r % 4)) });
      b.rel(rack, 'LOCATED_IN', dc);
      return rack;
    });
    racksByDc.push(racks);
    const network = (cls: string, name: string, rack: string, extra: Record<string, unknown>) => {
      const id = b.ci(cls, name, { hostname: name, managementIp: nextIp(250), serialNumber: `NET-${name.toUpperCase()}`, vendor: 'Arista', ...extra });
      b.rel(id, 'LOCATED_IN', rack);
      owned(id);
      return id;
    };
    const firewalls = [1, 2].map((i) => network('Firewall', `${code}-fw-${pad(i, 2)}`, racks[i - 1], { vendor: 'Palo Alto', haMode: 'active-passive' }));
    const routers = [1, 2].map((i) => network('Router', `${code}-rtr-${pad(i, 2)}`, racks[i - 1], { vendor: 'Juniper', asn: 65000 + d }));
    const racksPerFabric = S.racksPerDc / S.fabricsPerDc;
    const fabrics = Array.from({ length: S.fabricsPerDc }, (_, f) =>
      [1, 2].map((i) => network('Switch', `${code}-f${f + 1}-core-${i}`, racks[f * racksPerFabric + i - 1], { layer: 3, portCount: 64 })));
    const cores = fabrics.flat();
    coreSwitches.push(...cores);
    // Each layer is dual-homed to the layer above: losing one uplink degrades, losing both takes it down.
    for (const r of routers) {
      for (const f of firewalls) b.rel(r, 'CONNECTS_TO', f);
      b.redundancy(r, quorumOf('CONNECTS_TO', 1));
    }
    for (const c of cores) {
      for (const r of routers) b.rel(c, 'CONNECTS_TO', r);
      b.redundancy(c, quorumOf('CONNECTS_TO', 1));
    }
    const dcHypervisors: string[] = [];
    for (const [r, rack] of racks.entries()) {
      const tor = [1, 2].map((i) => {
        const sw = network('Switch', `${code}-r${pad(r + 1, 2)}-tor-${i}`, rack, { layer: 2, portCount: 48 });
        for (const c of fabrics[Math.floor(r / racksPerFabric)]) b.rel(sw, 'CONNECTS_TO', c);
        b.redundancy(sw, quorumOf('CONNECTS_TO', 1));
        return sw;
      }) as [string, string];
      torByRack.set(rack, tor);
      for (let h = 0; h < S.hypervisorsPerRack; h++) {
        const name = `${code}-esx-${pad(r * S.hypervisorsPerRack + h + 1, 4)}`;
        const hv = b.ci('Hypervisor', name, {
          hostname: name, domain: 'bench.example', fqdn: `${name}.bench.example`, hypervisorType: 'ESXi', hypervisorVersion: '8.0.2',
          serialNumber: `HV-${code.toUpperCase()}-${pad(r * S.hypervisorsPerRack + h + 1, 5)}`, cpuCount: 64, memoryGb: 1024, osName: 'VMware ESXi', osVersion: '8.0.2',
        });
        b.rel(hv, 'LOCATED_IN', rack);
        for (const sw of tor) b.rel(hv, 'CONNECTS_TO', sw);
        b.redundancy(hv, quorumOf('CONNECTS_TO', 1));
        owned(hv);
        dcHypervisors.push(hv);
      }
    }
    hypervisors.push(...dcHypervisors);
    const datastores = Array.from({ length: S.datastoresPerDc }, (_, i) => {
      const ds = b.ci('StorageVolume', `${code}-ds-${pad(i + 1, 3)}`, { volumeId: `${code}-lun-${pad(i + 1, 4)}`, sizeGb: 32768, storageType: 'SAN', encrypted: true });
      b.rel(ds, 'LOCATED_IN', rnd.pick(racks));
      return ds;
    });
    const vms: string[] = [];
    for (const [h, hv] of dcHypervisors.entries()) {
      for (let v = 0; v < S.vmsPerHypervisor; v++) {
        const n = h * S.vmsPerHypervisor + v + 1;
        const name = `${code}-vm-${pad(n, 5)}`;
        const address = nextIp(d + 1);
        const vm = b.ci('VirtualMachine', name, {
          hostname: name, domain: 'bench.example', fqdn: `${name}.bench.example`, vmUuid: `42${b.cis.length.toString(16).padStart(30, '0')}`,
          cpuCount: rnd.pick([2, 4, 8, 16]), memoryGb: rnd.pick([8, 16, 32, 64]), osName: 'Linux', osVersion: rnd.pick(['RHEL 8.9', 'RHEL 9.3', 'Ubuntu 22.04']),
          powerState: 'poweredOn', ipAddresses: [address],
        });
        b.rel(vm, 'HOSTED_ON', hv);
        b.rel(vm, 'HOSTED_ON', datastores[(h * S.vmsPerHypervisor + v) % datastores.length]);
        owned(vm);
        const addr = b.ci('IpAddress', address, { address, ipVersion: 4, subnet: `10.${d + 1}.0.0/16` });
        b.rel(addr, 'ASSIGNED_TO', vm);
        vms.push(vm);
      }
    }
    vmsByDc.push(vms);
  }
  // VMs handed out without reuse, so a VM runs one thing (a database, a node, or a few app instances).
  const freeVms = vmsByDc.map((vms) => rnd.shuffle(vms));
  const takeVm = (d: number) => {
    const vm = freeVms[d].pop();
    if (!vm) throw new Error(`bench estate: datacenter ${d} ran out of VMs`);
    return vm;
  };

  // --- Kubernetes: one cluster per datacenter on VMs, two in cloud accounts.
  const accounts = [1, 2].map((i) => b.ci('CloudAccount', `aws-prod-${i}`, { provider: 'AWS', accountId: String(100000000000 + i * 7919) }));
  interface Cluster { id: string; nodes: string[]; namespaces: string[] }
  const clusters: Cluster[] = [];
  for (let c = 0; c < 4; c++) {
    const onPrem = c < 2;
    const cname = onPrem ? `k8s-${DC_CODES[c]}` : `eks-prod-${c - 1}`;
    const cluster = b.ci('KubernetesCluster', cname, { clusterId: `${cname}-${rnd.hex(8)}`, apiServerUrl: `https://${cname}.bench.example:6443`, kubernetesVersion: '1.29.4', provider: onPrem ? 'kubeadm' : 'EKS' });
    owned(cluster);
    b.redundancy(cluster, quorumOf('MEMBER_OF', Math.ceil(S.k8sNodesPerCluster / 2)));
    const nodes = Array.from({ length: S.k8sNodesPerCluster }, (_, n) => {
      const hostname = `${cname}-node-${pad(n + 1, 3)}`;
      const node = b.ci('KubernetesNode', hostname, { hostname, uid: rnd.hex(32), kubeletVersion: '1.29.4', nodeRole: n < 3 ? 'control-plane' : 'worker' });
      b.rel(node, 'HOSTED_ON', onPrem ? takeVm(c) : accounts[c - 2]);
      b.rel(node, 'MEMBER_OF', cluster);
      return node;
    });
    const namespaces = Array.from({ length: S.namespacesPerCluster }, (_, n) => {
      const ns = b.ci('KubernetesNamespace', `${cname}/${WORDS[n % WORDS.length]}-${pad(n + 1, 3)}`, { uid: rnd.hex(32) });
      b.rel(cluster, 'CONTAINS', ns);
      owned(ns);
      return ns;
    });
    clusters.push({ id: cluster, nodes, namespaces });
  }

  // --- Databases: instances on VMs, two databases each, a third of them replicated to the other datacenter.
  const dbInstancesByDc: string[][] = [[], []];
  for (let d = 0; d < DC_CODES.length; d++) {
    for (let i = 0; i < S.databaseInstancesPerDc; i++) {
      const engine = rnd.pick(ENGINES);
      const name = `${DC_CODES[d]}-db-${pad(i + 1, 4)}`;
      const dbi = b.ci('DatabaseInstance', name, { engine, version: '15', port: 5432, instanceName: name });
      b.rel(dbi, 'RUNS_ON', takeVm(d));
      owned(dbi);
      dbInstancesByDc[d].push(dbi);
    }
  }
  const databases: string[] = [];
  for (let d = 0; d < DC_CODES.length; d++) {
    for (const [i, dbi] of dbInstancesByDc[d].entries()) {
      for (let k = 0; k < S.databasesPerInstance; k++) {
        const db = b.ci('Database', `${WORDS[(i + k) % WORDS.length]}_${DC_CODES[d]}_${pad(i * S.databasesPerInstance + k + 1, 4)}`, { engine: 'PostgreSQL', sizeGb: rnd.int(1, 2000), containsPersonalData: rnd.chance(0.3) });
        b.rel(db, 'HOSTED_ON', dbi);
        if (rnd.chance(1 / 3)) {
          b.rel(db, 'HOSTED_ON', rnd.pick(dbInstancesByDc[1 - d]));
          b.redundancy(db, quorumOf('HOSTED_ON', 1));
        }
        owned(db);
        databases.push(db);
      }
    }
  }

  // --- Applications: half on VMs (instances in one or both datacenters), half on Kubernetes (workloads of pods).
  const apps: string[] = [];
  const vmAppInstances = new Map<string, string[]>();
  /** An application's instances or pods: they too connect to its databases. */
  const membersOf = new Map<string, string[]>();
  const appCount = S.vmApplications + S.k8sApplications;
  let podCount = 0;
  const pods: string[] = [];
  for (let a = 0; a < appCount; a++) {
    const code = `APP${pad(a + 1, 4)}`;
    const name = `${WORDS[a % WORDS.length]}-${['api', 'web', 'worker', 'core', 'gateway'][a % 5]}-${pad(a + 1, 4)}`;
    const app = b.ci('Application', name, { applicationCode: code, version: `${rnd.int(1, 9)}.${rnd.int(0, 20)}.${rnd.int(0, 9)}`, language: rnd.pick(LANGUAGES) });
    owned(app);
    apps.push(app);
    const onK8s = a % 2 === 1;
    if (!onK8s) {
      const n = rnd.int(...S.instancesPerVmApp);
      const activeActive = rnd.chance(0.6);
      const home = rnd.int(0, 1);
      const instances: string[] = [];
      for (let i = 0; i < n; i++) {
        const d = activeActive ? (home + i) % 2 : home;
        const ai = b.ci('ApplicationInstance', `${name}#${i + 1}`, { port: 8080 + (i % 10), installPath: `/opt/${name}`, version: '1.0.0' });
        b.rel(ai, 'RUNS_ON', takeVm(d));
        b.rel(ai, 'MEMBER_OF', app);
        instances.push(ai);
      }
      b.redundancy(app, quorumOf('MEMBER_OF', Math.ceil(n / 2)));
      vmAppInstances.set(app, instances);
      membersOf.set(app, instances);
    } else {
      const c = rnd.int(0, clusters.length - 1);
      const cluster = clusters[c];
      const ns = rnd.pick(cluster.namespaces);
      const workloads = rnd.int(...S.workloadsPerK8sApp);
      const members: string[] = [];
      for (let w = 0; w < workloads; w++) {
        const kind = w === 0 ? 'Deployment' : rnd.pick(['Deployment', 'StatefulSet']);
        const replicas = rnd.int(...S.replicasPerWorkload);
        const wname = `${name}-${['server', 'worker', 'cache'][w]}`;
        const wl = b.ci('KubernetesWorkload', wname, { kind, replicas, uid: rnd.hex(32), image: `registry.bench.example/${name}:${rnd.int(1, 50)}` });
        b.rel(ns, 'CONTAINS', wl);
        b.rel(app, 'RUNS_ON', wl);
        owned(wl);
        for (let p = 0; p < replicas; p++) {
          const podIp = `100.${64 + c}.${(podCount >> 8) & 255}.${podCount & 255}`;
          const pod = b.ci('KubernetesPod', `${wname}-${rnd.hex(10)}-${rnd.hex(5)}`, { uid: rnd.hex(32), phase: 'Running', podIp, restartCount: rnd.int(0, 3) });
          podCount++;
          b.rel(wl, 'CONTAINS', pod);
          b.rel(pod, 'RUNS_ON', rnd.pick(cluster.nodes));
          b.rel(pod, 'MEMBER_OF', app);
          const addr = b.ci('IpAddress', podIp, { address: podIp, ipVersion: 4, subnet: `100.${64 + c}.0.0/16` });
          b.rel(addr, 'ASSIGNED_TO', pod);
          pods.push(pod);
          members.push(pod);
        }
      }
      b.redundancy(app, quorumOf('MEMBER_OF', Math.ceil(members.length / 2)));
      membersOf.set(app, members);
    }
  }
  // Each application uses one or two databases (and so do each of its instances or pods, as discovery
  // sees their connections), and up to three applications of a lower tier (higher index), so the
  // DEPENDS_ON graph has no cycle. Instances and pods belong to the application's team.
  for (const [a, app] of apps.entries()) {
    const team = rnd.pick(teams);
    for (const member of membersOf.get(app)!) b.rel(member, 'OWNED_BY', team);
    for (const db of rnd.sample(databases, rnd.int(1, 2))) {
      b.rel(app, 'DEPENDS_ON', db);
      for (const member of membersOf.get(app)!) b.rel(member, 'DEPENDS_ON', db);
    }
    const lower = apps.length - a - 1;
    if (lower > 0) for (const dep of new Set(Array.from({ length: rnd.int(0, 3) }, () => apps[a + 1 + rnd.int(0, lower - 1)]))) b.rel(app, 'DEPENDS_ON', dep);
  }

  // --- Load balancers in front of some VM applications: their instances are the pool members.
  const frontEnds: string[] = [];
  const lbOfApp = new Map<string, string>();
  const vmApps = [...vmAppInstances.keys()];
  for (let d = 0; d < DC_CODES.length; d++) {
    for (let i = 0; i < S.loadBalancersPerDc; i++) {
      const name = `${DC_CODES[d]}-lb-${pad(i + 1, 3)}`;
      const lb = b.ci('LoadBalancer', name, { vip: `10.${d + 1}.200.${i + 1}`, port: 443, algorithm: 'round-robin', fqdn: `${name}.bench.example` });
      const rack = rnd.pick(racksByDc[d]);
      b.rel(lb, 'LOCATED_IN', rack);
      for (const sw of torByRack.get(rack)!) b.rel(lb, 'CONNECTS_TO', sw);
      b.redundancy(lb, JSON.stringify([{ type: 'CONNECTS_TO', quorum: 1 }, { type: 'MEMBER_OF', quorum: 1 }]));
      owned(lb);
      const app = vmApps[(d * S.loadBalancersPerDc + i) * 2 % vmApps.length];
      for (const ai of vmAppInstances.get(app)!) b.rel(ai, 'MEMBER_OF', lb);
      lbOfApp.set(app, lb);
      frontEnds.push(app);
    }
  }

  // --- Services: technical services on a few applications, business services on front ends, applications and technical services.
  const tiers = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
  const technical = Array.from({ length: S.technicalServices }, (_, i) => {
    const ts = b.ci('TechnicalService', `${['identity', 'messaging', 'dns', 'secrets', 'observability', 'cache'][i % 6]}-service-${pad(i + 1, 2)}`,
      { serviceCode: `TS${pad(i + 1, 3)}`, serviceLevel: 'gold' }, { criticality: tiers[i % 2] });
    for (const app of rnd.sample(apps.slice(1000), rnd.int(2, 5))) b.rel(ts, 'DEPENDS_ON', app);
    owned(ts);
    return ts;
  });
  for (let i = 0; i < S.businessServices; i++) {
    const bs = b.ci('BusinessService', `${WORDS[i % WORDS.length]} ${['online', 'backoffice', 'partner'][i % 3]} ${pad(i + 1, 2)}`,
      { serviceCode: `BS${pad(i + 1, 3)}`, serviceLevel: rnd.pick(['gold', 'silver', 'bronze']), businessOwner: `owner-${i + 1}@bench.example` }, { criticality: tiers[i % 4] });
    const fronts = frontEnds.slice(i * 4, i * 4 + 4);
    for (const app of fronts) b.rel(bs, 'DEPENDS_ON', lbOfApp.get(app)!);
    for (const app of new Set([...fronts, ...rnd.sample(apps.slice(0, 600), rnd.int(6, 14))])) b.rel(bs, 'DEPENDS_ON', app);
    for (const ts of rnd.sample(technical, rnd.int(0, 2))) b.rel(bs, 'DEPENDS_ON', ts);
    owned(bs);
  }

  // --- Where the measured questions start: five of each kind, spread over the estate.
  const byId = new Map(b.cis.map((c) => [c.id, c]));
  const start = (kind: StartKind, id: string): ImpactStart => ({ kind, id, name: String(byId.get(id)!.props.name) });
  const spread = (items: string[], k: number) => Array.from({ length: k }, (_, i) => items[Math.floor(((i + 0.5) * items.length) / k)]);
  const starts = [
    ...spread(coreSwitches, 5).map((id) => start('coreSwitch', id)),
    ...spread(hypervisors, 5).map((id) => start('host', id)),
    ...spread([...dbInstancesByDc[0], ...dbInstancesByDc[1]], 5).map((id) => start('database', id)),
    ...spread(pods, 5).map((id) => start('pod', id)),
  ];
  return { cis: b.cis, relationships: b.relationships, starts };
}

/** CIs per class and relationships per type, largest first. */
export function estateCounts(estate: ImpactEstate): { cis: Record<string, number>; relationships: Record<string, number> } {
  const count = (keys: string[]) => {
    const m = new Map<string, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  };
  return { cis: count(estate.cis.map((c) => c.class)), relationships: count(estate.relationships.map((r) => r.type)) };
}
