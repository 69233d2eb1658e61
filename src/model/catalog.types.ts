/** Attribute value types a class may declare. */
export const ATTRIBUTE_TYPES = ['string', 'int', 'float', 'boolean', 'datetime', 'stringList', 'json'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** Which way a failure travels along an edge A -[:T]-> B. */
export const PROPAGATIONS = ['TARGET_TO_SOURCE', 'SOURCE_TO_TARGET', 'BOTH', 'NONE'] as const;
export type Propagation = (typeof PROPAGATIONS)[number];

export const DIRECTIONS = ['OUTGOING', 'INCOMING'] as const;
export type EdgeDirection = (typeof DIRECTIONS)[number];

export interface AttributeDef {
  name: string;
  type: AttributeType;
  required: boolean;
  recommended: boolean;
  sensitive: boolean;
  description: string | null;
  /** The class that declared it (differs from the owner for inherited attributes). */
  declaredBy: string;
  limits: AttributeLimits;
}

/** Bounds on one attribute's values, from the model or the defaults for its type. */
export interface AttributeLimits {
  /** UTF-8 bytes of a string, of each item of a stringList, or of a json value serialised. */
  maxLength: number;
  /** Items of a stringList. */
  maxItems: number;
  /** Nesting levels of a json value. */
  maxDepth: number;
}

export interface IdentificationRule {
  /** 1-based position: lower is tried first. */
  priority: number;
  identifiers: string[];
  /** A dependent rule: the identifiers are unique only among CIs related this way to the same CI. */
  relatedVia: { type: string; direction: EdgeDirection } | null;
  declaredBy: string;
}

export interface ExpectedRelationship {
  type: string;
  direction: EdgeDirection;
}

/** A class with inheritance already resolved. */
export interface CiClassDef {
  name: string;
  parent: string | null;
  abstract: boolean;
  description: string | null;
  /** From the root down to this class, inclusive. */
  ancestry: string[];
  /** Own and inherited attributes; a subclass may redeclare one to tighten it. */
  attributes: Map<string, AttributeDef>;
  identification: IdentificationRule[];
  expectedRelationships: ExpectedRelationship[];
  /** Redundancy rules a new CI of this class starts with (its own can then be changed with setRedundancy). */
  redundancy: { type: string; quorum: number }[];
}

export interface RelationshipTypeDef {
  name: string;
  inverseName: string;
  description: string | null;
  sources: string[];
  targets: string[];
  propagation: Propagation;
}

/** Common CI fields stored beside the attributes; attributes may not reuse these names. */
export const COMMON_FIELDS = [
  'id', 'name', 'class', 'lifecycleStatus', 'environment', 'owner', 'supportGroup',
  'criticality', 'createdAt', 'updatedAt',
] as const;

/** STALE is set by stale handling when no source reports a CI any more. */
export const LIFECYCLE_STATUSES = ['PLANNED', 'INSTALLED', 'IN_USE', 'IN_MAINTENANCE', 'STALE', 'RETIRED'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

export const CRITICALITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type Criticality = (typeof CRITICALITIES)[number];
