/**
 * AWS CLI JSON (`aws ec2 describe-instances`, `describe-vpcs`, `describe-subnets`, `elbv2 describe-load-balancers`,
 * `describe-target-groups`, `describe-target-health`, `rds describe-db-instances`), each file recognised by its
 * top-level key. The scope is the account and region (`--scope 123456789012/eu-west-1`). Instances are keyed by
 * instance id and looked up by their interfaces' MACs; they sit in their subnet, subnets in their VPC, VPCs in the
 * account; instance targets are members of their target group's load balancers, which the model makes redundant.
 *
 * `describe-target-health` does not name its target group: the file's name must contain the group's name (e.g.
 * `my-targets.target-health.json`), unless the run has a single target group.
 */
import { isIP } from 'net';
import { basename } from 'path';
import type { Readable } from 'stream';
import { Connector, ParseError, ReconcileItem, ReconcileRelationship, RecordGroup, RecordPosition, RunContext, skipped } from '../contract';
import { jsonValues } from '../json-stream';
import { loadMapping, stringTables } from '../mapping';

type Kind = 'account' | 'vpc' | 'subnet' | 'instance' | 'networkInterface' | 'ipAddress' | 'loadBalancer' | 'dbInstance';
type Link = 'accountContainsVpc' | 'vpcContainsSubnet' | 'subnetContainsInstance' | 'vpcContainsLoadBalancer' | 'vpcContainsDbInstance'
  | 'interfaceAssignedToInstance' | 'addressAssignedToInterface' | 'targetMemberOfLoadBalancer';
interface AwsMapping { classes: Record<Kind, string>; relationships: Record<Link, string> }

const KINDS: Kind[] = ['account', 'vpc', 'subnet', 'instance', 'networkInterface', 'ipAddress', 'loadBalancer', 'dbInstance'];
const LINKS: Link[] = ['accountContainsVpc', 'vpcContainsSubnet', 'subnetContainsInstance', 'vpcContainsLoadBalancer', 'vpcContainsDbInstance',
  'interfaceAssignedToInstance', 'addressAssignedToInterface', 'targetMemberOfLoadBalancer'];
const KEYS = ['Reservations', 'Vpcs', 'Subnets', 'LoadBalancers', 'TargetGroups', 'TargetHealthDescriptions', 'DBInstances'];

type Obj = Record<string, any>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const tag = (o: Obj, key: string): string | undefined => arr(o.Tags).find((t) => t.Key === key)?.Value;
const tags = (o: Obj): string[] | undefined => (arr(o.Tags).length ? arr(o.Tags).map((t) => `${t.Key}=${t.Value}`) : undefined);
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''));

export function loadAwsMapping(file?: string): AwsMapping {
  return loadMapping<AwsMapping>('aws', file, (m) => [
    ...stringTables(m, ['classes', 'relationships']),
    ...KINDS.filter((k) => !(m.classes as Record<string, unknown> | undefined)?.[k]).map((k) => `'classes.${k}' is missing`),
    ...LINKS.filter((l) => !(m.relationships as Record<string, unknown> | undefined)?.[l]).map((l) => `'relationships.${l}' is missing`),
  ]);
}

class AwsRun {
  private readonly mapping: AwsMapping;
  private readonly account: string | null;
  private readonly region: string | null;
  /** Refs already reported in this run: a VPC or subnet only referred to is reported once, by its id. */
  private readonly sent = new Set<string>();
  private readonly targetGroups = new Map<string, { name: string; loadBalancers: string[] }>();
  private readonly health: { file: string; at: string; target: Obj }[] = [];

  constructor(context: RunContext) {
    this.mapping = loadAwsMapping(context.mappingFile);
    const [account, region] = context.scope.split('/');
    this.account = /^\d{12}$/.test(account) ? account : null;
    this.region = region || null;
  }

