/**
 * The one shape every connector has (after Cartography's intel modules and Backstage's entity providers): parse the
 * tool's own output, transform each record into reconcile items, and let the runner load them through the reconcile
 * API and finish the sync run. A connector knows nothing of Neo4j or Cypher, and nothing of HTTP.
 */
import type { Readable } from 'stream';

/** One item for `reconcile`, as the API takes it. */
export interface ReconcileItem {
  ref: string;
  class: string;
  name?: string;
  sourceNativeKey?: string;
  attributes: Record<string, unknown>;
  lookup?: { class: string; attributes: Record<string, unknown> }[];
}

export interface ReconcileRelationship {
  from: string;
  to: string;
  type: string;
}

/** Where a record came from, so a report can name it: the file and a position (line, JSON path, element). */
export interface RecordPosition {
  file: string;
  at: string;
  /** The record's own key in the tool (an address, a sys_id...), when it has one. */
  key: string | null;
}

/**
 * What one source record becomes. Items of one group are loaded in the same batch, so relationships among them
 * always resolve; a record the connector cannot use is a problem, not an exception.
 */
export interface RecordGroup {
  position: RecordPosition;
  items: ReconcileItem[];
  relationships: ReconcileRelationship[];
  problems: { field: string; reason: string }[];
}

/** A malformed input: the run fails, naming the position. */
export class ParseError extends Error {
  constructor(readonly file: string, readonly at: string, reason: string) {
    super(`${file}: ${at}: ${reason}`);
    this.name = 'ParseError';
  }
}

/** What a run tells its connector. */
export interface RunContext {
  /** What this run covers (a cluster, an account and region, a state file). */
  scope: string;
  /** A mapping file given by the user instead of the connector's own mapping.yaml. */
  mappingFile?: string;
}

/** One run of a connector over one or more files; state it keeps spans the files (pods in one, services in another). */
export interface ConnectorRun {
  /** Reads the tool's output unchanged and yields one group per source record, in input order. */
  parse(input: Readable, file: string): AsyncIterable<RecordGroup>;
  /** Groups that need the whole input (a service's selected pods, a target group's members), after the last file. */
  finish?(): AsyncIterable<RecordGroup>;
  /**
   * False when no record's relationships name another record's items (nmap hosts, a CSV without relationship
   * columns): the runner then keeps no map of what it loaded, so a 1,000,000-row file costs no more memory than
   * a small one.
   */
  refersAcrossRecords?: boolean;
}

export interface Connector {
  /** The name on the command line (`cmdb import <name>`). */
  name: string;
  description: string;
  /** The source name used when the user gives none. */
  defaultSource: string;
  /** The scope used when the user gives none, or null when the user must give one. */
  defaultScope: string | null;
  /** What a scope is for this connector, for the message when one is missing. */
  scopeHint?: string;
  /** A scope read from the input files when the user gives none (a state file's path). */
  scopeFromFiles?: (files: string[]) => string | null;
  /** The kind a source is registered as on first use: discovery tools, or imports from another system of record. */
  sourceKind: 'DISCOVERY' | 'IMPORT';
  start(context: RunContext): ConnectorRun;
}

/** A group for one record the connector skips, with the reason. */
export function skipped(position: RecordPosition, field: string, reason: string): RecordGroup {
  return { position, items: [], relationships: [], problems: [{ field, reason }] };
}
