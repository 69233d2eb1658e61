/**
 * Terraform state: the v4 `terraform.tfstate` file and `terraform show -json` output (root and child modules).
 * Managed resources of the types in mapping.yaml become CIs, keyed by type and provider id (an instance renamed
 * in the configuration stays the same CI); their dependencies become relationships once the whole state is read.
 * The scope is the state's workspace or path (default: the file's path). Sensitive values are never read.
 */
import { resolve } from 'path';
import type { Readable } from 'stream';
import { Connector, ParseError, ReconcileRelationship, RecordGroup, RecordPosition, RunContext, skipped } from '../contract';
import { evaluate, evaluateAll, expressionProblems, FieldExpression } from '../field-expressions';
import { jsonValues } from '../json-stream';
import { loadMapping } from '../mapping';

interface ResourceMapping { class: string; name: FieldExpression; attributes: Record<string, FieldExpression> }
interface DependencyRule { resource: string; dependsOn: string; type: string; reverse?: boolean }
interface TerraformMapping {
  resources: Record<string, ResourceMapping>;
  dependencies: DependencyRule[];
  defaultDependency: string;
  targetMemberOfLoadBalancer: string;
}

type Obj = Record<string, any>;

/** One resource instance, as either format has it. */
interface Instance { address: string; resource: string; type: string; values: Obj; dependsOn: string[]; position: RecordPosition }

export function loadTerraformMapping(file?: string): TerraformMapping {
  return loadMapping<TerraformMapping>('terraform', file, (m) => {
    const problems: string[] = [];
    const resources = m.resources as Record<string, Obj> | undefined;
    if (!resources || typeof resources !== 'object') problems.push("'resources' must map resource types to { class, name, attributes }");
    for (const [type, r] of Object.entries(resources ?? {})) {
      if (typeof r?.class !== 'string') problems.push(`'resources.${type}.class' must be a class name`);
      problems.push(...expressionProblems(`resources.${type}.name`, r?.name));
      for (const [a, e] of Object.entries((r?.attributes ?? {}) as Record<string, unknown>)) problems.push(...expressionProblems(`resources.${type}.attributes.${a}`, e));
    }
    if (!Array.isArray(m.dependencies)) problems.push("'dependencies' must be a list of { resource, dependsOn, type, reverse }");
    for (const key of ['defaultDependency', 'targetMemberOfLoadBalancer']) if (typeof m[key] !== 'string') problems.push(`'${key}' must be a relationship type (or none)`);
    return problems;
  });
}

/** `aws_subnet.prod["pub-sub-1a"]` -> `aws_subnet.prod`: dependencies name resources, not their instances. */
const resourceOf = (address: string) => address.replace(/\[[^\]]*\]$/, '');

/** Values without those the state marks sensitive (`sensitive_values` / `sensitive_attributes`). */
function withoutSensitive(values: Obj, sensitive: unknown): Obj {
  if (!sensitive || typeof sensitive !== 'object') return values;
  const out: Obj = { ...values };
  for (const [k, s] of Object.entries(sensitive as Obj)) {
    if (s === true) delete out[k];
    else if (s && typeof s === 'object' && out[k] && typeof out[k] === 'object') out[k] = Array.isArray(out[k]) ? out[k] : withoutSensitive(out[k], s);
  }
  return out;
}

/** v4 `sensitive_attributes`: paths such as [{type: get_attr, value: password}]; the top-level name is dropped. */
function dropSensitiveAttributes(values: Obj, paths: unknown): Obj {
  if (!Array.isArray(paths)) return values;
  const out: Obj = { ...values };
  for (const p of paths) if (Array.isArray(p) && p[0]?.type === 'get_attr') delete out[p[0].value];
  return out;
}

/** The string values a resource holds at its top level (subnet_id, vpc_security_group_ids...): ids it refers to. */
function referredIds(values: Obj): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(values)) {
    if (k === 'id' || k === 'arn') continue;
    if (typeof v === 'string') out.add(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.add(x);
  }
  return out;
}