  async *parse(input: Readable, file: string): AsyncIterable<RecordGroup> {
    let known = false;
    for await (const { path, value } of jsonValues(input, file, ['$.*.*'])) {
      const key = String(path[0]);
      if (!KEYS.includes(key)) {
        if (known) continue;
        throw new ParseError(file, `$.${key}`, `this is not AWS CLI output this connector reads (top-level key '${key}'); expected one of ${KEYS.join(', ')}`);
      }
      known = true;
      const at = `$.${key}[${path[1]}]`;
      const o = (value ?? {}) as Obj;
      if (key === 'Reservations') {
        let i = 0;
        for (const instance of arr(o.Instances)) yield this.instance(instance, { file, at: `${at}.Instances[${i++}]`, key: instance.InstanceId ?? null });
      } else if (key === 'Vpcs') yield this.vpc(o, { file, at, key: o.VpcId ?? null });
      else if (key === 'Subnets') yield this.subnet(o, { file, at, key: o.SubnetId ?? null });
      else if (key === 'LoadBalancers') yield this.loadBalancer(o, { file, at, key: o.LoadBalancerArn ?? null });
      else if (key === 'DBInstances') yield this.dbInstance(o, { file, at, key: o.DBInstanceArn ?? null });
      else if (key === 'TargetGroups') {
        if (o.TargetGroupArn) this.targetGroups.set(o.TargetGroupArn, { name: String(o.TargetGroupName ?? ''), loadBalancers: arr(o.LoadBalancerArns).map(String) });
      } else this.health.push({ file, at, target: o });
    }
    if (!known) throw new ParseError(file, 'root', `no AWS CLI result in this file; expected a top-level ${KEYS.join(', ')} list (aws ... --output json)`);
  }

  /** Target health is bound to its target group by file name once every file is read. */
  async *finish(): AsyncIterable<RecordGroup> {
    const groups = [...this.targetGroups.values()];
    for (const { file, at, target } of this.health) {
      const id = target.Target?.Id;
      const position: RecordPosition = { file, at, key: id ?? null };
      const name = basename(file);
      const matching = groups.filter((g) => g.name && name.includes(g.name)).sort((a, b) => b.name.length - a.name.length);
      const group = matching[0] ?? (groups.length === 1 ? groups[0] : undefined);
      if (!group) {
        yield skipped(position, 'TargetHealthDescriptions', `describe-target-health output does not name its target group: name the file after it (e.g. my-targets.target-health.json) and import describe-target-groups in the same run${groups.length ? ` (known: ${groups.map((g) => g.name).join(', ')})` : ''}`);
        continue;
      }
      if (typeof id !== 'string' || !id.startsWith('i-')) {
        yield skipped(position, 'Target.Id', `target '${id}' is not an EC2 instance (ip and lambda targets are not linked)`);
        continue;
      }
      const type = this.mapping.relationships.targetMemberOfLoadBalancer;
      if (!group.loadBalancers.length) yield skipped(position, 'LoadBalancerArns', `target group ${group.name} serves no load balancer`);
      else yield { position, items: [], relationships: group.loadBalancers.map((arn) => ({ from: `i:${id}`, to: `lb:${arn}`, type })), problems: [] };
    }
  }

  /** `name` null: a CI only referred to, whose name its own record gives (a new one is named by its id). */
  private item(kind: Kind, ref: string, name: string | null, nativeKey: string, attributes: Record<string, unknown>, lookup?: ReconcileItem['lookup']): ReconcileItem {
    this.sent.add(ref);
    return { ref, class: this.mapping.classes[kind], ...(name === null ? {} : { name }), sourceNativeKey: nativeKey, attributes: defined(attributes), ...(lookup?.length ? { lookup } : {}) };
  }

  /** The account as the scope names it, reported once. */
  private accountItem(items: ReconcileItem[]): string | null {
    if (!this.account) return null;
    const ref = `account:${this.account}`;
    if (!this.sent.has(ref)) items.push(this.item('account', ref, this.account, ref, { provider: 'aws', accountId: this.account }));
    return ref;
  }

