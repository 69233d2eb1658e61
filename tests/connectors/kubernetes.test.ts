/**
 * The Kubernetes connector on genuine kubectl output (tests/data/kubernetes/README.md says where each file came
 * from), and `cmdb import kubernetes` end to end, from files and from standard input.
 */
import { createReadStream, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { RecordGroup } from '../../src/connectors/contract';
import { kubernetesConnector } from '../../src/connectors/kubernetes/kubernetes.connector';
import { fromFiles } from '../../src/connectors/run-import';
import { projectRoot } from '../../src/project-root';
import { runCli } from '../support/cli';
import { TestGraph } from '../support/graph';
import { HttpApp, useHttpApp } from '../support/http-app';
import { tempDir } from '../support/temp-dir';

const DATA = join(projectRoot(), 'tests', 'data', 'kubernetes');
const DUMP = join(DATA, 'aks-cluster-info-dump');
const DUMP_FILES = ['nodes.json', 'kube-system/daemonsets.json', 'kube-system/deployments.json', 'kube-system/replicasets.json',
  'kube-system/pods.json', 'kube-system/services.json', 'default/services.json', 'default/pods.json'].map((f) => join(DUMP, f));
const KOPS = join(DATA, 'kops-aws-nodes.json');
const tmp = tempDir('k8s');

/** What `kubectl get nodes,deployments,...,services -A -o json` prints for the same objects: one List, each item with its kind. */
function asKubectlList(files: string[]): string {
  const items = files.flatMap((f) => {
    const list = JSON.parse(readFileSync(f, 'utf8'));
    return list.items.map((i: Record<string, unknown>) => ({ apiVersion: list.apiVersion, kind: String(list.kind).replace(/List$/, ''), ...i }));
  });
  return JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 4);
}

async function groups(files: string[], scope = 'aks-arena'): Promise<RecordGroup[]> {
  const out: RecordGroup[] = [];
  for await (const g of fromFiles(kubernetesConnector, { scope }, files.map((f) => ({ stream: createReadStream(f), file: f })))) out.push(g);
  return out;
}

