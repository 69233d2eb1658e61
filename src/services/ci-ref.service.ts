import { Catalog } from '../model/catalog';
import { coerceValue, StoredValue } from '../model/attribute-values';
import { IdentificationRule } from '../model/catalog.types';
import { AmbiguousReferenceError, CiCandidate, FieldError, InputError, NotFoundError } from '../model/field-error';
import { didYouMean } from '../model/suggest';
import { Neo4jClient } from '../graph/client';
import { CiRecord } from '../graph/ci.record';
import { findCisByIds, findCisPage } from '../graph/ci.queries';
import { matchRules } from '../reconcile/identify';

/** A CI as the caller knows it: by id, by exact name (optionally with class), or by identifying attributes. */
export interface CiRefInput {
  id?: string | null;
  name?: string | null;
  class?: string | null;
  identifiers?: Record<string, unknown> | null;
}

/** References resolved in one request; each costs a lookup, so the list is bounded. */
export const MAX_REFS = 100;
const CANDIDATES_SHOWN = 10;

const candidate = (ci: CiRecord): CiCandidate => ({ id: ci.id, name: ci.name, class: ci.class });
const ruleText = (r: IdentificationRule) => `[${r.identifiers.join(', ')}]`;

/**
 * Turns references into CI ids. Identifiers go through the identification rules reconcile uses (independent rules
 * covered by the given attributes, in priority order), so "the CI this record would be" and "the CI this reference
 * names" never differ. Anything that fits several CIs is an error listing them: an incident is never attached to
 * a guess.
 */
export class CiRefService {
  constructor(private readonly client: Neo4jClient, private readonly catalog: Catalog) {}

  /** The ids of `ids` and `refs` together, in order, without repeats; at least one must be given. */
  async ids(ids: readonly string[] | null | undefined, refs: readonly CiRefInput[] | null | undefined, field: { ids: string; refs: string }): Promise<string[]> {
    if (!ids?.length && !refs?.length) throw new InputError([{ field: field.refs, reason: `give ${field.ids} or ${field.refs} (at least one CI)` }]);
    if ((refs?.length ?? 0) > MAX_REFS) throw new InputError([{ field: field.refs, reason: `at most ${MAX_REFS} references, got ${refs!.length}` }]);
    const out = [...(ids ?? [])];
    for (const [i, ref] of (refs ?? []).entries()) out.push((await this.resolve(ref, `${field.refs}[${i}]`)).id);
    return [...new Set(out)];
  }

  /** Exactly one CI, named by id or by reference. */
  async one(id: string | null | undefined, ref: CiRefInput | null | undefined, field: { id: string; ref: string }): Promise<string> {
    if (id && ref) throw new InputError([{ field: field.ref, reason: `give ${field.id} or ${field.ref}, not both` }]);
    if (id) return id;
    if (!ref) throw new InputError([{ field: field.ref, reason: `give ${field.id} or ${field.ref}` }]);
    return (await this.resolve(ref, field.ref)).id;
  }

  async resolve(ref: CiRefInput, field: string): Promise<CiRecord> {
    const ways = [ref.id, ref.name, ref.identifiers].filter((w) => w !== null && w !== undefined).length;
    if (ways !== 1) throw new InputError([{ field, reason: 'give exactly one of id, name or identifiers' }]);
    if (ref.class && !this.catalog.getClass(ref.class)) {
      throw new InputError([{ field: `${field}.class`, reason: `class '${ref.class}' is not in the model${didYouMean(ref.class, this.catalog.classes.keys())}` }]);
    }
    if (ref.id) {
      const ci = (await findCisByIds(this.client, this.catalog, [ref.id])).get(ref.id);
      if (!ci) throw new NotFoundError(`${field}.id`, `no CI with id '${ref.id}'`);
      return ci;
    }
    if (ref.name !== null && ref.name !== undefined) return this.byName(ref.name, ref.class ?? null, field);
    return this.byIdentifiers(ref.identifiers!, ref.class ?? null, field);
  }

  private async byName(name: string, className: string | null, field: string): Promise<CiRecord> {
    const { cis } = await findCisPage(this.client, this.catalog, { name, className: className ?? undefined }, CANDIDATES_SHOWN, null);
    const where = className ? ` of class ${className} (or a subclass)` : '';
    return this.single(cis, `${field}.name`, `CI named '${name}'${where}`, className ? '' : '; add class or use identifiers');
  }

