/**
 * Kubernetes (`kubectl get nodes,namespaces,deployments,statefulsets,daemonsets,replicasets,pods,services -A -o json`,
 * a `List`, typed lists such as `kubectl cluster-info dump` writes, or single objects; one or several files). The
 * cluster is the run's scope. Objects are identified by their uid; structure follows mapping.yaml: the cluster
 * contains its namespaces, owners (ownerReferences) contain what they own, pods run on their nodes, nodes are
 * hosted on their cloud VM (spec.providerID), and pods are members of the services whose selector matches them.
 */
import type { Readable } from 'stream';
import { Connector, ParseError, ReconcileItem, ReconcileRelationship, RecordGroup, RecordPosition, RunContext, skipped } from '../contract';
import { jsonValues } from '../json-stream';
import { loadMapping, stringTables } from '../mapping';

interface KubernetesMapping {
  classByKind: Record<string, string>;
  relationships: Record<'clusterContainsNamespace' | 'namespaceContains' | 'ownerContains' | 'podRunsOnNode' | 'nodeMemberOfCluster' | 'nodeHostedOnVm' | 'podMemberOfService', string>;
  vmIdByProvider: Record<string, 'lastSegment' | 'withoutScheme'>;
}

type Obj = Record<string, any>;
const LINKS = ['clusterContainsNamespace', 'namespaceContains', 'ownerContains', 'podRunsOnNode', 'nodeMemberOfCluster', 'nodeHostedOnVm', 'podMemberOfService'];
const CLUSTER = 'cluster';

export function loadKubernetesMapping(file?: string): KubernetesMapping {
  return loadMapping<KubernetesMapping>('kubernetes', file, (m) => [
    ...stringTables(m, ['classByKind', 'relationships', 'vmIdByProvider']),
    ...LINKS.filter((l) => !(m.relationships as Record<string, unknown> | undefined)?.[l]).map((l) => `'relationships.${l}' is missing`),
    ...Object.entries((m.vmIdByProvider ?? {}) as Record<string, string>).filter(([, v]) => v !== 'lastSegment' && v !== 'withoutScheme')
      .map(([k]) => `'vmIdByProvider.${k}' must be lastSegment or withoutScheme`),
  ]);
}

const ns = (name: string) => `ns:${name}`;
const byUid = (uid: string) => `uid:${uid}`;
const node = (name: string) => `node:${name}`;

/** Labels of a pod, by namespace, kept so that services can be matched once every file is read. */
interface PodIndexEntry { ref: string; labels: Record<string, string> }

class KubernetesRun {
  private readonly mapping: KubernetesMapping;
  private clusterSent = false;
  private readonly namespacesSent = new Set<string>();
  private readonly pods = new Map<string, PodIndexEntry[]>();
  private readonly services: { ref: string; namespace: string; selector: Record<string, string>; position: RecordPosition }[] = [];

  constructor(private readonly context: RunContext) {
    this.mapping = loadKubernetesMapping(context.mappingFile);
  }

  async *parse(input: Readable, file: string): AsyncIterable<RecordGroup> {
    let listKind: string | null = null;
    let sawList = false;
    const single: Obj = {};
    for await (const { path, value } of jsonValues(input, file, ['$.kind', '$.items.*', '$.apiVersion', '$.metadata', '$.spec', '$.status'])) {
      if (path.length === 1) {
        single[path[0] as string] = value;
        if (path[0] === 'kind' && typeof value === 'string') listKind = value;
        continue;
      }
      sawList = true;
      const object = value as Obj;
      const kind = object?.kind ?? (listKind?.endsWith('List') && listKind !== 'List' ? listKind.slice(0, -4) : null);
      yield* this.object(object, kind, { file, at: `items[${path[1]}]`, key: null });
    }
    if (sawList) return;
    if (single.metadata && typeof single.kind === 'string' && !single.kind.endsWith('List')) {
      yield* this.object(single, single.kind, { file, at: '$', key: null });
      return;
    }
    if (typeof single.kind === 'string' && single.kind.endsWith('List')) return; // an empty list
    throw new ParseError(file, 'root', 'this is not Kubernetes JSON (no kind, items or metadata at the top); run kubectl get ... -o json');
  }