class TerraformRun {
  private readonly mapping: TerraformMapping;
  /** Resource address -> refs of its mapped instances. */
  private readonly byResource = new Map<string, { ref: string; type: string }[]>();
  private readonly pendingDeps: { ref: string; type: string; dependsOn: string[]; refersTo: Set<string>; position: RecordPosition }[] = [];
  /** Resource address -> provider ids of its mapped instances, by ref. */
  private readonly idOf = new Map<string, string>();
  private readonly targetGroups = new Map<string, string[]>();
  private readonly attachments: { targetId: string; targetGroupArn: string; position: RecordPosition }[] = [];
  private readonly instanceRefs = new Map<string, string>();

  constructor(context: RunContext) {
    this.mapping = loadTerraformMapping(context.mappingFile);
  }

  async *parse(input: Readable, file: string): AsyncIterable<RecordGroup> {
    let format: 'state' | 'show' | null = null;
    const paths = ['$.version', '$.format_version', '$.planned_values', '$.resources.*', '$.values.root_module.resources.*', '$.values.root_module.child_modules.*'];
    for await (const { path, value } of jsonValues(input, file, paths)) {
      const head = path[0];
      if (head === 'version') {
        if (value !== 4) throw new ParseError(file, '$.version', `state format version ${JSON.stringify(value)} is not read; run terraform show -json, or upgrade the state with Terraform ≥ 0.12`);
        format = 'state';
      } else if (head === 'format_version') format = 'show';
      else if (head === 'planned_values') throw new ParseError(file, '$.planned_values', 'this is a plan, not a state: import terraform show -json without a plan file (the applied state)');
      else if (head === 'resources') {
        if (format !== 'state') throw new ParseError(file, '$.resources', 'a state file must start with "version": 4');
        yield* this.instances(this.fromState(value as Obj, file, `$.resources[${path[1]}]`));
      } else if (path[2] === 'resources') yield* this.instances(this.fromShow([value as Obj], file, `$.values.root_module.resources[${path[3]}]`));
      else yield* this.instances(this.fromModule(value as Obj, file, `$.values.root_module.child_modules[${path[3]}]`));
    }
    if (!format) throw new ParseError(file, 'root', 'this is not a Terraform state (no "version": 4 and no "format_version"); give terraform.tfstate or the output of terraform show -json');
  }

  async *finish(): AsyncIterable<RecordGroup> {
    for (const d of this.pendingDeps) {
      const relationships: ReconcileRelationship[] = [];
      for (const dep of d.dependsOn) {
        const all = this.byResource.get(resourceOf(dep)) ?? [];
        // A dependency names a resource; of its instances (count, for_each), those whose id the dependent holds
        // (subnet_id) are the ones it uses, else all of them.
        const named = all.filter((t) => d.refersTo.has(this.idOf.get(t.ref) ?? '\0'));
        for (const target of named.length ? named : all) {
          if (target.ref === d.ref) continue;
          const rule = this.mapping.dependencies.find((r) => r.resource === d.type && r.dependsOn === target.type);
          const type = rule ? rule.type : this.mapping.defaultDependency;
          if (type === 'none') continue;
          relationships.push(rule?.reverse ? { from: target.ref, to: d.ref, type } : { from: d.ref, to: target.ref, type });
        }
      }
      if (relationships.length) yield { position: d.position, items: [], relationships, problems: [] };
    }
    for (const a of this.attachments) {
      const instance = this.instanceRefs.get(a.targetId);
      const lbs = this.targetGroups.get(a.targetGroupArn) ?? [];
      if (!instance) {
        yield skipped(a.position, 'target_id', `target ${a.targetId} is not an aws_instance of this state; not linked`);
        continue;
      }
      const relationships = lbs.map((lb) => ({ from: instance, to: `lb:${lb}`, type: this.mapping.targetMemberOfLoadBalancer }));
      if (relationships.length) yield { position: a.position, items: [], relationships, problems: [] };
    }
  }

