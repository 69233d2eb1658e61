import { TestApi } from '../support/api';

/**
 * A small estate whose answers are known by construction:
 *
 *   Shop (BusinessService, CRITICAL) -DEPENDS_ON-> web (Application)
 *   web -DEPENDS_ON-> lb (LoadBalancer, needs 2 of its 4 MEMBER_OF members) , db (Database), sso (TechnicalService, HIGH)
 *   i1..i4 (ApplicationInstance) -MEMBER_OF-> lb ; iN -RUNS_ON-> vmN ; vm1,vm2 -HOSTED_ON-> hv1 ; vm3,vm4 -HOSTED_ON-> hv2
 *   rack -CONTAINS-> hv1 ; db -HOSTED_ON-> dbi -RUNS_ON-> srv
 *   sso -DEPENDS_ON-> ldap -DEPENDS_ON-> sso (a cycle) ; Shop -OWNED_BY-> shop-team (does not propagate)
 */
export async function buildEstate(api: TestApi, opts: { withoutSsoEdge?: boolean } = {}): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const create = async (key: string, input: Record<string, unknown>) => {
    ids[key] = (await api.ok(`mutation($input: CreateCiInput!) { createCi(input: $input) { id } }`, { input: { name: key, ...input } })).createCi.id;
  };
  await create('Shop', { class: 'BusinessService', criticality: 'CRITICAL', owner: 'Shop Team', supportGroup: 'Web Ops' });
  await create('web', { class: 'Application', supportGroup: 'Web Ops' });
  await create('lb', { class: 'LoadBalancer', attributes: { vip: '10.0.0.10' }, supportGroup: 'Network' });
  await create('db', { class: 'Database', attributes: { engine: 'postgresql' }, supportGroup: 'DBA' });
  await create('dbi', { class: 'DatabaseInstance', attributes: { engine: 'postgresql' }, supportGroup: 'DBA' });
  await create('srv', { class: 'LinuxServer', attributes: { hostname: 'srv' }, supportGroup: 'Unix' });
  await create('sso', { class: 'TechnicalService', criticality: 'HIGH', owner: 'IAM Team' });
  await create('ldap', { class: 'Application' });
  await create('rack', { class: 'Rack' });
  await create('hv1', { class: 'Hypervisor', attributes: { hostname: 'hv1', hypervisorType: 'KVM' } });
  await create('hv2', { class: 'Hypervisor', attributes: { hostname: 'hv2', hypervisorType: 'KVM' } });
  await create('shop-team', { class: 'Team' });
  for (const n of [1, 2, 3, 4]) {
    await create(`vm${n}`, { class: 'VirtualMachine', attributes: { hostname: `vm${n}` } });
    await create(`i${n}`, { class: 'ApplicationInstance' });
  }
  const relate = (from: string, type: string, to: string) =>
    api.ok(`mutation($input: RelateInput!) { relate(input: $input) { created } }`, { input: { from: ids[from], to: ids[to], type } });
  await relate('Shop', 'DEPENDS_ON', 'web');
  await relate('Shop', 'OWNED_BY', 'shop-team');
  await relate('web', 'DEPENDS_ON', 'lb');
  await relate('web', 'DEPENDS_ON', 'db');
  if (!opts.withoutSsoEdge) await relate('web', 'DEPENDS_ON', 'sso');
  await relate('db', 'HOSTED_ON', 'dbi');
  await relate('dbi', 'RUNS_ON', 'srv');
  await relate('sso', 'DEPENDS_ON', 'ldap');
  await relate('ldap', 'DEPENDS_ON', 'sso');
  await relate('rack', 'CONTAINS', 'hv1');
  for (const n of [1, 2, 3, 4]) {
    await relate(`i${n}`, 'MEMBER_OF', 'lb');
    await relate(`i${n}`, 'RUNS_ON', `vm${n}`);
    await relate(`vm${n}`, 'HOSTED_ON', n <= 2 ? 'hv1' : 'hv2');
  }
  await api.ok(`mutation($id: ID!) { setRedundancy(ciId: $id, type: "MEMBER_OF", quorum: 2) { type quorum } }`, { id: ids.lb });
  return ids;
}

export const IMPACT = `query($input: ImpactInput!) { impact(input: $input) {
  direction truncated
  failed { name }
  affected { ci { name } severity depth paths { from { name } type forward to { name } } }
  services { ci { name criticality } severity }
  countsByClass { class count down degraded }
  notify { contact role cis services }
} }`;