  async *finish(): AsyncIterable<RecordGroup> {
    const type = this.mapping.relationships.podMemberOfService;
    for (const svc of this.services) {
      const members = (this.pods.get(svc.namespace) ?? []).filter((p) => Object.entries(svc.selector).every(([k, v]) => p.labels[k] === v));
      if (members.length) yield { position: svc.position, items: [], relationships: members.map((p) => ({ from: p.ref, to: svc.ref, type })), problems: [] };
    }
  }

  private *object(o: Obj, kind: string | null, position: RecordPosition): Iterable<RecordGroup> {
    const meta = o?.metadata ?? {};
    position.key = meta.namespace ? `${kind ?? '?'} ${meta.namespace}/${meta.name}` : `${kind ?? '?'} ${meta.name ?? '?'}`;
    if (!kind) return yield skipped(position, 'kind', 'the object has no kind and its list does not name one');
    const cls = this.mapping.classByKind[kind];
    if (!cls) return yield skipped(position, 'kind', `kind ${kind} is not in the mapping (classByKind); it was skipped`);
    if (typeof meta.uid !== 'string' || !meta.uid) return yield skipped(position, 'metadata.uid', 'missing: objects are identified by their uid');
    if (typeof meta.name !== 'string' || !meta.name) return yield skipped(position, 'metadata.name', 'missing');
    const rel = this.mapping.relationships;
    const items: ReconcileItem[] = [];
    const relationships: ReconcileRelationship[] = [];
    if (!this.clusterSent) {
      this.clusterSent = true;
      items.push({ ref: CLUSTER, class: 'KubernetesCluster', name: this.context.scope, sourceNativeKey: `cluster:${this.context.scope}`, attributes: { clusterId: this.context.scope } });
    }
    const spec = o.spec ?? {};
    const status = o.status ?? {};
    const labels = meta.labels && typeof meta.labels === 'object' ? meta.labels as Record<string, string> : undefined;
    const ref = kind === 'Node' ? node(meta.name) : kind === 'Namespace' ? ns(meta.name) : byUid(meta.uid);
    // Namespaces are keyed by name: the same one is reported implicitly (seen in an object) or as a Namespace object.
    const base = { ref, class: cls, name: String(meta.name), sourceNativeKey: kind === 'Namespace' ? `Namespace:${meta.name}` : `${kind}:${meta.uid}` };

    if (kind === 'Node') {
      const roles = Object.keys(labels ?? {}).filter((l) => l.startsWith('node-role.kubernetes.io/')).map((l) => l.slice('node-role.kubernetes.io/'.length));
      const role = roles[0] ?? labels?.['kubernetes.io/role'];
      items.push({ ...base, attributes: { uid: meta.uid, hostname: meta.name, ...(status.nodeInfo?.kubeletVersion ? { kubeletVersion: status.nodeInfo.kubeletVersion } : {}), ...(role ? { nodeRole: role } : {}) } });
      relationships.push({ from: ref, to: CLUSTER, type: rel.nodeMemberOfCluster });
      const vm = this.vmOf(spec.providerID);
      if (vm) {
        items.push({ ref: `vm:${vm}`, class: 'VirtualMachine', name: String(meta.name), sourceNativeKey: `vm:${vm}`, attributes: { cloudInstanceId: vm, hostname: meta.name } });
        relationships.push({ from: ref, to: `vm:${vm}`, type: rel.nodeHostedOnVm });
      }
      return yield { position, items, relationships, problems: [] };
    }
    if (kind === 'Namespace') {
      this.namespacesSent.add(meta.name);
      items.push({ ...base, attributes: { uid: meta.uid, ...(labels ? { labels } : {}) } });
      relationships.push({ from: CLUSTER, to: ref, type: rel.clusterContainsNamespace });
      return yield { position, items, relationships, problems: [] };
    }

    const namespace = typeof meta.namespace === 'string' ? meta.namespace : 'default';
    if (!this.namespacesSent.has(namespace)) {
      // Namespaces are often not exported (cluster-info dump): each one seen is reported, known by name in the cluster.
      this.namespacesSent.add(namespace);
      items.push({ ref: ns(namespace), class: this.mapping.classByKind.Namespace ?? 'KubernetesNamespace', name: namespace, sourceNativeKey: `Namespace:${namespace}`, attributes: {} });
      relationships.push({ from: CLUSTER, to: ns(namespace), type: rel.clusterContainsNamespace });
    }
    const owner = (Array.isArray(meta.ownerReferences) ? meta.ownerReferences as Obj[] : []).find((r) => r.controller) ?? meta.ownerReferences?.[0];
    const container = owner?.uid && this.mapping.classByKind[owner.kind] ? byUid(owner.uid) : ns(namespace);
    relationships.push({ from: container, to: ref, type: container === ns(namespace) ? rel.namespaceContains : rel.ownerContains });

    if (kind === 'Pod') {
      const restarts = (Array.isArray(status.containerStatuses) ? status.containerStatuses as Obj[] : []).reduce((n, c) => n + (Number(c.restartCount) || 0), 0);
      items.push({ ...base, attributes: { uid: meta.uid, ...(status.phase ? { phase: status.phase } : {}), ...(status.podIP ? { podIp: status.podIP } : {}), restartCount: restarts } });
      if (typeof spec.nodeName === 'string') relationships.push({ from: ref, to: node(spec.nodeName), type: rel.podRunsOnNode });
      const list = this.pods.get(namespace) ?? [];
      list.push({ ref, labels: labels ?? {} });
      this.pods.set(namespace, list);
      return yield { position, items, relationships, problems: [] };
    }
    if (kind === 'Service') {
      const selector = spec.selector && typeof spec.selector === 'object' ? spec.selector as Record<string, string> : null;
      const ports = (Array.isArray(spec.ports) ? spec.ports as Obj[] : []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}${p.name ? ` ${p.name}` : ''}`);
      items.push({ ...base, attributes: { uid: meta.uid, ...(spec.type ? { serviceType: spec.type } : {}), ...(spec.clusterIP ? { clusterIp: spec.clusterIP } : {}), ...(ports.length ? { ports } : {}), ...(selector ? { selector } : {}) } });
      // A service without a selector (the API server's, external endpoints) selects no pods.
      if (selector && Object.keys(selector).length) this.services.push({ ref, namespace, selector, position: { ...position } });
      return yield { position, items, relationships, problems: [] };
    }
    const template = spec.template?.spec ?? spec.jobTemplate?.spec?.template?.spec;
    const image = Array.isArray(template?.containers) ? template.containers[0]?.image : undefined;
    items.push({ ...base, attributes: {
      uid: meta.uid, kind, ...(Number.isInteger(spec.replicas) ? { replicas: spec.replicas } : {}), ...(image ? { image } : {}), ...(labels ? { labels } : {}),
    } });
    yield { position, items, relationships, problems: [] };
  }

  /** The VM's cloudInstanceId from a node's spec.providerID, per vmIdByProvider. */
  private vmOf(providerId: unknown): string | null {
    if (typeof providerId !== 'string') return null;
    const m = /^([a-z0-9-]+):\/\/\/?(.+)$/.exec(providerId);
    if (!m) return null;
    const how = this.mapping.vmIdByProvider[m[1]];
    if (!how) return null;
    return how === 'lastSegment' ? m[2].split('/').filter(Boolean).pop() ?? null : m[2];
  }
}

export const kubernetesConnector: Connector = {
  name: 'kubernetes',
  description: 'kubectl get ... -o json (a List, typed lists, or single objects): cluster, nodes, namespaces, workloads, pods, services',
  defaultSource: 'kubernetes',
  sourceKind: 'DISCOVERY',
  scopeHint: 'the cluster, e.g. --scope prod-fra1',
  defaultScope: null,
  start: (context) => new KubernetesRun(context),
};