  private *fromState(r: Obj, file: string, at: string): Iterable<Instance> {
    if (r?.mode !== 'managed') return;
    const resource = `${r.module ? `${r.module}.` : ''}${r.type}.${r.name}`;
    let i = 0;
    for (const inst of Array.isArray(r.instances) ? r.instances as Obj[] : []) {
      const key = inst.index_key === undefined ? '' : typeof inst.index_key === 'number' ? `[${inst.index_key}]` : `[${JSON.stringify(inst.index_key)}]`;
      const address = `${resource}${key}`;
      yield {
        address, resource, type: String(r.type), values: dropSensitiveAttributes(inst.attributes ?? {}, inst.sensitive_attributes),
        dependsOn: Array.isArray(inst.dependencies) ? inst.dependencies.map(String) : [], position: { file, at: `${at}.instances[${i++}]`, key: address },
      };
    }
  }

  private *fromShow(resources: Obj[], file: string, at: string): Iterable<Instance> {
    for (const r of resources) {
      if (r?.mode !== 'managed' || typeof r.address !== 'string') continue;
      yield {
        address: r.address, resource: resourceOf(r.address), type: String(r.type), values: withoutSensitive(r.values ?? {}, r.sensitive_values),
        dependsOn: Array.isArray(r.depends_on) ? r.depends_on.map(String) : [], position: { file, at, key: r.address },
      };
    }
  }

  private *fromModule(m: Obj, file: string, at: string): Iterable<Instance> {
    let i = 0;
    for (const r of Array.isArray(m?.resources) ? m.resources as Obj[] : []) yield* this.fromShow([r], file, `${at}.resources[${i++}]`);
    let j = 0;
    for (const c of Array.isArray(m?.child_modules) ? m.child_modules as Obj[] : []) yield* this.fromModule(c, file, `${at}.child_modules[${j++}]`);
  }

  private *instances(list: Iterable<Instance>): Iterable<RecordGroup> {
    for (const inst of list) {
      if (inst.type === 'aws_lb_target_group') this.targetGroups.set(String(inst.values.arn), Array.isArray(inst.values.load_balancer_arns) ? inst.values.load_balancer_arns.map(String) : []);
      if (inst.type === 'aws_lb_target_group_attachment') this.attachments.push({ targetId: String(inst.values.target_id), targetGroupArn: String(inst.values.target_group_arn), position: inst.position });
      const m = this.mapping.resources[inst.type];
      if (!m) continue;
      const id = inst.values.id;
      if (typeof id !== 'string' || !id) {
        yield skipped(inst.position, 'id', 'the resource has no id (not yet created?); skipped');
        continue;
      }
      // Load balancers are referred to by ARN (target group attachments), everything else by address.
      const ref = inst.type === 'aws_lb' || inst.type === 'aws_alb' ? `lb:${inst.values.arn ?? id}` : inst.address;
      if (inst.type === 'aws_instance') this.instanceRefs.set(id, ref);
      const list = this.byResource.get(inst.resource) ?? [];
      list.push({ ref, type: inst.type });
      this.byResource.set(inst.resource, list);
      this.idOf.set(ref, id);
      if (inst.dependsOn.length) this.pendingDeps.push({ ref, type: inst.type, dependsOn: inst.dependsOn, refersTo: referredIds(inst.values), position: inst.position });
      const name = evaluate(inst.values, m.name);
      yield {
        position: inst.position, relationships: [], problems: [],
        items: [{ ref, class: m.class, name: name === undefined ? inst.address : String(name), sourceNativeKey: `${inst.type}:${id}`, attributes: evaluateAll(inst.values, m.attributes) }],
      };
    }
  }
}

export const terraformConnector: Connector = {
  name: 'terraform',
  description: 'Terraform state (terraform.tfstate v4, or terraform show -json): managed resources as CIs, dependencies as relationships',
  defaultSource: 'terraform',
  sourceKind: 'DISCOVERY',
  defaultScope: null,
  scopeHint: 'the state\'s workspace or path, e.g. --scope prod/network; by default the file\'s path',
  scopeFromFiles: (files) => (files.length && !files.includes('-') ? resolve(files[0]) : null),
  start: (context) => new TerraformRun(context),
};