  /** A VPC or subnet referred to before (or without) its own record: reported once by its id so the link holds. */
  private referred(kind: 'vpc' | 'subnet', id: string, items: ReconcileItem[], relationships: ReconcileRelationship[], vpcId?: string): string {
    const ref = `${kind}:${id}`;
    if (this.sent.has(ref)) return ref;
    if (kind === 'vpc') {
      items.push(this.item('vpc', ref, null, ref, { vpcId: id, region: this.region }));
      const account = this.accountItem(items);
      if (account) relationships.push({ from: account, to: ref, type: this.mapping.relationships.accountContainsVpc });
    } else {
      items.push(this.item('subnet', ref, null, ref, { subnetId: id }));
      if (vpcId) relationships.push({ from: this.referred('vpc', vpcId, items, relationships), to: ref, type: this.mapping.relationships.vpcContainsSubnet });
    }
    return ref;
  }

  /** The record's group: its items, and its VPC (reported by id if not yet) containing it. */
  private inVpc(position: RecordPosition, items: ReconcileItem[], ref: string, vpcId: unknown, link: Link): RecordGroup {
    const relationships: ReconcileRelationship[] = [];
    if (typeof vpcId === 'string') relationships.push({ from: this.referred('vpc', vpcId, items, relationships), to: ref, type: this.mapping.relationships[link] });
    return { position, items, relationships, problems: [] };
  }

  private vpc(o: Obj, position: RecordPosition): RecordGroup {
    if (typeof o.VpcId !== 'string') return skipped(position, 'VpcId', 'missing');
    const ref = `vpc:${o.VpcId}`;
    const items = [this.item('vpc', ref, tag(o, 'Name') ?? o.VpcId, ref, { vpcId: o.VpcId, cidrBlock: o.CidrBlock, isDefault: typeof o.IsDefault === 'boolean' ? o.IsDefault : undefined, region: this.region, tags: tags(o) })];
    const relationships: ReconcileRelationship[] = [];
    const account = this.accountItem(items);
    if (account) relationships.push({ from: account, to: ref, type: this.mapping.relationships.accountContainsVpc });
    return { position, items, relationships, problems: [] };
  }

  private subnet(o: Obj, position: RecordPosition): RecordGroup {
    if (typeof o.SubnetId !== 'string') return skipped(position, 'SubnetId', 'missing');
    const ref = `subnet:${o.SubnetId}`;
    const items = [this.item('subnet', ref, tag(o, 'Name') ?? o.SubnetId, ref, {
      subnetId: o.SubnetId, cidrBlock: o.CidrBlock, availabilityZone: o.AvailabilityZone,
      availableIpAddresses: Number.isInteger(o.AvailableIpAddressCount) ? o.AvailableIpAddressCount : undefined, tags: tags(o),
    })];
    return this.inVpc(position, items, ref, o.VpcId, 'vpcContainsSubnet');
  }