/** Every CI of the dump, as `class name`: 39 items (the two namespaces are seen in objects; the dump has no Namespace list). */
const DUMP_ITEMS = [
  'KubernetesCluster aks-arena', 'KubernetesNamespace default', 'KubernetesNamespace kube-system',
  'KubernetesNode aks-nodepool1-28869405-vmss000000', 'KubernetesPod coredns-698c77c5d7-7nnxw',
  'KubernetesPod coredns-698c77c5d7-j2dq7', 'KubernetesPod coredns-autoscaler-6d7bd69669-nmpz2',
  'KubernetesPod dashboard-metrics-scraper-867cf6588-8ljq2', 'KubernetesPod kube-proxy-qxfxq',
  'KubernetesPod kubernetes-dashboard-7f7676f7b5-65j6w', 'KubernetesPod metrics-server-6df44d5569-hx8dv',
  'KubernetesPod omsagent-n6xzh', 'KubernetesPod omsagent-rs-67cc4766df-8nnnf',
  'KubernetesPod tunnelfront-6869944cf6-j2zsk', 'KubernetesService dashboard-metrics-scraper',
  'KubernetesService healthmodel-replicaset-service', 'KubernetesService kube-dns', 'KubernetesService kubernetes',
  'KubernetesService kubernetes-dashboard', 'KubernetesService metrics-server', 'KubernetesWorkload coredns',
  'KubernetesWorkload coredns-698c77c5d7', 'KubernetesWorkload coredns-autoscaler',
  'KubernetesWorkload coredns-autoscaler-5bd7c6759b', 'KubernetesWorkload coredns-autoscaler-6d7bd69669',
  'KubernetesWorkload dashboard-metrics-scraper', 'KubernetesWorkload dashboard-metrics-scraper-867cf6588',
  'KubernetesWorkload kube-proxy', 'KubernetesWorkload kubernetes-dashboard',
  'KubernetesWorkload kubernetes-dashboard-7f7676f7b5', 'KubernetesWorkload metrics-server',
  'KubernetesWorkload metrics-server-6df44d5569', 'KubernetesWorkload metrics-server-7d654ddc8b',
  'KubernetesWorkload omsagent', 'KubernetesWorkload omsagent-rs', 'KubernetesWorkload omsagent-rs-67cc4766df',
  'KubernetesWorkload tunnelfront', 'KubernetesWorkload tunnelfront-6869944cf6',
  'VirtualMachine aks-nodepool1-28869405-vmss000000',
];
/** Every relationship, as `from type to` by name: ownerReferences, nodeName, selectors, the cluster's structure. */
const DUMP_RELATIONSHIPS = [
  'aks-arena CONTAINS default', 'aks-arena CONTAINS kube-system',
  'aks-nodepool1-28869405-vmss000000 HOSTED_ON aks-nodepool1-28869405-vmss000000',
  'aks-nodepool1-28869405-vmss000000 MEMBER_OF aks-arena', 'coredns CONTAINS coredns-698c77c5d7',
  'coredns-698c77c5d7 CONTAINS coredns-698c77c5d7-7nnxw', 'coredns-698c77c5d7 CONTAINS coredns-698c77c5d7-j2dq7',
  'coredns-698c77c5d7-7nnxw MEMBER_OF kube-dns', 'coredns-698c77c5d7-7nnxw RUNS_ON aks-nodepool1-28869405-vmss000000',
  'coredns-698c77c5d7-j2dq7 MEMBER_OF kube-dns', 'coredns-698c77c5d7-j2dq7 RUNS_ON aks-nodepool1-28869405-vmss000000',
  'coredns-autoscaler CONTAINS coredns-autoscaler-5bd7c6759b',
  'coredns-autoscaler CONTAINS coredns-autoscaler-6d7bd69669',
  'coredns-autoscaler-6d7bd69669 CONTAINS coredns-autoscaler-6d7bd69669-nmpz2',
  'coredns-autoscaler-6d7bd69669-nmpz2 RUNS_ON aks-nodepool1-28869405-vmss000000',
  'dashboard-metrics-scraper CONTAINS dashboard-metrics-scraper-867cf6588',
  'dashboard-metrics-scraper-867cf6588 CONTAINS dashboard-metrics-scraper-867cf6588-8ljq2',
  'dashboard-metrics-scraper-867cf6588-8ljq2 MEMBER_OF dashboard-metrics-scraper',
  'dashboard-metrics-scraper-867cf6588-8ljq2 RUNS_ON aks-nodepool1-28869405-vmss000000', 'default CONTAINS kubernetes',
  'kube-proxy CONTAINS kube-proxy-qxfxq', 'kube-proxy-qxfxq RUNS_ON aks-nodepool1-28869405-vmss000000',
  'kube-system CONTAINS coredns', 'kube-system CONTAINS coredns-autoscaler',
  'kube-system CONTAINS dashboard-metrics-scraper', 'kube-system CONTAINS dashboard-metrics-scraper',
  'kube-system CONTAINS healthmodel-replicaset-service', 'kube-system CONTAINS kube-dns',
  'kube-system CONTAINS kube-proxy', 'kube-system CONTAINS kubernetes-dashboard',
  'kube-system CONTAINS kubernetes-dashboard', 'kube-system CONTAINS metrics-server',
  'kube-system CONTAINS metrics-server', 'kube-system CONTAINS omsagent', 'kube-system CONTAINS omsagent-rs',
  'kube-system CONTAINS tunnelfront', 'kubernetes-dashboard CONTAINS kubernetes-dashboard-7f7676f7b5',
  'kubernetes-dashboard-7f7676f7b5 CONTAINS kubernetes-dashboard-7f7676f7b5-65j6w',
  'kubernetes-dashboard-7f7676f7b5-65j6w MEMBER_OF kubernetes-dashboard',
  'kubernetes-dashboard-7f7676f7b5-65j6w RUNS_ON aks-nodepool1-28869405-vmss000000',
  'metrics-server CONTAINS metrics-server-6df44d5569', 'metrics-server CONTAINS metrics-server-7d654ddc8b',
  'metrics-server-6df44d5569 CONTAINS metrics-server-6df44d5569-hx8dv',
  'metrics-server-6df44d5569-hx8dv MEMBER_OF metrics-server',
  'metrics-server-6df44d5569-hx8dv RUNS_ON aks-nodepool1-28869405-vmss000000', 'omsagent CONTAINS omsagent-n6xzh',
  'omsagent-n6xzh RUNS_ON aks-nodepool1-28869405-vmss000000', 'omsagent-rs CONTAINS omsagent-rs-67cc4766df',
  'omsagent-rs-67cc4766df CONTAINS omsagent-rs-67cc4766df-8nnnf',
  'omsagent-rs-67cc4766df-8nnnf MEMBER_OF healthmodel-replicaset-service',
  'omsagent-rs-67cc4766df-8nnnf RUNS_ON aks-nodepool1-28869405-vmss000000',
  'tunnelfront CONTAINS tunnelfront-6869944cf6', 'tunnelfront-6869944cf6 CONTAINS tunnelfront-6869944cf6-j2zsk',
  'tunnelfront-6869944cf6-j2zsk RUNS_ON aks-nodepool1-28869405-vmss000000',
];

