/**
 * The demo estate: a retailer with an online shop, payments and a customer portal, run from two datacenters, a
 * Kubernetes cluster and a small AWS account. Generated deterministically: every run yields the same CIs and edges.
 */
import type { Criticality } from '../../src/model/catalog.types';
import { Estate, EstateBuilder, hex, pick, serial, uuid } from './estate-kit';

export type { Estate, EstateCi, EstateRelationship } from './estate-kit';

/** The CI whose presence means the estate is already loaded (see load-estate.ts). */
export const ESTATE_MARKER = { class: 'BusinessService', nameContains: 'Online Shop' } as const;

const TEAMS = {
  commerce: ['Commerce Engineering', 'commerce-eng'],
  payments: ['Payments Engineering', 'payments-eng'],
  portal: ['Customer Experience', 'cx-eng'],
  identity: ['Identity & Access', 'iam'],
  platform: ['Platform Engineering', 'platform'],
  dba: ['Database Operations', 'dba'],
  network: ['Network Operations', 'netops'],
} as const;
type TeamKey = keyof typeof TEAMS;

const SITES = [
  { code: 'fra1', city: 'Frankfurt am Main', country: 'DE', net: 10 },
  { code: 'ams1', city: 'Amsterdam', country: 'NL', net: 20 },
] as const;
type Site = (typeof SITES)[number];

const DB_CLUSTERS = [
  { key: 'pgshop', engine: 'PostgreSQL', version: '16.3', port: 5432, crit: 'CRITICAL', dbs: [['shop_catalog', 120, false], ['shop_orders', 850, true], ['shop_customers', 340, true]] },
  { key: 'pgpay', engine: 'PostgreSQL', version: '15.7', port: 5432, crit: 'CRITICAL', dbs: [['payments_tx', 1200, true], ['payments_tokens', 40, true]] },
  { key: 'oraledg', engine: 'Oracle', version: '19.22', port: 1521, crit: 'HIGH', dbs: [['LEDGER', 2600, true]] },
  { key: 'pgportal', engine: 'PostgreSQL', version: '16.3', port: 5432, crit: 'HIGH', dbs: [['portal_accounts', 210, true], ['portal_sessions', 35, false], ['keycloak', 12, true]] },
] as const;

interface AppSpec {
  key: string; name: string; code: string; team: TeamKey; language: string; version: string; crit: Criticality;
  /** Deployment: VMs (two production instances, one per site, plus one staging) or a Kubernetes workload. */
  vm?: { port: number; lb: boolean }; workload?: string; vendor?: string;
}
const APPS: AppSpec[] = [
  { key: 'shop-frontend', name: 'Shop Storefront', code: 'APP-101', team: 'commerce', language: 'TypeScript', version: '2.14.1', crit: 'CRITICAL', workload: 'storefront' },
  { key: 'catalog-service', name: 'Catalog Service', code: 'APP-102', team: 'commerce', language: 'Go', version: '1.9.4', crit: 'HIGH', workload: 'catalog-api' },
  { key: 'cart-service', name: 'Cart Service', code: 'APP-103', team: 'commerce', language: 'Go', version: '1.4.0', crit: 'HIGH', workload: 'cart-api' },
  { key: 'order-service', name: 'Order Service', code: 'APP-104', team: 'commerce', language: 'Java', version: '5.2.0', crit: 'CRITICAL', vm: { port: 8080, lb: true } },
  { key: 'search-service', name: 'Product Search', code: 'APP-105', team: 'commerce', language: 'Java', version: '3.0.7', crit: 'MEDIUM', vm: { port: 8081, lb: true } },
  { key: 'payment-gateway', name: 'Payment Gateway', code: 'APP-201', team: 'payments', language: 'Java', version: '7.1.3', crit: 'CRITICAL', vm: { port: 8443, lb: true } },
  { key: 'fraud-detection', name: 'Fraud Detection', code: 'APP-202', team: 'payments', language: 'Python', version: '2.8.0', crit: 'HIGH', vm: { port: 9000, lb: false } },
  { key: 'ledger-service', name: 'Ledger Service', code: 'APP-203', team: 'payments', language: 'Java', version: '4.4.2', crit: 'HIGH', vm: { port: 8080, lb: false } },
  { key: 'portal-web', name: 'Customer Portal Web', code: 'APP-301', team: 'portal', language: 'TypeScript', version: '6.3.0', crit: 'HIGH', workload: 'portal-web' },
  { key: 'account-service', name: 'Account Service', code: 'APP-302', team: 'portal', language: 'Kotlin', version: '3.5.1', crit: 'HIGH', vm: { port: 8080, lb: true } },
  { key: 'notification-service', name: 'Notification Service', code: 'APP-303', team: 'portal', language: 'Node.js', version: '1.12.0', crit: 'MEDIUM', workload: 'notification-worker' },
  { key: 'identity-provider', name: 'Keycloak', code: 'APP-401', team: 'identity', language: 'Java', version: '24.0.5', crit: 'CRITICAL', vm: { port: 8443, lb: true }, vendor: 'Red Hat' },
  { key: 'message-broker', name: 'Kafka', code: 'APP-501', team: 'platform', language: 'Java', version: '3.7.1', crit: 'HIGH', vm: { port: 9092, lb: false }, vendor: 'Apache Software Foundation' },
];

