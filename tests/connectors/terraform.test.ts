/**
 * The Terraform connector on genuine states (tests/data/terraform/README.md): the v4 state file and
 * `terraform show -json`, root and child modules, and `cmdb import terraform` end to end.
 */
import { createReadStream, readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { RecordGroup } from '../../src/connectors/contract';
import { fromFiles } from '../../src/connectors/run-import';
import { terraformConnector } from '../../src/connectors/terraform/terraform.connector';
import { projectRoot } from '../../src/project-root';
import { runCli } from '../support/cli';
import { TestGraph } from '../support/graph';
import { HttpApp, useHttpApp } from '../support/http-app';
import { tempDir } from '../support/temp-dir';

const DATA = join(projectRoot(), 'tests', 'data', 'terraform');
const EC2 = join(DATA, 'ec2-vpc.tfstate');
const SHOW = join(DATA, 'vpc-module-show.json');
const THREE_TIER = join(DATA, 'three-tier.tfstate');
const tmp = tempDir('tf');

async function groups(file: string): Promise<RecordGroup[]> {
  const out: RecordGroup[] = [];
  for await (const g of fromFiles(terraformConnector, { scope: 'test' }, [{ stream: createReadStream(file), file }])) out.push(g);
  return out;
}

/** Items as `class name`, relationships as `from type to` by item name. */
async function shape(file: string) {
  const all = await groups(file);
  const names = new Map(all.flatMap((g) => g.items.map((i) => [i.ref, i.name] as const)));
  return {
    items: all.flatMap((g) => g.items.map((i) => `${i.class} ${i.name}`)).sort(),
    relationships: all.flatMap((g) => g.relationships.map((r) => `${names.get(r.from)} ${r.type} ${names.get(r.to)}`)).sort(),
    problems: all.flatMap((g) => g.problems),
    all,
  };
}

describe('parse and transform', () => {
  it('maps a v4 state\'s instance, subnet and VPC, with dependencies as containment', async () => {
    const s = await shape(EC2);
    expect(s.items).toEqual(['Subnet dev-public', 'VirtualMachine ip-10-123-1-163.ec2.internal', 'Vpc dev']);
    expect(s.relationships).toEqual(['dev CONTAINS dev-public', 'dev-public CONTAINS ip-10-123-1-163.ec2.internal']);
    expect(s.problems).toEqual([]);
    const vm = s.all.flatMap((g) => g.items).find((i) => i.class === 'VirtualMachine')!;
    expect(vm).toMatchObject({ ref: 'aws_instance.dev_node', sourceNativeKey: 'aws_instance:i-009a95bd32ccac7a7' });
    expect(vm.attributes).toEqual({
      cloudInstanceId: 'i-009a95bd32ccac7a7', hostname: 'ip-10-123-1-163', fqdn: 'ip-10-123-1-163.ec2.internal', instanceType: 't2.micro',
      availabilityZone: 'us-east-1a', imageId: 'ami-005de95e8ff495156', powerState: 'running', ipAddresses: ['10.123.1.163', '18.206.222.47'],
    });
  });

  it('reads terraform show -json with child modules and instances keyed by index', async () => {
    const s = await shape(SHOW);
    expect(s.items).toEqual([
      'Subnet ec2-secops-test-Iqyrsg-private-us-east-1a', 'Subnet ec2-secops-test-Iqyrsg-private-us-east-1b',
      'Subnet ec2-secops-test-Iqyrsg-public-us-east-1a', 'Subnet ec2-secops-test-Iqyrsg-public-us-east-1b', 'Vpc ec2-secops-test-Iqyrsg',
    ]);
    expect(s.relationships).toEqual([
      'ec2-secops-test-Iqyrsg CONTAINS ec2-secops-test-Iqyrsg-private-us-east-1a', 'ec2-secops-test-Iqyrsg CONTAINS ec2-secops-test-Iqyrsg-private-us-east-1b',
      'ec2-secops-test-Iqyrsg CONTAINS ec2-secops-test-Iqyrsg-public-us-east-1a', 'ec2-secops-test-Iqyrsg CONTAINS ec2-secops-test-Iqyrsg-public-us-east-1b',
    ]);
    expect(s.all.flatMap((g) => g.items).map((i) => i.ref)).toContain('module.vpc.aws_subnet.private[0]');
  });

  it('links each instance to the one subnet of a for_each it holds, and never reads secrets', async () => {
    const s = await shape(THREE_TIER);
    const count = (cls: string) => s.items.filter((i) => i.startsWith(`${cls} `)).length;
    expect([count('Vpc'), count('Subnet'), count('VirtualMachine'), count('LoadBalancer'), count('CloudDatabaseInstance')]).toEqual([2, 16, 4, 4, 2]);
    expect(s.relationships.filter((r) => r.includes(' CONTAINS temp-'))).toEqual([
      'pub-sub-1a CONTAINS temp-frontend-east', 'pub-sub-1a CONTAINS temp-frontend-west', 'pub-sub-2b CONTAINS temp-backend-east', 'pub-sub-2b CONTAINS temp-backend-west',
    ]);
    expect(s.relationships).toContain('myapp-db-replica DEPENDS_ON myapp-db');
    expect(JSON.stringify(s.all)).not.toContain('REDACTED');
    expect(s.problems).toEqual([]);
  });

  it('refuses other formats with the reason and position', async () => {
    const v3 = join(tmp, 'v3.tfstate');
    writeFileSync(v3, JSON.stringify({ version: 3, serial: 1, modules: [] }));
    await expect(groups(v3)).rejects.toThrow('v3.tfstate: $.version: state format version 3 is not read');
    const plan = join(tmp, 'plan.json');
    writeFileSync(plan, JSON.stringify({ format_version: '1.2', planned_values: { root_module: {} }, resource_changes: [] }));
    await expect(groups(plan)).rejects.toThrow('plan.json: $.planned_values: this is a plan, not a state');
    const truncated = join(tmp, 'truncated.tfstate');
    writeFileSync(truncated, readFileSync(THREE_TIER, 'utf8').slice(0, 50_000));
    await expect(groups(truncated)).rejects.toThrow(/truncated\.tfstate: line \d+, column \d+: the JSON document ends early/);
    await expect(groups(join(projectRoot(), 'tests', 'data', 'aws', 'describe-vpcs.json'))).rejects.toThrow('this is not a Terraform state');
  });
});

describe('cmdb import terraform, end to end', () => {
  let graph: TestGraph;
  let http: HttpApp;
  useHttpApp((g, h) => ([graph, http] = [g, h]));
  const cli = (...args: string[]) => runCli(http, http.adminToken, args);

  it('loads a state with its path as scope, then changes nothing on the same state', async () => {
    const first = await cli('import', 'terraform', THREE_TIER, '--full', '--json');
    expect(first.status).toBe(0);
    expect(first.report).toMatchObject({ scope: resolve(THREE_TIER), problems: [], totals: { created: 28, errors: 0, relationshipErrors: 0 } });
    const s = await shape(THREE_TIER);
    expect((await graph.snapshot()).nodes.map(([c, n]) => `${c} ${n}`)).toEqual(s.items);
    const again = await cli('import', 'terraform', THREE_TIER, '--full', '--json');
    expect(again.report.totals).toMatchObject({ created: 0, updated: 0, noChange: 28, relationshipsCreated: 0 });
  });

  it('a FULL run of the state without an instance marks it stale; another state\'s CIs stay', async () => {
    const other = await cli('import', 'terraform', EC2, '--scope', 'dev', '--full', '--json');
    expect(other.report.totals.created).toBe(3);
    const state = JSON.parse(readFileSync(THREE_TIER, 'utf8'));
    state.resources = state.resources.filter((r: { type: string; name: string }) => !(r.type === 'aws_instance' && r.name === 'backend_west'));
    const smaller = join(tmp, 'three-tier.tfstate');
    writeFileSync(smaller, JSON.stringify(state));
    const run = await cli('import', 'terraform', smaller, '--scope', resolve(THREE_TIER), '--full', '--json');
    expect(run.status).toBe(0);
    expect(run.report.cleanup).toMatchObject({ markedStale: 1 });
    const stale = await graph.client.read("MATCH (c:CI) WHERE c.lifecycleStatus = 'STALE' RETURN c.name AS n");
    expect(stale.records.map((r) => r.get('n'))).toEqual(['temp-backend-west']);
  });

  it('fails a truncated state without touching the graph', async () => {
    const before = await graph.snapshot();
    const bad = await cli('import', 'terraform', join(tmp, 'truncated.tfstate'), '--scope', 'dev', '--full');
    expect(bad.status).toBe(1);
    expect(bad.out).toMatch(/the JSON document ends early[\s\S]*nothing was cleaned up/);
    expect(await graph.snapshot()).toEqual(before);
  });
});