  private instance(o: Obj, position: RecordPosition): RecordGroup {
    if (typeof o.InstanceId !== 'string') return skipped(position, 'InstanceId', 'missing');
    const rel = this.mapping.relationships;
    const ref = `i:${o.InstanceId}`;
    const dns = typeof o.PrivateDnsName === 'string' && o.PrivateDnsName ? o.PrivateDnsName : undefined;
    const interfaces = arr(o.NetworkInterfaces).filter((n) => typeof n.MacAddress === 'string');
    const items: ReconcileItem[] = [this.item('instance', ref, tag(o, 'Name') ?? dns ?? o.InstanceId, ref, {
      cloudInstanceId: o.InstanceId, hostname: dns ? dns.split('.')[0] : o.InstanceId, fqdn: dns, instanceType: o.InstanceType, powerState: o.State?.Name,
      availabilityZone: o.Placement?.AvailabilityZone, imageId: o.ImageId, osName: o.PlatformDetails,
      ipAddresses: [o.PrivateIpAddress, o.PublicIpAddress].filter((a) => typeof a === 'string' && isIP(a)), tags: tags(o),
    }, interfaces.map((n) => ({ class: this.mapping.classes.networkInterface, attributes: { macAddress: String(n.MacAddress).toLowerCase() } })))];
    const relationships: ReconcileRelationship[] = [];
    const problems: RecordGroup['problems'] = [];
    if (typeof o.SubnetId === 'string') {
      relationships.push({ from: this.referred('subnet', o.SubnetId, items, relationships, o.VpcId), to: ref, type: rel.subnetContainsInstance });
    }
    for (const n of interfaces) {
      const mac = String(n.MacAddress).toLowerCase();
      const nic = `nic:${mac}`;
      items.push(this.item('networkInterface', nic, mac, `eni:${n.NetworkInterfaceId ?? mac}`, { macAddress: mac, interfaceName: n.NetworkInterfaceId }));
      relationships.push({ from: nic, to: ref, type: rel.interfaceAssignedToInstance });
      const addresses = [...arr(n.PrivateIpAddresses).map((p) => p.PrivateIpAddress), n.Association?.PublicIp, ...arr(n.Ipv6Addresses).map((a) => a.Ipv6Address)]
        .filter((a): a is string => typeof a === 'string' && a.length > 0);
      for (const address of new Set(addresses)) {
        if (!isIP(address)) {
          problems.push({ field: `NetworkInterfaces[${n.NetworkInterfaceId ?? mac}].PrivateIpAddresses`, reason: `'${address}' is not an IP address; not recorded` });
          continue;
        }
        const ip = `ip:${address}`;
        if (items.some((i) => i.ref === ip)) continue;
        items.push(this.item('ipAddress', ip, address, ip, { address, ipVersion: address.includes(':') ? 6 : 4 }));
        relationships.push({ from: ip, to: nic, type: rel.addressAssignedToInterface });
      }
    }
    return { position, items, relationships, problems };
  }

  private loadBalancer(o: Obj, position: RecordPosition): RecordGroup {
    if (typeof o.LoadBalancerArn !== 'string') return skipped(position, 'LoadBalancerArn', 'missing');
    if (typeof o.DNSName !== 'string') return skipped(position, 'DNSName', 'missing: a load balancer is reached by its DNS name');
    const ref = `lb:${o.LoadBalancerArn}`;
    const items = [this.item('loadBalancer', ref, String(o.LoadBalancerName ?? o.DNSName), ref, {
      cloudResourceId: o.LoadBalancerArn, vip: o.DNSName, fqdn: o.DNSName, scheme: o.Scheme, algorithm: o.Type,
    })];
    return this.inVpc(position, items, ref, o.VpcId, 'vpcContainsLoadBalancer');
  }

  private dbInstance(o: Obj, position: RecordPosition): RecordGroup {
    if (typeof o.DBInstanceArn !== 'string') return skipped(position, 'DBInstanceArn', 'missing');
    if (typeof o.Engine !== 'string') return skipped(position, 'Engine', 'missing');
    const ref = `db:${o.DBInstanceArn}`;
    const items = [this.item('dbInstance', ref, String(o.DBInstanceIdentifier ?? o.DBInstanceArn), ref, {
      cloudResourceId: o.DBInstanceArn, instanceName: o.DBInstanceIdentifier, engine: o.Engine, version: o.EngineVersion, instanceClass: o.DBInstanceClass,
      // Endpoint is absent while an instance is being created.
      endpoint: o.Endpoint?.Address, port: Number.isInteger(o.Endpoint?.Port) ? o.Endpoint.Port : undefined,
      multiAz: typeof o.MultiAZ === 'boolean' ? o.MultiAZ : undefined, storageGb: typeof o.AllocatedStorage === 'number' ? o.AllocatedStorage : undefined,
    })];
    return this.inVpc(position, items, ref, o.DBSubnetGroup?.VpcId, 'vpcContainsDbInstance');
  }
}

export const awsConnector: Connector = {
  name: 'aws',
  description: 'AWS CLI JSON (ec2 describe-instances/-vpcs/-subnets, elbv2 describe-load-balancers/-target-groups/-target-health, rds describe-db-instances)',
  defaultSource: 'aws',
  sourceKind: 'DISCOVERY',
  defaultScope: null,
  scopeHint: 'the account and region, e.g. --scope 123456789012/eu-west-1',
  start: (context) => new AwsRun(context),
};
