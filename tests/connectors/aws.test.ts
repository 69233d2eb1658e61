/**
 * The AWS connector on the AWS CLI's documented output (tests/data/aws/README.md), and `cmdb import aws` end to end:
 * the account's network, instances, load balancers with redundant members and RDS, then AWS and Terraform reporting
 * the same instance as one CI.
 */
import { createReadStream, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { awsConnector } from '../../src/connectors/aws/aws.connector';
import { RecordGroup } from '../../src/connectors/contract';
import { fromFiles } from '../../src/connectors/run-import';
import { projectRoot } from '../../src/project-root';
import { runCli } from '../support/cli';
import { TestGraph } from '../support/graph';
import { HttpApp, useHttpApp } from '../support/http-app';
import { tempDir } from '../support/temp-dir';

const DATA = join(projectRoot(), 'tests', 'data', 'aws');
const FILES = readdirSync(DATA).filter((f) => f.endsWith('.json')).sort().map((f) => join(DATA, f));
const SCOPE = '123456789012/us-east-2';
const tmp = tempDir('aws');

async function groups(files: string[]): Promise<RecordGroup[]> {
  const out: RecordGroup[] = [];
  for await (const g of fromFiles(awsConnector, { scope: SCOPE }, files.map((f) => ({ stream: createReadStream(f), file: f })))) out.push(g);
  return out;
}

/** The documented describe-instances answer, for an instance of our choosing (the examples' ids do not line up). */
function instancesAnswer(instanceId: string, extra: (i: Record<string, any>) => void = () => undefined): string {
  const doc = JSON.parse(readFileSync(join(DATA, 'describe-instances.json'), 'utf8'));
  const instance = doc.Reservations[0].Instances[0];
  instance.InstanceId = instanceId;
  extra(instance);
  return JSON.stringify(doc);
}

const ITEMS = [
  'CloudAccount 123456789012', 'CloudDatabaseInstance test-mysql-instance', 'IpAddress 34.253.223.13', 'LoadBalancer my-load-balancer',
  'NetworkInterface 00:11:22:33:44:55', 'Subnet subnet-04a636d18e83cfacb', 'Subnet subnet-65ea5f08', 'Subnet subnet-9d4a7b6c',
  'VirtualMachine my-instance', 'Vpc MyVPC', 'Vpc vpc-1234567890abcdef0', 'Vpc vpc-2ff2ff2f', 'Vpc vpc-3ac0fb5f', 'Vpc vpc-a45db1c0', 'Vpc vpc-b61106d4',
];

describe('parse and transform', () => {
  it('recognises each file by its top-level key and maps the account\'s resources', async () => {
    const all = await groups(FILES);
    // A VPC referred to before its own record is reported by id first, then in full: one CI either way.
    const items = [...new Map(all.flatMap((g) => g.items).map((i) => [i.ref, i])).values()];
    const names = new Map(all.flatMap((g) => g.items).filter((i) => i.name).map((i) => [i.ref, i.name]));
    expect(items.map((i) => `${i.class} ${names.get(i.ref) ?? i.ref.split(':')[1]}`).sort()).toEqual(ITEMS);
    const vm = items.find((i) => i.class === 'VirtualMachine')!;
    expect(vm).toMatchObject({
      sourceNativeKey: 'i:i-1234567890abcdef0',
      attributes: { cloudInstanceId: 'i-1234567890abcdef0', hostname: 'ip-10-0-0-157', fqdn: 'ip-10-0-0-157.us-east-2.compute.internal', instanceType: 't3.nano',
        powerState: 'running', availabilityZone: 'us-east-2a', ipAddresses: ['34.253.223.13'], tags: ['Name=my-instance'] },
      lookup: [{ class: 'NetworkInterface', attributes: { macAddress: '00:11:22:33:44:55' } }],
    });
    // The documentation prints one private address as "10-0-0-157": a problem, not an IpAddress CI.
    expect(all.flatMap((g) => g.problems.map((p) => `${g.position.key} ${p.field}: ${p.reason}`))).toEqual([
      "i-1234567890abcdef0 NetworkInterfaces[eni-1234567890abcdefg].PrivateIpAddresses: '10-0-0-157' is not an IP address; not recorded",
    ]);
    const db = items.find((i) => i.class === 'CloudDatabaseInstance')!;
    // Still being created: no endpoint yet, and none is invented.
    expect(db.attributes).toEqual({ cloudResourceId: 'arn:aws:rds:us-west-2:123456789012:db:test-mysql-instance', instanceName: 'test-mysql-instance', engine: 'mysql',
      version: '5.7.22', instanceClass: 'db.t3.micro', multiAz: false, storageGb: 20 });
    const named = (ref: string) => names.get(ref) ?? (items.some((i) => i.ref === ref) ? ref.split(':')[1] : ref);
    const rels = all.flatMap((g) => g.relationships.map((r) => `${named(r.from)} ${r.type} ${named(r.to)}`));
    expect(rels).toEqual(expect.arrayContaining([
      '123456789012 CONTAINS MyVPC', 'MyVPC CONTAINS subnet-9d4a7b6c', 'subnet-04a636d18e83cfacb CONTAINS my-instance', 'vpc-3ac0fb5f CONTAINS my-load-balancer',
      'vpc-2ff2ff2f CONTAINS test-mysql-instance', '00:11:22:33:44:55 ASSIGNED_TO my-instance', '34.253.223.13 ASSIGNED_TO 00:11:22:33:44:55',
      // Target health, bound to my-targets by its file name: the targets are members of the group's load balancer.
      'i:i-ceddcd4d MEMBER_OF my-load-balancer', 'i:i-0f76fade MEMBER_OF my-load-balancer',
    ]));
  });

  it('fails a file of another command or format with its position, and names what target health lacks', async () => {
    const other = join(tmp, 'describe-volumes.json');
    writeFileSync(other, '{"Volumes": [{"VolumeId": "vol-1"}]}');
    await expect(groups([other])).rejects.toThrow("describe-volumes.json: $.Volumes: this is not AWS CLI output this connector reads (top-level key 'Volumes')");
    const truncated = join(tmp, 'instances.json');
    writeFileSync(truncated, readFileSync(join(DATA, 'describe-instances.json'), 'utf8').slice(0, 2000));
    await expect(groups([truncated])).rejects.toThrow(/instances\.json: line \d+, column \d+: the JSON document ends early/);
    const health = join(tmp, 'health.json');
    writeFileSync(health, readFileSync(join(DATA, 'my-targets.target-health.json')));
    const lone = await groups([health]);
    expect(lone.map((g) => g.problems[0].reason)).toEqual([
      'describe-target-health output does not name its target group: name the file after it (e.g. my-targets.target-health.json) and import describe-target-groups in the same run',
      'describe-target-health output does not name its target group: name the file after it (e.g. my-targets.target-health.json) and import describe-target-groups in the same run',
    ]);
  });
});

describe('cmdb import aws, end to end', () => {
  let graph: TestGraph;
  let http: HttpApp;
  useHttpApp((g, h) => ([graph, http] = [g, h]));
  const cli = (...args: string[]) => runCli(http, http.adminToken, args);

  it('loads the account, reports targets it cannot link, and finds everything unchanged the second time', async () => {
    const first = await cli('import', 'aws', ...FILES, '--scope', SCOPE, '--full', '--json');
    // The documented target-health instances are not in the documented describe-instances answer: exit 3, named.
    expect(first.status).toBe(3);
    expect(first.report.status).toBe('SUCCEEDED');
    expect(first.report.totals).toMatchObject({ created: 15, errors: 0, relationshipErrors: 0 });
    expect(first.report.problems.map((p: { key: string; reason: string }) => `${p.key}: ${p.reason}`)).toEqual([
      "i-1234567890abcdef0: '10-0-0-157' is not an IP address; not recorded",
      "i-ceddcd4d: MEMBER_OF from 'i:i-ceddcd4d' to 'lb:arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/my-load-balancer/50dc6c495c0c9188': no record of the input is 'i:i-ceddcd4d' (or it was not loaded); the relationship was not created",
      "i-0f76fade: MEMBER_OF from 'i:i-0f76fade' to 'lb:arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/my-load-balancer/50dc6c495c0c9188': no record of the input is 'i:i-0f76fade' (or it was not loaded); the relationship was not created",
    ]);
    expect((await graph.snapshot()).nodes.map(([c, n]) => `${c} ${n}`)).toEqual(ITEMS);
    const again = await cli('import', 'aws', ...FILES, '--scope', SCOPE, '--full', '--json');
    expect(again.report.totals).toMatchObject({ created: 0, updated: 0, errors: 0 });
    expect(again.report.cleanup).toMatchObject({ markedStale: 0 });
  });

  it('makes target-group members redundant members of the load balancer', async () => {
    const instances = join(tmp, 'describe-instances.json');
    writeFileSync(instances, instancesAnswer('i-0f76fade'));
    const files = [instances, ...FILES.filter((f) => /elbv2|target-health/.test(f))];
    const run = await cli('import', 'aws', ...files, '--scope', '123456789012/us-west-2', '--json');
    expect(run.report.problems.map((p: { key: string }) => p.key)).toEqual(['i-0f76fade', 'i-ceddcd4d']);
    const lb = (await http.ok('{ cis(first: 5, filter: { class: "LoadBalancer" }) { edges { node { name redundancy { type quorum } relationships(first: 10, types: ["MEMBER_OF"]) { label ci { name } } } } } }')).cis.edges[0].node;
    expect(lb).toEqual({ name: 'my-load-balancer', redundancy: [{ type: 'MEMBER_OF', quorum: 1 }], relationships: [{ label: 'HAS_MEMBER', ci: { name: 'my-instance' } }] });
  });

  it('a FULL run without a VPC marks it stale; the other scope\'s CIs stay', async () => {
    const vpcs = JSON.parse(readFileSync(join(DATA, 'describe-vpcs.json'), 'utf8'));
    vpcs.Vpcs = vpcs.Vpcs.filter((v: { VpcId: string }) => v.VpcId !== 'vpc-a45db1c0');
    const smaller = join(tmp, 'describe-vpcs.json');
    writeFileSync(smaller, JSON.stringify(vpcs));
    const files = FILES.map((f) => (f.endsWith('describe-vpcs.json') ? smaller : f));
    const run = await cli('import', 'aws', ...files, '--scope', SCOPE, '--full', '--json');
    expect(run.report.cleanup).toMatchObject({ markedStale: 1 });
    const stale = await graph.client.read("MATCH (c:CI) WHERE c.lifecycleStatus = 'STALE' RETURN c.name AS n");
    expect(stale.records.map((r) => r.get('n'))).toEqual(['vpc-a45db1c0']);
  });

  it('AWS and Terraform reporting the same instance give one CI, with both sources\' provenance', async () => {
    await graph.wipe();
    const state = join(projectRoot(), 'tests', 'data', 'terraform', 'ec2-vpc.tfstate');
    const tf = await cli('import', 'terraform', state, '--scope', 'dev', '--json');
    expect([tf.status, tf.report.totals.created]).toEqual([0, 3]);
    const instances = join(tmp, 'same-instance.json');
    writeFileSync(instances, instancesAnswer('i-009a95bd32ccac7a7', (i) => {
      i.SubnetId = 'subnet-02ca0897e947fd7fa';
      i.VpcId = 'vpc-03cfae361a77d26b4';
    }));
    const aws = await cli('import', 'aws', instances, '--scope', SCOPE, '--json');
    expect(aws.status).toBe(3); // the documented "10-0-0-157"
    const vms = (await http.ok('{ cis(first: 5, filter: { class: "VirtualMachine" }) { edges { node { name attributes history(first: 50) { edges { node { actor } } } } } } }')).cis.edges;
    expect(vms).toHaveLength(1);
    expect(vms[0].node.attributes.cloudInstanceId).toBe('i-009a95bd32ccac7a7');
    // Terraform created it; AWS, reporting the same instance id, updated it.
    expect(new Set(vms[0].node.history.edges.map((e: { node: { actor: string } }) => e.node.actor))).toEqual(new Set(['terraform', 'aws']));
    // The subnet and VPC of both are one CI each too.
    expect((await graph.snapshot()).nodes.filter(([c]) => c === 'Subnet' || c === 'Vpc')).toEqual([['Subnet', 'dev-public'], ['Vpc', 'dev']]);
  });
});
