import { StoredValue } from '../model/attribute-values';
import { FieldError } from '../model/field-error';
import { FieldChange, KeptValue } from './precedence';
import type { CleanupReport } from './sources.types';

/** One discovered record. `ref` is local to the payload; relationships name items by ref. */
export interface ReconcileItemInput {
  ref: string;
  class: string;
  name?: string | null;
  environment?: string | null;
  owner?: string | null;
  supportGroup?: string | null;
  criticality?: string | null;
  attributes?: Record<string, unknown> | null;
  /** The source's own id for the record; matched first on later runs. */
  sourceNativeKey?: string | null;
  /** Related records used only to identify the item (e.g. its network interfaces by MAC address). */
  lookup?: { class: string; attributes: Record<string, unknown> }[] | null;
}

export interface ReconcileRelationshipInput {
  /** A payload ref or an existing CI id. */
  from: string;
  to: string;
  type: string;
}

export interface ReconcileInput {
  source: string;
  runId?: string | null;
  dryRun?: boolean | null;
  items: ReconcileItemInput[];
  relationships?: ReconcileRelationshipInput[] | null;
}

export type Operation = 'CREATED' | 'UPDATED' | 'NO_CHANGE' | 'SKIPPED' | 'ERROR';
export type MatchStatus = 'MATCHED' | 'MULTI_MATCH' | 'NO_MATCH' | 'SKIPPED';

export interface IdentificationAttempt {
  rule: string;
  status: MatchStatus;
  candidates: string[];
}

export interface ItemResult {
  ref: string;
  index: number;
  ciId: string | null;
  class: string;
  operation: Operation;
  identification: IdentificationAttempt[];
  changes: FieldChange[];
  kept: KeptValue[];
  errors: FieldError[];
}

export interface RelationshipResult {
  index: number;
  from: string;
  to: string;
  type: string;
  fromId: string | null;
  toId: string | null;
  operation: Operation;
  errors: FieldError[];
}

export interface ReconcileTotals {
  items: number;
  created: number;
  updated: number;
  noChange: number;
  skipped: number;
  errors: number;
  relationshipsCreated: number;
  relationshipsUpdated: number;
  relationshipsUnchanged: number;
  relationshipErrors: number;
}

export interface ReconcileResult {
  source: string;
  runId: string | null;
  dryRun: boolean;
  items: ItemResult[];
  relationships: RelationshipResult[];
  totals: ReconcileTotals;
}

/** An item after payload validation: values coerced to stored form. */
export interface PreparedItem {
  index: number;
  input: ReconcileItemInput;
  className: string;
  /** Common fields and attributes together, stored form; null means "the source says: no value". */
  values: Record<string, StoredValue | null>;
  lookups: { className: string; values: Record<string, StoredValue> }[];
  result: ItemResult;
}

export const MAX_BATCH_ITEMS = 5000;
export const MAX_BATCH_RELATIONSHIPS = 20000;

/** Told what each batch and each finished run did (metrics); must not throw. */
export interface ReconcileObserver {
  batchReconciled(source: string, dryRun: boolean, totals: ReconcileTotals): void;
  runFinished(source: string, mode: string, status: string, cleanup: CleanupReport | null): void;
}

export const NO_RECONCILE_OBSERVER: ReconcileObserver = { batchReconciled: () => undefined, runFinished: () => undefined };
