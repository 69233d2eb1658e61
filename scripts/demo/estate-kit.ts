/** Types and helpers for the demo estate: a builder that refuses duplicate refs, and deterministic pseudo-random ids. */
import type { Criticality, LifecycleStatus } from '../../src/model/catalog.types';

export interface EstateCi {
  /** Local key used by relationships; never sent to the API. */
  ref: string;
  class: string;
  name: string;
  lifecycleStatus?: LifecycleStatus;
  environment?: string;
  owner?: string;
  supportGroup?: string;
  criticality?: Criticality;
  attributes?: Record<string, unknown>;
}

export interface EstateRelationship {
  from: string;
  type: string;
  to: string;
}

/** A CI that needs only `quorum` of its providers of this relationship type (a pool, dual-homing, a replica set). */
export interface EstateRedundancy {
  ref: string;
  type: string;
  quorum: number;
}

export interface Estate {
  cis: EstateCi[];
  relationships: EstateRelationship[];
  redundancy: EstateRedundancy[];
}

/** Collects CIs and relationships; `ci` returns the ref so calls can be chained into relationships. */
export class EstateBuilder {
  readonly cis: EstateCi[] = [];
  readonly relationships: EstateRelationship[] = [];
  readonly redundancy: EstateRedundancy[] = [];
  private readonly refs = new Set<string>();
  private readonly edges = new Set<string>();

  ci(ci: EstateCi): string {
    if (this.refs.has(ci.ref)) throw new Error(`duplicate estate ref '${ci.ref}'`);
    this.refs.add(ci.ref);
    this.cis.push({ lifecycleStatus: 'IN_USE', ...ci });
    return ci.ref;
  }

  rel(from: string, type: string, to: string | string[]): void {
    for (const target of Array.isArray(to) ? to : [to]) {
      const key = `${from}|${type}|${target}`;
      if (this.edges.has(key)) continue; // relate is idempotent, so a repeated edge would not count twice
      this.edges.add(key);
      this.relationships.push({ from, type, to: target });
    }
  }

  /** Declares where the estate is redundant; returns the ref for chaining. */
  redundant(ref: string, type: string, quorum: number): string {
    if (!this.refs.has(ref)) throw new Error(`redundancy for unknown estate ref '${ref}'`);
    this.redundancy.push({ ref, type, quorum });
    return ref;
  }

  build(): Estate {
    return { cis: this.cis, relationships: this.relationships, redundancy: this.redundancy };
  }
}

/** Deterministic hex digits from a seed (FNV-1a, then a 32-bit mixer): same seed, same output, on every run. */
export function hex(seed: string, length: number): string {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
  let out = '';
  while (out.length < length) {
    h = Math.imul(h ^ (h >>> 16), 2246822507) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 3266489909) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    out += h.toString(16).padStart(8, '0');
    h = (h + 0x9e3779b9) >>> 0;
  }
  return out.slice(0, length);
}

/** A deterministic RFC 4122-shaped (version 4) UUID. */
export function uuid(seed: string): string {
  const x = hex(seed, 32);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-4${x.slice(13, 16)}-a${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

/** A deterministic integer in [min, max]. */
export function pick(seed: string, min: number, max: number): number {
  return min + (parseInt(hex(seed, 8), 16) % (max - min + 1));
}

/** A vendor-style serial number, e.g. `CZ2-8F41A09C`. */
export function serial(prefix: string, seed: string): string {
  return `${prefix}-${hex(seed, 8).toUpperCase()}`;
}
