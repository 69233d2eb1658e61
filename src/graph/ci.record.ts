import { Node } from 'neo4j-driver';
import { Catalog } from '../model/catalog';
import { readValue } from '../model/attribute-values';
import { decodeProvenance } from '../model/provenance-codec';

/** A CI as the graph layer returns it: common fields plus API-form attribute values. */
export interface CiRecord {
  id: string;
  name: string;
  class: string;
  lifecycleStatus: string | null;
  environment: string | null;
  owner: string | null;
  supportGroup: string | null;
  criticality: string | null;
  createdAt: string;
  updatedAt: string;
  attributes: Record<string, unknown>;
  /** Per field: the source that set the current value, when, and when it was last confirmed. */
  provenance: Record<string, { source: string; firstSetAt: string; lastConfirmedAt: string; runId: string | null }>;
  staleSince: string | null;
  /** Redundancy rules as stored (JSON), read by impact analysis. */
  redundancy: string | null;
  /** CIs merged into this one (their history is shown with its own). */
  mergedFrom: string[];
  /** Set when the record was reconstructed for a past moment: its relationships at that time. */
  asOf?: { at: string; relationships: import('./relationship.queries').RelationshipRecord[] };
}

/** CI fields stored as properties of the same name and read as they are: a selection of only these needs no whole node. */
export const PLAIN_CI_PROPERTIES = ['id', 'name', 'class', 'lifecycleStatus', 'environment', 'owner', 'supportGroup', 'criticality', 'createdAt', 'updatedAt', 'staleSince'] as const;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The fields every CI has, from its stored properties. */
function commonFields(props: Record<string, unknown>): Omit<CiRecord, 'attributes' | 'provenance' | 'redundancy' | 'mergedFrom'> {
  return {
    id: String(props.id),
    name: String(props.name),
    class: String(props.class),
    lifecycleStatus: str(props.lifecycleStatus),
    environment: str(props.environment),
    owner: str(props.owner),
    supportGroup: str(props.supportGroup),
    criticality: str(props.criticality),
    createdAt: String(props.createdAt),
    updatedAt: String(props.updatedAt),
    staleSince: str(props.staleSince),
  };
}

/** Reads a CI node's properties through its class so only catalog attributes surface. */
export function toCiRecord(catalog: Catalog, props: Record<string, unknown>): CiRecord {
  const cls = catalog.getClass(String(props.class));
  const attributes: Record<string, unknown> = {};
  if (cls) {
    for (const def of cls.attributes.values()) {
      const value = props[def.name];
      if (value !== undefined && value !== null) attributes[def.name] = readValue(def, value);
    }
  }
  return {
    ...commonFields(props),
    attributes,
    provenance: decodeProvenance(props._prov),
    redundancy: str(props._redundancy),
    mergedFrom: Array.isArray(props._mergedFrom) ? (props._mergedFrom as string[]) : [],
  };
}

/**
 * A CI read as plainCiList(fields): a record holding only those fields, the rest as a CI without them would
 * have (no attributes, provenance or redundancy: plain selections never read them).
 */
export function readPlainCi(fields: readonly string[], values: readonly unknown[]): CiRecord {
  const props: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i++) props[fields[i]] = values[i];
  return { ...commonFields(props), attributes: {}, provenance: {}, redundancy: null, mergedFrom: [] };
}

export const nodeToCi = (catalog: Catalog, node: Node): CiRecord => toCiRecord(catalog, node.properties as Record<string, unknown>);
