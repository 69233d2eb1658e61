import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { ciLabels } from '../../src/graph/ci.queries';

/*
 * Identifier collisions: CIs sharing every identifier value of one rule, the rule searching its declaring class and
 * the subclasses, as identification does. The main health suite covers a one-attribute rule; these are rules of two
 * attributes, one searching several classes, one with a number, a class's own rule beside its parent's, and values that
 * only look alike.
 */

let graph: TestGraph;
let api: TestApi;

useTestApi((g, a) => ([graph, api] = [g, a]), { wipeEach: true });

async function createCis(className: string, rows: Record<string, unknown>[]): Promise<void> {
  await graph.client.write(
    `UNWIND $rows AS row CREATE (c${ciLabels(graph.catalog, className)}) SET c = row, c.class = $className, c.name = row.id, c.lifecycleStatus = 'IN_USE'`,
    { rows, className },
  );
}

const COLLISIONS = `query($class: String) { cmdbHealth(class: $class) { duplicates {
  collisionCount collisions { ruleClass identifiers values ciIds classes } byClass { class collisions }
} } }`;

it('finds CIs sharing all the values of a rule of two attributes, across the classes that inherit it, and nothing that only looks alike', async () => {
  await createCis('LinuxServer', [
    { id: 'lx-1', hostname: 'web', domain: 'a.example' },
    { id: 'lx-2', hostname: 'web', domain: 'b.example' },
    { id: 'lx-3', hostname: 'web' },
  ]);
  await createCis('VirtualMachine', [{ id: 'vm-1', hostname: 'web', domain: 'a.example' }, { id: 'vm-2', hostname: 'web', domain: 'a.example' }]);
  await createCis('LoadBalancer', [
    { id: 'lb-1', vip: '10.0.0.1', port: 443 },
    { id: 'lb-2', vip: '10.0.0.1', port: 443 },
    { id: 'lb-3', vip: '10.0.0.1', port: 80 },
  ]);
  // The same uid under two rules (a pod's, a node's) is no collision: each rule searches its own class.
  await createCis('KubernetesPod', [{ id: 'pod-1', uid: 'u-1' }]);
  await createCis('KubernetesNode', [{ id: 'node-1', uid: 'u-1' }]);

  const all = (await api.ok(COLLISIONS)).cmdbHealth.duplicates;
  expect(all.collisions).toEqual([
    { ruleClass: 'Computer', identifiers: ['hostname', 'domain'], values: ['web', 'a.example'], ciIds: ['lx-1', 'vm-1', 'vm-2'], classes: ['LinuxServer', 'VirtualMachine'] },
    { ruleClass: 'LoadBalancer', identifiers: ['vip', 'port'], values: ['10.0.0.1', '443'], ciIds: ['lb-1', 'lb-2'], classes: ['LoadBalancer'] },
    { ruleClass: 'VirtualMachine', identifiers: ['hostname', 'domain'], values: ['web', 'a.example'], ciIds: ['vm-1', 'vm-2'], classes: ['VirtualMachine'] },
  ]);
  expect(all.collisionCount).toBe(3);
  expect(all.byClass).toEqual([
    { class: 'LinuxServer', collisions: 1 }, { class: 'LoadBalancer', collisions: 1 }, { class: 'VirtualMachine', collisions: 2 },
  ]);

  // Scoped to VMs, the rules in force are the VM's own, which search VMs only: the server is no longer in a group.
  const vms = (await api.ok(COLLISIONS, { class: 'VirtualMachine' })).cmdbHealth.duplicates;
  expect(vms.collisions).toEqual([all.collisions[2]]);
  expect(vms.byClass).toEqual([{ class: 'VirtualMachine', collisions: 1 }]);
});
