import { Catalog } from '../src/model/catalog';

/*
 * The pieces the benchmark estates are built with: a seeded PRNG and a builder that collects CIs
 * and edges, checking each edge against the catalog's allowed endpoints.
 */

export interface EstateCi {
  id: string;
  class: string;
  /** Stored properties: common fields and attributes, as the graph keeps them. */
  props: Record<string, unknown>;
}

export interface EstateRel {
  from: string;
  to: string;
  type: string;
}

/** mulberry32: a small, fast, seedable PRNG; enough for synthetic data, not for anything secret. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Random {
  constructor(readonly next: () => number) {}
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** k distinct items (all of them when k >= length). */
  sample<T>(items: readonly T[], k: number): T[] {
    if (k >= items.length) return [...items];
    const chosen = new Set<number>();
    while (chosen.size < k) chosen.add(Math.floor(this.next() * items.length));
    return [...chosen].map((i) => items[i]);
  }
  /** The items in a random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(digits: number): string {
    let s = '';
    while (s.length < digits) s += Math.floor(this.next() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, digits);
  }
}

export const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** The JSON form of one redundancy rule, as the impact service reads it from `_redundancy`. */
export const quorumOf = (type: string, quorum: number) => JSON.stringify([{ type, quorum }]);

/** Collects CIs and edges (CIs get uuid-like ids from `ids`, an owner and support group from `teams`), refusing edges the catalog does not allow between the two classes. */
export class EstateBuilder {
  readonly cis: EstateCi[] = [];
  readonly relationships: EstateRel[] = [];
  private readonly byId = new Map<string, EstateCi>();
  private readonly allowed = new Map<string, boolean>();

  /** `prefix` goes before every name and identifying string value, so copies of an estate are distinct CIs. */
  constructor(private readonly catalog: Catalog, private readonly ids: Random, private readonly teams: () => string, private readonly createdAt: string, private readonly prefix = '') {}

  private newId(): string {
    const h = this.ids.hex(32);
    const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    if (this.byId.has(id)) throw new Error(`generated a duplicate id ${id}`);
    return id;
  }

  ci(className: string, name: string, attributes: Record<string, unknown> = {}, fields: Record<string, unknown> = {}): string {
    const cls = this.catalog.getClass(className);
    if (!cls || cls.abstract) throw new Error(`bench estate: '${className}' is not a concrete class of the model`);
    for (const attr of cls.attributes.values()) {
      if (attr.required && (attributes[attr.name] === undefined || attributes[attr.name] === null)) {
        throw new Error(`bench estate: ${className} '${name}' lacks required attribute '${attr.name}'`);
      }
    }
    if (this.prefix) {
      name = this.prefix + name;
      attributes = { ...attributes };
      for (const key of cls.identification.flatMap((rule) => rule.identifiers)) {
        if (typeof attributes[key] === 'string') attributes[key] = this.prefix + attributes[key];
      }
    }
    const id = this.newId();
    const team = this.teams();
    const ci: EstateCi = {
      id,
      class: className,
      props: {
        id, name, class: className, lifecycleStatus: 'IN_USE', environment: 'production',
        owner: team, supportGroup: team, createdAt: this.createdAt, updatedAt: this.createdAt,
        ...fields, ...attributes,
      },
    };
    this.cis.push(ci);
    this.byId.set(id, ci);
    return id;
  }

  rel(from: string, type: string, to: string): void {
    const fromClass = this.byId.get(from)?.class;
    const toClass = this.byId.get(to)?.class;
    if (!fromClass || !toClass) throw new Error(`bench estate: ${type} between unknown CIs ${from} -> ${to}`);
    const key = `${fromClass}|${type}|${toClass}`;
    let ok = this.allowed.get(key);
    if (ok === undefined) {
      const def = this.catalog.getRelationshipType(type);
      ok = !!def && this.catalog.allowsRelationship(def, fromClass, toClass);
      this.allowed.set(key, ok);
    }
    if (!ok) throw new Error(`bench estate: the catalog does not allow ${fromClass} -[:${type}]-> ${toClass}`);
    this.relationships.push({ from, to, type });
  }

  /** Sets the redundancy rules of a CI (the JSON form the impact service reads). */
  redundancy(id: string, rules: string): void {
    const ci = this.byId.get(id);
    if (!ci) throw new Error(`bench estate: no CI ${id}`);
    ci.props._redundancy = rules;
  }
}