const sorted = (xs: string[]) => [...xs].sort();

describe('parse and transform', () => {
  it('turns a cluster-info dump into the cluster, its node and VM, namespaces, workloads, pods and services', async () => {
    const all = await groups(DUMP_FILES);
    expect(sorted(all.flatMap((g) => g.items.map((i) => `${i.class} ${i.name}`)))).toEqual(DUMP_ITEMS);
    const byRef = new Map(all.flatMap((g) => g.items.map((i) => [i.ref, i.name] as const)));
    expect(sorted(all.flatMap((g) => g.relationships.map((r) => `${byRef.get(r.from)} ${r.type} ${byRef.get(r.to)}`)))).toEqual(DUMP_RELATIONSHIPS);
    expect(all.flatMap((g) => g.problems)).toEqual([]);
    const node = all.flatMap((g) => g.items).find((i) => i.class === 'VirtualMachine')!;
    // An Azure providerID names the VM by its resource path.
    expect(node.attributes.cloudInstanceId).toBe('subscriptions/b563ffdd-4958-409e-aedd-d614887db233/resourceGroups/mc_arena-acr-aks_arena-cluster-rbac-ad_centralus/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-28869405-vmss/virtualMachines/0');
    const pod = all.flatMap((g) => g.items).find((i) => i.name === 'coredns-698c77c5d7-7nnxw')!;
    expect(pod.attributes).toEqual({ uid: '0dc1d684-4d38-415a-9c05-2bbd09377227', phase: 'Running', podIp: '10.244.0.10', restartCount: 0 });
  });

  it('reads a List the way kubectl get -o json prints it, and names a node\'s AWS instance by its id', async () => {
    const list = join(tmp, 'list.json');
    writeFileSync(list, asKubectlList(DUMP_FILES));
    const fromList = await groups([list]);
    expect(sorted(fromList.flatMap((g) => g.items.map((i) => `${i.class} ${i.name}`)))).toEqual(DUMP_ITEMS);
    const kops = (await groups([KOPS], 'kops-eu-west-1')).flatMap((g) => g.items);
    expect(kops.filter((i) => i.class === 'VirtualMachine').map((i) => i.attributes)).toEqual([
      { cloudInstanceId: 'i-09af54f292341f816', hostname: 'ip-172-20-116-86.eu-west-1.compute.internal' },
      { cloudInstanceId: 'i-0f6e9934d66c97561', hostname: 'ip-172-20-44-207.eu-west-1.compute.internal' },
    ]);
  });

  it('reports kinds the mapping lacks and objects without a uid as problems, and fails malformed files with the position', async () => {
    const odd = join(tmp, 'odd.json');
    writeFileSync(odd, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
      { kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default', uid: 'u-1' } },
      { kind: 'Pod', metadata: { name: 'no-uid', namespace: 'default' } },
    ] }));
    expect((await groups([odd])).map((g) => [g.position.key, g.problems])).toEqual([
      ['ConfigMap default/x', [{ field: 'kind', reason: 'kind ConfigMap is not in the mapping (classByKind); it was skipped' }]],
      ['Pod default/no-uid', [{ field: 'metadata.uid', reason: 'missing: objects are identified by their uid' }]],
    ]);
    const truncated = join(tmp, 'truncated.json');
    writeFileSync(truncated, readFileSync(join(DUMP, 'kube-system/pods.json'), 'utf8').slice(0, 30_000));
    await expect(groups([truncated])).rejects.toThrow(/truncated\.json: line \d+, column \d+: the JSON document ends early/);
    await expect(groups([join(projectRoot(), 'tests', 'data', 'nmap', 'localhost-sV-O.xml')])).rejects.toThrow(/localhost-sV-O\.xml: line 1, column 1: not valid JSON: Unexpected "<"/);
    const yaml = join(tmp, 'pods.yaml');
    writeFileSync(yaml, '{"apiVersion": "v1", "data": {}}');
    await expect(groups([yaml])).rejects.toThrow(/this is not Kubernetes JSON/);
  });
});