  private async byIdentifiers(given: Record<string, unknown>, className: string | null, field: string): Promise<CiRecord> {
    const at = `${field}.identifiers`;
    const values = this.coerce(given, className, at);
    const rules = this.rulesFor(Object.keys(values), className);
    if (!rules.length) {
      const known = className ? this.catalog.getClass(className)!.identification.filter((r) => !r.relatedVia).map(ruleText).join(' | ') : '';
      throw new InputError([{
        field: at,
        reason: `[${Object.keys(values).join(', ')}] covers no identification rule${className ? ` of ${className}; its rules: ${known || 'none'}` : ' of any class'}`,
      }]);
    }
    // Like reconcile: the first rule (by priority) that matches anything decides; a class-less reference asks every class.
    const matches = await this.client.readTx((tx) => matchRules(this.client, tx, this.catalog, rules, values, className !== null));
    const ids = [...new Set(matches.flatMap((m) => m.ids))];
    const cis = [...(await findCisByIds(this.client, this.catalog, ids.slice(0, CANDIDATES_SHOWN))).values()];
    const described = Object.entries(given).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ').slice(0, 200);
    return this.single(cis, at, `CI with ${described}${className ? ` of class ${className}` : ''}`, '; add more identifiers or class', ids.length);
  }

  /** Identifier values in stored form, each checked against an attribute of the class (or of any class). */
  private coerce(given: Record<string, unknown>, className: string | null, at: string): Record<string, StoredValue> {
    const entries = Object.entries(given ?? {});
    if (!entries.length) throw new InputError([{ field: at, reason: 'give at least one identifying attribute' }]);
    const errors: FieldError[] = [];
    const values: Record<string, StoredValue> = {};
    for (const [key, value] of entries.slice(0, 20)) {
      if (key === 'name') {
        if (typeof value === 'string' && value) values.name = value;
        else errors.push({ field: `${at}.name`, reason: 'must be a non-empty string' });
        continue;
      }
      const def = this.catalog.findAttribute(key, className ?? undefined);
      if (!def) {
        const known = className ? this.catalog.getClass(className)!.attributes.keys() : this.catalog.attributeNames();
        errors.push({ field: `${at}.${key.slice(0, 64)}`, reason: `attribute '${key.slice(0, 64)}' is not declared by ${className ?? 'any class'}${didYouMean(key, known)}` });
        continue;
      }
      const coerced = coerceValue(def, value);
      if (coerced.ok) values[key] = coerced.value;
      else errors.push({ field: `${at}.${key}`, reason: coerced.reason });
    }
    if (entries.length > 20) errors.push({ field: at, reason: `at most 20 identifiers, got ${entries.length}` });
    if (errors.length) throw new InputError(errors);
    return values;
  }

  /** Independent rules whose identifiers are all given: the class's in priority order, or every class's. */
  private rulesFor(keys: string[], className: string | null): IdentificationRule[] {
    const covered = (r: IdentificationRule) => !r.relatedVia && r.identifiers.every((id) => keys.includes(id));
    if (className) return this.catalog.getClass(className)!.identification.filter(covered);
    const seen = new Map<string, IdentificationRule>();
    for (const cls of this.catalog.classes.values()) {
      for (const r of cls.identification.filter(covered)) seen.set(`${r.declaredBy}|${r.identifiers.join('+')}`, r);
    }
    return [...seen.values()];
  }

  private single(cis: CiRecord[], field: string, what: string, hint: string, total = cis.length): CiRecord {
    if (cis.length === 1 && total === 1) return cis[0];
    if (!cis.length) throw new NotFoundError(field, `no ${what}`);
    const shown = cis.map((c) => `${c.name} (${c.class}, ${c.id})`).join(', ');
    const more = cis.length >= CANDIDATES_SHOWN || total > cis.length ? ' and more' : '';
    throw new AmbiguousReferenceError(field, `${cis.length}${more ? '+' : ''} CIs fit the ${what}: ${shown}${more}${hint}`, cis.map(candidate));
  }
}
