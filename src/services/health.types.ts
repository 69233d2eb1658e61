import { ExpectedEdge, OpenDuplicateRow, SourceFreshnessRow } from '../graph/health.queries';

/*
 * The health report as the service returns it; the GraphQL object types in
 * src/resolvers/health.type.ts have the same shape. Ratios are 0..1 and are 1 when nothing is expected.
 */

export interface AttributeFill {
  attribute: string;
  required: boolean;
  filled: number;
  filledRatio: number;
}

export interface ClassCompleteness {
  class: string;
  ciCount: number;
  /** Required and recommended attributes of the class (inherited ones included). */
  expectedAttributes: string[];
  filledRatio: number;
  /** The five least-filled expected attributes, lowest first. */
  leastFilled: AttributeFill[];
}

export interface CompletenessHealth {
  /** Filled slots over expected slots (CIs × expected attributes), across all classes. */
  filledRatio: number;
  expectedSlots: number;
  filledSlots: number;
  classes: ClassCompleteness[];
}

export interface IdentifierCollision {
  /** The class declaring the identification rule: the collision is among CIs of that class and its subclasses. */
  ruleClass: string;
  identifiers: string[];
  /** The shared values, in identifier order. */
  values: string[];
  ciIds: string[];
  classes: string[];
}

export interface ClassDuplicateCount {
  class: string;
  openRecords: number;
  collisions: number;
}

export interface DuplicateHealth {
  /** Open duplicate records plus identifier-collision groups. */
  count: number;
  openRecordCount: number;
  openRecords: OpenDuplicateRow[];
  collisionCount: number;
  collisions: IdentifierCollision[];
  byClass: ClassDuplicateCount[];
}

export interface ClassCount {
  class: string;
  count: number;
}

export interface OrphanCi {
  id: string;
  name: string;
  class: string;
  missing: ExpectedEdge[];
}

export interface OrphanHealth {
  count: number;
  byClass: ClassCount[];
  sample: OrphanCi[];
}

export interface ClassStaleness {
  class: string;
  ciCount: number;
  unconfirmed: number;
  markedStale: number;
}

export interface StalenessHealth {
  unconfirmedCount: number;
  markedStaleCount: number;
  byClass: ClassStaleness[];
}

export interface ClassHealth {
  class: string;
  ciCount: number;
  completeness: number;
  orphanCount: number;
  staleCount: number;
  markedStaleCount: number;
  duplicateCount: number;
}

export interface HealthSummary {
  totalCis: number;
  completeness: number;
  duplicateCount: number;
  orphanCount: number;
  staleCount: number;
  markedStaleCount: number;
}

/** cmdbHealth: overall, per class and per source. */
export interface HealthReport {
  generatedAt: string;
  /** The class filter, or null for the whole estate. */
  class: string | null;
  summary: HealthSummary;
  classes: ClassHealth[];
  completeness: CompletenessHealth;
  duplicates: DuplicateHealth;
  orphans: OrphanHealth;
  staleness: StalenessHealth;
  sources: SourceFreshnessRow[];
}
