import { Severity } from './severity';

export interface CiSummary {
  id: string;
  name: string;
  class: string;
  criticality: string | null;
  owner: string | null;
  supportGroup: string | null;
}

/** One step of an explanation: the relationship between two consecutive CIs of a path. */
export interface PathStep {
  from: CiSummary;
  type: string;
  /** True when the edge points from `from` to `to` as stored. */
  forward: boolean;
  to: CiSummary;
}

export interface AffectedCi {
  ci: CiSummary;
  /** Null for UPSTREAM questions, where a CI is a dependency, not a victim. */
  severity: Severity | null;
  depth: number;
  paths: PathStep[][];
}

export interface ImpactAnswer {
  direction: string;
  asOf: string | null;
  failed: CiSummary[];
  affected: AffectedCi[];
  services: AffectedCi[];
  countsByClass: { class: string; count: number; down: number; degraded: number }[];
  notify: { contact: string; role: 'owner' | 'supportGroup'; cis: number; services: string[] }[];
  truncated: boolean;
}

/** A service's health now, and the failing CIs (per their open alerts) that explain it. */
export interface ServiceHealth {
  service: CiSummary;
  health: 'OPERATIONAL' | 'DEGRADED' | 'DOWN';
  causes: { ci: CiSummary; state: 'DOWN' | 'DEGRADED' }[];
  /** CIs whose alerts do not count: in maintenance or under an active change window. */
  maintenance: string[];
}