/** Kubernetes workloads by namespace: [name, kind, replicas, image]; a DaemonSet runs one pod per worker. */
const NAMESPACES: Record<string, [string, string, number, string][]> = {
  shop: [['storefront', 'Deployment', 3, 'shop/storefront:2.14.1'], ['catalog-api', 'Deployment', 3, 'shop/catalog-api:1.9.4'],
    ['cart-api', 'Deployment', 2, 'shop/cart-api:1.4.0'], ['cart-redis', 'StatefulSet', 2, 'redis:7.2.5']],
  portal: [['portal-web', 'Deployment', 2, 'portal/web:6.3.0'], ['notification-worker', 'Deployment', 2, 'portal/notifications:1.12.0']],
  platform: [['ingress-nginx', 'DaemonSet', 0, 'ingress-nginx/controller:v1.10.1'], ['cert-manager', 'Deployment', 1, 'jetstack/cert-manager-controller:v1.14.5']],
  monitoring: [['prometheus', 'StatefulSet', 2, 'prometheus/prometheus:v2.52.0'], ['node-exporter', 'DaemonSet', 0, 'prometheus/node-exporter:v1.8.1']],
};

export function buildEstate(): Estate {
  const b = new EstateBuilder();
  const prod = { environment: 'production' };
  const team: Record<string, string> = {};
  for (const [key, [name, handle]] of Object.entries(TEAMS)) {
    team[key] = b.ci({ ref: `team:${key}`, class: 'Team', name, attributes: { email: `${handle}@example.com`, chatChannel: `#${handle}` } });
  }
  const owned = (ref: string, t: TeamKey) => (b.rel(ref, 'OWNED_BY', team[t]), ref);
  const support = (t: TeamKey) => ({ supportGroup: TEAMS[t][0] });
  const host = (site: Site, hostname: string, os: [string, string], extra: Record<string, unknown> = {}) => {
    const domain = `${site.code}.example.net`;
    return { hostname, domain, fqdn: `${hostname}.${domain}`, osName: os[0], osVersion: os[1], ...extra };
  };
  const RHEL: [string, string] = ['Red Hat Enterprise Linux', '9.4'];
  const UBUNTU: [string, string] = ['Ubuntu', '22.04'];
  const ip = (site: Site, subnet: number, n: number) => `10.${site.net}.${subnet}.${n}`;
  const ipCi = (address: string, subnet: string, to: string) => {
    b.rel(b.ci({ ref: `ip:${address}`, class: 'IpAddress', name: address, ...prod, attributes: { address, ipVersion: 4, subnet } }), 'ASSIGNED_TO', to);
  };

  // --- Sites: datacenter, racks, core network, hypervisors, datastores --------------------------------------
  const site = new Map<string, { racks: string[]; switches: string[]; router: string; hypervisors: string[]; datastore: string; lb: string }>();
  let vmCount = 0;
  for (const s of SITES) {
    const dc = b.ci({ ref: `dc:${s.code}`, class: 'Datacenter', name: `Datacenter ${s.code.toUpperCase()}`, ...prod, criticality: 'CRITICAL',
      attributes: { siteCode: s.code.toUpperCase(), city: s.city, country: s.country, tier: 3 } });
    const racks = [1, 2, 3, 4].map((i) => {
      const ref = b.ci({ ref: `rack:${s.code}-r0${i}`, class: 'Rack', name: `${s.code.toUpperCase()}-R0${i}`, ...prod, attributes: { rackUnits: 42, row: i <= 2 ? 'A' : 'B' } });
      b.rel(ref, 'LOCATED_IN', dc);
      return ref;
    });
    const device = (cls: string, hostname: string, n: number, rack: string, attrs: Record<string, unknown>) => {
      const managementIp = ip(s, 255, n);
      const ref = b.ci({ ref: `net:${hostname}`, class: cls, name: hostname, ...prod, criticality: 'CRITICAL', ...support('network'),
        attributes: { hostname, managementIp, serialNumber: serial('NET', hostname), ...attrs } });
      b.rel(ref, 'LOCATED_IN', rack);
      ipCi(managementIp, `10.${s.net}.255.0/24`, owned(ref, 'network'));
      return ref;
    };
    const switches = [1, 2].map((i) => device('Switch', `${s.code}-core-sw0${i}`, i, racks[i - 1],
      { vendor: 'Arista', model: '7280R3', firmwareVersion: 'EOS 4.31.2F', portCount: 48, layer: 3 }));
    const router = device('Router', `${s.code}-edge-rt01`, 10, racks[0], { vendor: 'Juniper', model: 'MX204', firmwareVersion: 'Junos 23.2R1', asn: 64512 + s.net });
    const firewall = device('Firewall', `${s.code}-fw01`, 20, racks[1],
      { vendor: 'Palo Alto Networks', model: 'PA-5220', firmwareVersion: 'PAN-OS 11.1.2', ruleCount: 400 + s.net * 12, haMode: 'active-passive' });
    for (const sw of switches) b.rel(sw, 'CONNECTS_TO', router);
    b.rel(router, 'CONNECTS_TO', firewall);
    const hypervisors = [1, 2, 3].map((i) => {
      const hostname = `${s.code}-esx0${i}`;
      const ref = b.ci({ ref: `hv:${hostname}`, class: 'Hypervisor', name: hostname, ...prod, criticality: 'HIGH', ...support('platform'),
        lifecycleStatus: s.code === 'ams1' && i === 3 ? 'IN_MAINTENANCE' : 'IN_USE',
        attributes: host(s, hostname, ['VMware ESXi', '8.0.2'], { cpuCount: 64, memoryGb: 1024, ipAddresses: [ip(s, 1, 10 + i)],
          serialNumber: serial('CZJ', hostname), manufacturer: 'Dell', model: 'PowerEdge R750', hypervisorType: 'VMware ESXi', hypervisorVersion: '8.0 U2' }) });
      b.rel(ref, 'LOCATED_IN', racks[1 + (i % 3)]);
      b.rel(b.redundant(ref, 'CONNECTS_TO', 1), 'CONNECTS_TO', switches); // dual-homed: one core switch suffices
      return owned(ref, 'platform');
    });
    const datastore = b.ci({ ref: `vol:${s.code}-vsan`, class: 'StorageVolume', name: `${s.code}-vsan-datastore`, ...prod, criticality: 'HIGH',
      attributes: { volumeId: `vsan:${hex(s.code, 16)}`, sizeGb: 61440, storageType: 'vSAN', encrypted: true } });
    b.rel(datastore, 'LOCATED_IN', racks[2]);
    const lbName = `lb-${s.code}-01`;
    const vip = ip(s, 0, 10);
    const lb = b.ci({ ref: `lb:${s.code}`, class: 'LoadBalancer', name: lbName, ...prod, criticality: 'CRITICAL', ...support('network'),
      attributes: { vip, port: 443, algorithm: 'least-connections', fqdn: `${lbName}.${s.code}.example.net`, serialNumber: serial('F5', lbName) } });
    b.rel(lb, 'LOCATED_IN', racks[0]);
    b.rel(b.redundant(lb, 'CONNECTS_TO', 1), 'CONNECTS_TO', switches);
    b.redundant(lb, 'MEMBER_OF', 1); // a pool of application instances: up while one member is
    ipCi(vip, `10.${s.net}.0.0/24`, owned(lb, 'network'));
    site.set(s.code, { racks, switches, router, hypervisors, datastore, lb });
  }
  // The sites are independent failure domains: the WAN between them is not modelled as a dependency (each
  // router needing the other made either datacenter a single point of failure of the other).

  const physical = (cls: string, s: Site, hostname: string, rack: number, os: [string, string], attrs: Record<string, unknown>, env = prod) => {
    const at = site.get(s.code)!;
    const n = 100 + b.cis.length % 150;
    const ref = b.ci({ ref: `srv:${hostname}`, class: cls, name: hostname, ...env, criticality: 'HIGH', ...support('platform'),
      attributes: host(s, hostname, os, { cpuCount: 32, memoryGb: 256, ipAddresses: [ip(s, 2, n)], serialNumber: serial('CZ2', hostname),
        manufacturer: 'HPE', model: 'ProLiant DL380 Gen11', assetTag: `AT-${hex(hostname, 6).toUpperCase()}`, warrantyExpires: `202${7 + (n % 3)}-06-30`, ...attrs }) });
    b.rel(ref, 'LOCATED_IN', at.racks[rack]);
    b.rel(b.redundant(ref, 'CONNECTS_TO', 1), 'CONNECTS_TO', at.switches);
    return ref;
  };
  const linux = { distribution: 'RHEL', kernelVersion: '5.14.0-427.13.1.el9_4.x86_64' };
  const vm = (s: Site, hostname: string, env: string, os: [string, string], cpu: number, mem: number) => {
    const at = site.get(s.code)!;
    const ref = b.ci({ ref: `vm:${hostname}`, class: 'VirtualMachine', name: hostname, environment: env, criticality: env === 'production' ? 'HIGH' : 'LOW', ...support('platform'),
      attributes: host(s, hostname, os, { cpuCount: cpu, memoryGb: mem, ipAddresses: [ip(s, env === 'production' ? 4 : 8, 10 + (vmCount % 240))],
        vmUuid: uuid(hostname), powerState: 'poweredOn' }) });
    b.rel(ref, 'HOSTED_ON', [at.hypervisors[vmCount++ % at.hypervisors.length], at.datastore]);
    return ref;
  };

  // --- Databases: a primary in FRA1 and a standby in AMS1 per cluster, each on its own physical server -------
  const db: Record<string, string> = {};
  for (const c of DB_CLUSTERS) {
    const instances = SITES.map((s, i) => {
      const server = physical('LinuxServer', s, `${s.code}-${c.key}01`, 3, RHEL, { ...linux, memoryGb: c.engine === 'Oracle' ? 768 : 512 });
      if (c.engine === 'Oracle') {
        const lun = b.ci({ ref: `vol:lun-${c.key}-${s.code}`, class: 'StorageVolume', name: `lun-${c.key}-${s.code}-data`, ...prod, criticality: 'HIGH',
          attributes: { volumeId: `naa.6000${hex(`lun${s.code}`, 28)}`, sizeGb: 8192, storageType: 'SAN (FC)', encrypted: true } });
        b.rel(lun, 'LOCATED_IN', site.get(s.code)!.racks[3]);
        b.rel(server, 'DEPENDS_ON', lun);
      }
      const name = `${c.key}-${s.code}`;
      const ref = b.ci({ ref: `dbi:${name}`, class: 'DatabaseInstance', name, ...prod, criticality: c.crit, ...support('dba'),
        attributes: { engine: c.engine, version: c.version, port: c.port, instanceName: i === 0 ? `${c.key}_primary` : `${c.key}_standby` } });
      b.rel(ref, 'RUNS_ON', server);
      return owned(ref, 'dba');
    });
    // Each database is served by the primary or, after failover, the standby. (Replication is not a failure
    // dependency: a standby survives its primary by being promoted.)
    for (const [name, sizeGb, personal] of c.dbs) {
      db[name] = owned(b.ci({ ref: `db:${name}`, class: 'Database', name, ...prod, criticality: c.crit, ...support('dba'),
        attributes: { engine: c.engine, sizeGb, containsPersonalData: personal } }), 'dba');
      b.rel(b.redundant(db[name], 'HOSTED_ON', 1), 'HOSTED_ON', instances);
    }
  }
  const [fra1, ams1] = SITES;
  const stagingDbi = b.ci({ ref: 'dbi:pgstage-fra1', class: 'DatabaseInstance', name: 'pgstage-fra1', environment: 'staging', criticality: 'LOW', ...support('dba'),
    attributes: { engine: 'PostgreSQL', version: '16.3', port: 5432, instanceName: 'pgstage' } });
  b.rel(stagingDbi, 'RUNS_ON', vm(fra1, 'fra1-pgstg01', 'staging', RHEL, 8, 64));
  for (const name of ['shop_orders_stg', 'payments_tx_stg', 'portal_accounts_stg']) {
    const ref = b.ci({ ref: `db:${name}`, class: 'Database', name, environment: 'staging', criticality: 'LOW',
      attributes: { engine: 'PostgreSQL', sizeGb: 20, containsPersonalData: false } });
    b.rel(ref, 'HOSTED_ON', stagingDbi);
  }
  const es = [1, 2, 3].map((i) => {
    const name = `search-es-fra1-0${i}`;
    const ref = b.ci({ ref: `dbi:${name}`, class: 'DatabaseInstance', name, ...prod, criticality: 'MEDIUM', ...support('commerce'),
      attributes: { engine: 'Elasticsearch', version: '8.13.4', port: 9200, instanceName: `es-node-${i}` } });
    b.rel(ref, 'RUNS_ON', vm(fra1, `fra1-es0${i}`, 'production', UBUNTU, 8, 64));
    return owned(ref, 'commerce');
  });
  db.products = b.ci({ ref: 'db:products', class: 'Database', name: 'products', ...prod, criticality: 'MEDIUM',
    attributes: { engine: 'Elasticsearch', sizeGb: 95, containsPersonalData: false } });
  b.rel(b.redundant(db.products, 'HOSTED_ON', 2), 'HOSTED_ON', es); // an Elasticsearch quorum: two of three nodes

  // --- Kubernetes: one production cluster in FRA1 on VMs ----------------------------------------------------
  const cluster = owned(b.ci({ ref: 'k8s:prod-fra1', class: 'KubernetesCluster', name: 'k8s-prod-fra1', ...prod, criticality: 'CRITICAL', ...support('platform'),
    attributes: { clusterId: uuid('k8s-prod-fra1'), apiServerUrl: 'https://k8s-prod-fra1.fra1.example.net:6443', kubernetesVersion: '1.29.6', provider: 'kubeadm' } }), 'platform');
  const workers: string[] = [];
  b.redundant(cluster, 'MEMBER_OF', 4); // serves with any four of its seven nodes
  for (const [role, count] of [['control-plane', 3], ['worker', 4]] as const) {
    for (let i = 1; i <= count; i++) {
      const hostname = `fra1-k8s-${role === 'worker' ? 'w' : 'cp'}0${i}`;
      const node = b.ci({ ref: `k8snode:${hostname}`, class: 'KubernetesNode', name: hostname, ...prod, criticality: 'HIGH', ...support('platform'),
        attributes: { uid: uuid(`node-${hostname}`), hostname, kubeletVersion: 'v1.29.6', nodeRole: role } });
      b.rel(node, 'MEMBER_OF', cluster);
      b.rel(node, 'HOSTED_ON', vm(fra1, hostname, 'production', UBUNTU, role === 'worker' ? 16 : 4, role === 'worker' ? 64 : 16));
      if (role === 'worker') workers.push(node);
    }
  }
  const workload: Record<string, string> = {};
  let podCount = 0;
  for (const [ns, list] of Object.entries(NAMESPACES)) {
    const nsRef = b.ci({ ref: `k8sns:${ns}`, class: 'KubernetesNamespace', name: ns, ...prod,
      attributes: { uid: uuid(`ns-${ns}`), labels: { 'kubernetes.io/metadata.name': ns } } });
    b.rel(cluster, 'CONTAINS', nsRef);
    for (const [name, kind, replicas, image] of list) {
      const ref = b.ci({ ref: `k8swl:${ns}/${name}`, class: 'KubernetesWorkload', name, ...prod, criticality: ns === 'shop' ? 'HIGH' : 'MEDIUM',
        attributes: { uid: uuid(`wl-${name}`), kind, replicas: kind === 'DaemonSet' ? workers.length : replicas, image: `registry.example.com/${image}`,
          labels: { app: name, namespace: ns } } });
      b.rel(nsRef, 'CONTAINS', ref);
      workload[name] = ref;
      const pods = kind === 'DaemonSet' ? workers.length : replicas;
      const rs = hex(`rs-${name}`, 9).replace(/^\d/, 'c');
      for (let i = 0; i < pods; i++) {
        const podName = kind === 'StatefulSet' ? `${name}-${i}` : kind === 'DaemonSet' ? `${name}-${hex(`${name}${i}`, 5)}` : `${name}-${rs}-${hex(`${name}${i}`, 5)}`;
        const pod = b.ci({ ref: `k8spod:${ns}/${podName}`, class: 'KubernetesPod', name: podName, ...prod,
          attributes: { uid: uuid(`pod-${podName}`), phase: 'Running', podIp: `10.244.${1 + (podCount % 4)}.${10 + podCount}`, restartCount: pick(podName, 0, 3) } });
        b.rel(ref, 'CONTAINS', pod);
        b.rel(pod, 'RUNS_ON', workers[kind === 'DaemonSet' ? i : podCount % workers.length]);
        podCount++;
      }
    }
  }

  // --- Windows domain controllers, a tools host with containers, a small AWS account --------------------------
  const ad = owned(b.ci({ ref: 'app:active-directory', class: 'Application', name: 'Active Directory', ...prod, criticality: 'CRITICAL', ...support('identity'),
    attributes: { applicationCode: 'APP-402', vendor: 'Microsoft', version: '2022' } }), 'identity');
  b.redundant(ad, 'MEMBER_OF', 1); // one domain controller per site; either serves
  for (const s of SITES) {
    const hostname = `${s.code}-dc01`;
    const server = physical('WindowsServer', s, hostname, 2, ['Windows Server', '2022 Datacenter'], { activeDirectoryDomain: 'corp.example.net', memoryGb: 64 });
    const inst = b.ci({ ref: `inst:active-directory@${hostname}`, class: 'ApplicationInstance', name: `Active Directory @ ${hostname}`, ...prod, criticality: 'CRITICAL',
      attributes: { port: 389, installPath: 'C:\\Windows\\NTDS', version: '2022' } });
    b.rel(inst, 'RUNS_ON', server);
    b.rel(inst, 'MEMBER_OF', ad);
  }
  const tools = physical('LinuxServer', fra1, 'fra1-tools01', 2, UBUNTU, { distribution: 'Ubuntu', kernelVersion: '5.15.0-113-generic', memoryGb: 128 });
  const containers = [['grafana', 'grafana/grafana:10.4.2'], ['alertmanager', 'prom/alertmanager:v0.27.0'], ['jenkins-agent', 'jenkins/inbound-agent:3248.v65ecb_254c298-1']];
  for (const [name, image] of containers) {
    const ctr = b.ci({ ref: `ctr:${name}`, class: 'Container', name: `${name} @ fra1-tools01`, ...prod, criticality: 'LOW',
      attributes: { containerId: hex(`ctr-${name}`, 64), image, runtime: 'containerd' } });
    b.rel(owned(ctr, 'platform'), 'RUNS_ON', tools);
  }
  const aws = owned(b.ci({ ref: 'cloud:aws-dr', class: 'CloudAccount', name: 'AWS Retail DR', ...prod, criticality: 'MEDIUM', ...support('platform'),
    attributes: { provider: 'aws', accountId: String(pick('aws-dr', 100000000000, 999999999999)) } }), 'platform');
  for (const [hostname, type] of [['aws-bastion-01', 't3.small'], ['aws-backup-gw-01', 'm6i.large']]) {
    const ref = b.ci({ ref: `vm:${hostname}`, class: 'VirtualMachine', name: hostname, ...prod, criticality: 'MEDIUM', ...support('platform'),
      attributes: { hostname, domain: 'eu-central-1.compute.internal', fqdn: `${hostname}.eu-central-1.compute.internal`, osName: 'Amazon Linux', osVersion: '2023',
        cloudInstanceId: `i-0${hex(hostname, 16)}`, instanceType: type, powerState: 'running', cpuCount: 2, memoryGb: 8 } });
    const vol = b.ci({ ref: `vol:${hostname}`, class: 'StorageVolume', name: `${hostname}-root`, ...prod,
      attributes: { volumeId: `vol-0${hex(`vol${hostname}`, 16)}`, sizeGb: 100, storageType: 'gp3', encrypted: true } });
    b.rel(vol, 'HOSTED_ON', aws);
    b.rel(ref, 'HOSTED_ON', [aws, vol]);
  }

  // --- Applications: VM-based ones get instances behind the site load balancer; the rest run in Kubernetes ----
  const app: Record<string, string> = {};
  for (const a of APPS) {
    app[a.key] = owned(b.ci({ ref: `app:${a.key}`, class: 'Application', name: a.name, ...prod, criticality: a.crit, owner: `${a.key}@example.com`, ...support(a.team),
      attributes: { applicationCode: a.code, version: a.version, language: a.language, repositoryUrl: `https://git.example.com/${a.team}/${a.key}`,
        ...(a.vendor ? { vendor: a.vendor } : {}) } }), a.team);
    if (a.workload) b.rel(app[a.key], 'RUNS_ON', workload[a.workload]);
    if (!a.vm) continue;
    b.redundant(app[a.key], 'MEMBER_OF', 1); // active-active across the two sites (staging, in FRA1, never outlives both)
    const short = a.key.replace(/-/g, '').slice(0, 8);
    for (const [s, env, n] of [[fra1, 'production', 1], [ams1, 'production', 2], [fra1, 'staging', 1]] as const) {
      const hostname = `${s.code}-${short}-${env === 'staging' ? 's' : 'p'}0${n}`;
      const version = env === 'staging' ? a.version.replace(/\.(\d+)$/, (_m, p: string) => `.${Number(p) + 1}`) : a.version;
      const inst = b.ci({ ref: `inst:${a.key}@${hostname}`, class: 'ApplicationInstance', name: `${a.name} @ ${hostname}`, environment: env,
        lifecycleStatus: env === 'staging' ? 'INSTALLED' : 'IN_USE', criticality: env === 'staging' ? 'LOW' : a.crit,
        attributes: { port: a.vm.port, installPath: `/opt/${a.key}`, version } });
      b.rel(inst, 'RUNS_ON', vm(s, hostname, env, a.language === 'Python' ? UBUNTU : RHEL, 4, 16));
      b.rel(inst, 'MEMBER_OF', app[a.key]);
      if (a.vm.lb && env === 'production') b.rel(inst, 'MEMBER_OF', site.get(s.code)!.lb);
    }
  }
  b.rel(app['cart-service'], 'DEPENDS_ON', workload['cart-redis']);
  b.rel(app['identity-provider'], 'DEPENDS_ON', ad);
  const uses: [string, string[]][] = [
    ['shop-frontend', ['catalog-service', 'cart-service', 'order-service', 'search-service']], ['catalog-service', ['db:shop_catalog']],
    ['order-service', ['db:shop_orders', 'db:shop_customers', 'payment-gateway']], ['search-service', ['db:products']],
    ['payment-gateway', ['db:payments_tx', 'db:payments_tokens', 'fraud-detection', 'ledger-service']], ['fraud-detection', ['db:payments_tx']],
    ['ledger-service', ['db:LEDGER']], ['portal-web', ['account-service', 'order-service']], ['account-service', ['db:portal_accounts', 'db:portal_sessions']],
    ['identity-provider', ['db:keycloak']],
  ];
  for (const [from, tos] of uses) for (const to of tos) b.rel(app[from], 'DEPENDS_ON', to.startsWith('db:') ? to : app[to]);

  // --- Services, last: the Online Shop marker only exists once everything else is in --------------------------
  const service = (ref: string, cls: string, name: string, t: TeamKey, crit: Criticality, owner: string, attrs: Record<string, unknown>, dependsOn: string[]) => {
    const r = owned(b.ci({ ref, class: cls, name, ...prod, criticality: crit, owner, ...support(t), attributes: attrs }), t);
    b.rel(r, 'DEPENDS_ON', dependsOn);
    return r;
  };
  const sso = service('ts:identity', 'TechnicalService', 'Identity & SSO', 'identity', 'CRITICAL', 'Miriam Okafor',
    { serviceCode: 'TS-010', serviceLevel: 'Platinum 99.99%', hoursOfService: '24x7', description: 'Single sign-on (OIDC/SAML) for customers and staff' },
    [app['identity-provider'], ad]);
  const messaging = service('ts:messaging', 'TechnicalService', 'Messaging', 'platform', 'HIGH', 'Jonas Berg',
    { serviceCode: 'TS-020', serviceLevel: 'Gold 99.95%', hoursOfService: '24x7', description: 'Event streaming on Kafka' }, [app['message-broker']]);
  for (const a of ['shop-frontend', 'portal-web', 'account-service']) b.rel(app[a], 'DEPENDS_ON', sso);
  for (const a of ['order-service', 'payment-gateway', 'fraud-detection', 'notification-service', 'ledger-service']) b.rel(app[a], 'DEPENDS_ON', messaging);
  const payments = service('bs:payments', 'BusinessService', 'Payments', 'payments', 'CRITICAL', 'Daniel Hoffmann',
    { serviceCode: 'BS-002', serviceLevel: 'Platinum 99.99%', hoursOfService: '24x7', businessOwner: 'Daniel Hoffmann (Head of Payments)', revenueImpactPerHour: 120000 },
    [app['payment-gateway'], app['fraud-detection'], app['ledger-service']]);
  service('bs:customer-portal', 'BusinessService', 'Customer Portal', 'portal', 'HIGH', 'Laura Fischer',
    { serviceCode: 'BS-003', serviceLevel: 'Silver 99.9%', hoursOfService: '06:00-24:00 CET', businessOwner: 'Laura Fischer (Director Customer Care)', revenueImpactPerHour: 8000 },
    [app['portal-web'], app['account-service'], app['notification-service'], sso]);
  service('bs:online-shop', 'BusinessService', 'Online Shop', 'commerce', 'CRITICAL', 'Katrin Vogel',
    { serviceCode: 'BS-001', serviceLevel: 'Platinum 99.99%', hoursOfService: '24x7', businessOwner: 'Katrin Vogel (VP E-Commerce)', revenueImpactPerHour: 85000 },
    [app['shop-frontend'], app['catalog-service'], app['cart-service'], app['order-service'], app['search-service'], payments]);
  return b.build();
}
