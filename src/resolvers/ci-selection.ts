import { FieldNode, getArgumentValues, GraphQLObjectType, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { PLAIN_CI_PROPERTIES } from '../graph/ci.record';

/*
 * Look-ahead over the selection a resolver is asked, so one statement can read what its children would
 * otherwise read one round trip later, or read less. Every helper answers null ("do it the ordinary way")
 * when the selection is conditional (@include/@skip) or cannot be read with certainty.
 */

const PLAIN = new Set<string>(PLAIN_CI_PROPERTIES);

/** Every field directly under these fields, through fragments; null when any selection is conditional. */
function fieldsUnder(info: GraphQLResolveInfo, parents: readonly FieldNode[]): FieldNode[] | null {
  const out: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined): boolean => {
    for (const sel of set?.selections ?? []) {
      if (sel.directives?.length) return false;
      if (sel.kind === 'Field') out.push(sel);
      else if (sel.kind === 'InlineFragment') {
        if (!visit(sel.selectionSet)) return false;
      } else {
        const fragment = info.fragments[sel.name.value];
        if (!fragment || !visit(fragment.selectionSet)) return false;
      }
    }
    return true;
  };
  for (const parent of parents) if (!visit(parent.selectionSet)) return null;
  return out;
}

/** The fields named `name` directly under these fields; null when any selection is conditional. */
export function childFields(info: GraphQLResolveInfo, parents: readonly FieldNode[], name: string): FieldNode[] | null {
  return fieldsUnder(info, parents)?.filter((f) => f.name.value === name) ?? null;
}

/**
 * The stored properties CI selections read, when they read nothing else: `relationships { ci { id name } }`
 * needs two properties of each neighbour, not the whole node (reading whole nodes was most of the cost of a
 * page of CIs with their neighbours). `readApart` names fields resolved from the CI's id alone by a statement
 * of their own (or read ahead beside it), which therefore need nothing more of the node. Null (whole CIs) as
 * soon as one asks for anything computed.
 */
export function plainCiFields(info: GraphQLResolveInfo, ciFields: readonly FieldNode[], readApart: readonly string[] = []): string[] | null {
  const children = fieldsUnder(info, ciFields);
  if (!children) return null;
  const fields = new Set<string>(['id', 'class']);
  for (const node of children) {
    const name = node.name.value;
    if (name === '__typename' || readApart.includes(name)) continue;
    if (!PLAIN.has(name) || node.arguments?.length || node.selectionSet) return null;
    fields.add(name);
  }
  return [...fields].sort();
}

/** Per selection (graphql-js resolves every item of a list with the same field nodes), answers computed once. */
const bySelection = new WeakMap<readonly FieldNode[], Map<string, unknown>>();
function once<T>(parents: readonly FieldNode[], key: string, compute: () => T): T {
  let answers = bySelection.get(parents);
  if (!answers) bySelection.set(parents, (answers = new Map()));
  if (!answers.has(key)) answers.set(key, compute());
  return answers.get(key) as T;
}

/**
 * `plainCiFields` of the `child` CI field under `parents` (default: the field being resolved, as in
 * `relationships { ci { ... } }`), read once per selection, so a page of 100 CIs reads it once.
 */
export function plainCiSelection(info: GraphQLResolveInfo, child: string, parents: readonly FieldNode[] = info.fieldNodes, readApart: readonly string[] = []): string[] | null {
  return once(parents, `plain:${child}:${readApart.join(',')}`, () => {
    const ci = childFields(info, parents, child);
    return ci ? plainCiFields(info, ci, readApart) : null;
  });
}

/** Whether any of `names` is selected directly under `parents` (true when that cannot be told). */
export function selectsAny(info: GraphQLResolveInfo, names: readonly string[], parents: readonly FieldNode[] = info.fieldNodes): boolean {
  return once(parents, `any:${names.join(',')}`, () => {
    const children = fieldsUnder(info, parents);
    return !children || children.some((f) => names.includes(f.name.value));
  });
}

/**
 * The arguments of `path`'s last field under the field being resolved (for `cis`: edges → node → relationships),
 * with variables applied, and the field nodes; null when the field is absent, conditional, or asked twice with
 * different arguments.
 */
export function lookAhead(info: GraphQLResolveInfo, path: string[], type: GraphQLObjectType): { args: Record<string, unknown>; nodes: FieldNode[] } | null {
  let nodes: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    const next = childFields(info, nodes, name);
    if (!next || !next.length) return null;
    nodes = next;
  }
  const def = type.getFields()[path[path.length - 1]];
  if (!def) return null;
  const args = nodes.map((n) => getArgumentValues(def, n, info.variableValues));
  const first = JSON.stringify(args[0]);
  if (args.some((a) => JSON.stringify(a) !== first)) return null;
  return { args: args[0], nodes: [...nodes] };
}