describe('cmdb import kubernetes, end to end', () => {
  let graph: TestGraph;
  let http: HttpApp;
  useHttpApp((g, h) => ([graph, http] = [g, h]));
  const cli = (args: string[], stdin?: string) => runCli(http, http.adminToken, args, { stdin });
  const nodes = async () => (await graph.snapshot()).nodes.map(([c, n]) => `${c} ${n}`);

  it('creates the cluster from kubectl output on standard input, then finds every item unchanged', async () => {
    const args = ['import', 'kubernetes', '-', '--source', 'k8s-prod', '--scope', 'aks-arena', '--full', '--json'];
    const first = await cli(args, asKubectlList(DUMP_FILES));
    expect([first.status, first.err]).toEqual([0, '']);
    expect(first.report).toMatchObject({ status: 'SUCCEEDED', problems: [], totals: { created: 39, errors: 0, relationshipsCreated: DUMP_RELATIONSHIPS.length, relationshipErrors: 0 } });
    expect(await nodes()).toEqual(DUMP_ITEMS);
    expect((await graph.snapshot()).edges.map((e) => e.join(' '))).toEqual(DUMP_RELATIONSHIPS);

    const again = await cli(args, asKubectlList(DUMP_FILES));
    expect(again.status).toBe(0);
    expect(again.report.totals).toMatchObject({ created: 0, updated: 0, noChange: 39, errors: 0, relationshipsCreated: 0, relationshipErrors: 0 });
    expect(again.report.cleanup).toMatchObject({ markedStale: 0, relationshipsUnasserted: 0 });
  });

  it('resolves relationships across batches, whichever batch their ends land in', async () => {
    await graph.wipe();
    // Batches of 3 items: a pod's owner and node, the services' members, all land in other batches than the pod.
    const run = await cli(['import', 'kubernetes', '-', '--source', 'k8s-prod', '--scope', 'aks-arena', '--full', '--json', '--batch-size', '3'], asKubectlList(DUMP_FILES));
    expect(run.status).toBe(0);
    expect(run.report.batches).toBeGreaterThan(13);
    expect(run.report.totals).toMatchObject({ created: 39, relationshipsCreated: DUMP_RELATIONSHIPS.length, relationshipErrors: 0 });
    expect((await graph.snapshot()).edges.map((e) => e.join(' '))).toEqual(DUMP_RELATIONSHIPS);
  });

  it('a service\'s pods are redundant: one coredns pod down degrades kube-dns, both take it down', async () => {
    const id = async (name: string) => (await http.ok('query($n: String!) { cis(filter: { name: $n }) { edges { node { id redundancy { type quorum } } } } }', { n: name })).cis.edges[0].node;
    const dns = await id('kube-dns');
    expect(dns.redundancy).toEqual([{ type: 'MEMBER_OF', quorum: 1 }]);
    const severity = async (pods: string[]) => {
      const ids = await Promise.all(pods.map(async (p) => (await id(p)).id));
      const { impact } = await http.ok('query($ids: [ID!]) { impact(input: { ciIds: $ids }) { affected { ci { name } severity } } }', { ids });
      return impact.affected.find((a: { ci: { name: string } }) => a.ci.name === 'kube-dns')?.severity;
    };
    expect(await severity(['coredns-698c77c5d7-7nnxw'])).toBe('DEGRADED');
    expect(await severity(['coredns-698c77c5d7-7nnxw', 'coredns-698c77c5d7-j2dq7'])).toBe('DOWN');
  });

  it('a FULL run without a pod marks it stale and leaves other clusters alone', async () => {
    const kops = await cli(['import', 'kubernetes', KOPS, '--source', 'k8s-prod', '--scope', 'kops-eu-west-1', '--full', '--json']);
    expect(kops.status).toBe(0);
    expect(kops.report.totals).toMatchObject({ created: 5, errors: 0 }); // the cluster, two nodes, their VMs
    const withoutPod = asKubectlList(DUMP_FILES).replace('"kube-proxy-qxfxq"', '"__renamed__"');
    const list = JSON.parse(withoutPod);
    list.items = list.items.filter((i: { metadata: { name: string } }) => i.metadata.name !== '__renamed__');
    const run = await cli(['import', 'kubernetes', '-', '--source', 'k8s-prod', '--scope', 'aks-arena', '--full', '--json'], JSON.stringify(list));
    expect(run.status).toBe(0);
    expect(run.report.cleanup).toMatchObject({ markedStale: 1 });
    const stale = await graph.client.read("MATCH (c:CI) WHERE c.lifecycleStatus = 'STALE' RETURN c.name AS n");
    expect(stale.records.map((r) => r.get('n'))).toEqual(['kube-proxy-qxfxq']);
    expect((await nodes()).filter((n) => n.startsWith('KubernetesNode'))).toEqual([
      'KubernetesNode aks-nodepool1-28869405-vmss000000', 'KubernetesNode ip-172-20-116-86.eu-west-1.compute.internal', 'KubernetesNode ip-172-20-44-207.eu-west-1.compute.internal',
    ]);
  });

  it('fails a truncated or foreign file (exit 1) without loading or cleaning anything; a missing scope is a usage error', async () => {
    const before = await graph.snapshot();
    const truncated = join(tmp, 'truncated.json');
    const bad = await cli(['import', 'kubernetes', truncated, '--source', 'k8s-prod', '--scope', 'aks-arena', '--full']);
    expect(bad.status).toBe(1);
    expect(bad.out).toMatch(/FAILED[\s\S]*truncated\.json: line \d+, column \d+: the JSON document ends early \(truncated file\?\)[\s\S]*nothing was cleaned up/);
    const foreign = await cli(['import', 'kubernetes', join(projectRoot(), 'tests', 'data', 'nmap', 'lan-A-full.xml'), '--scope', 'aks-arena', '--full']);
    expect(foreign.status).toBe(1);
    expect(foreign.out).toContain('not valid JSON: Unexpected "<"');
    expect(await graph.snapshot()).toEqual(before);
    expect((await http.ok('{ syncRuns(first: 2) { status } }')).syncRuns).toEqual([{ status: 'FAILED' }, { status: 'FAILED' }]);
    const noScope = await cli(['import', 'kubernetes', KOPS]);
    expect([noScope.status, noScope.err.trim()]).toEqual([2, 'cmdb: the kubernetes connector needs --scope (the cluster, e.g. --scope prod-fra1)']);
  });

  it('refuses a discovery token for another source, and a viewer token', async () => {
    const known = (await http.ok('{ dataSources { name } }')).dataSources.map((d: { name: string }) => d.name);
    for (const name of ['scanner', 'k8s-prod'].filter((n) => !known.includes(n))) await http.ok(`mutation { registerSource(input: { name: "${name}", kind: DISCOVERY }) { name } }`);
    const other = await runCli(http, await http.token('discovery', 'scanner'), ['import', 'kubernetes', KOPS, '--source', 'k8s-prod', '--scope', 'kops-eu-west-1', '--json']);
    expect(other.status).toBe(1);
    expect(other.report.failure).toMatch(/may report only as source 'scanner', not 'k8s-prod'/);
    const viewer = await runCli(http, await http.token('viewer'), ['import', 'kubernetes', KOPS, '--source', 'k8s-prod', '--scope', 'kops-eu-west-1']);
    expect(viewer.status).toBe(1);
    expect(viewer.out).toMatch(/FAILED/);
  });
});
