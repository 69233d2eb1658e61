import { Catalog } from '../model/catalog';
import { CiClassDef, IdentificationRule } from '../model/catalog.types';
import { FieldError, InputError } from '../model/field-error';
import { didYouMean } from '../model/suggest';
import { Neo4jClient } from '../graph/client';
import {
  AttributeFillRow, CollisionRule, countAttributeFill, countStaleCis, ExpectedEdge, findIdentifierCollisions,
  findOpenDuplicates, findOrphans, findSourceFreshness,
} from '../graph/health.queries';
import {
  ClassCompleteness, ClassHealth, CompletenessHealth, DuplicateHealth, HealthReport, IdentifierCollision, OrphanHealth, StalenessHealth,
} from './health.types';
import { HealthSnapshots } from './health-snapshots';

export const DEFAULT_HEALTH_LIMIT = 20;
export const MAX_HEALTH_LIMIT = 500;
export const MAX_HEALTH_AGE_SECONDS = 86_400;
const LEAST_FILLED = 5;

export interface HealthOptions {
  /** Restricts the report to this class and its subclasses. */
  className?: string | null;
  /** Longest list of examples (duplicate records, collision groups, orphans). */
  limit?: number | null;
  /** How old a report the caller accepts (default 0: measured for this call, or by a call already measuring). */
  maxAgeSeconds?: number | null;
}

const ratio = (part: number, whole: number): number => (whole === 0 ? 1 : part / whole);

/** How a shared identifier value reads in the report: strings as they are, anything else as JSON. */
const showValue = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Measures the data quality of the CMDB: completeness, duplicates, orphans, staleness and source
 * freshness. One report costs seven read queries, whatever the size of the graph or the catalog.
 */
export class HealthService {
  /** `snapshots`: the process's shared reports; without it every call measures on its own. */
  constructor(private readonly client: Neo4jClient, private readonly catalog: Catalog, private readonly snapshots: HealthSnapshots | null = null) {}

  async report(opts: HealthOptions = {}): Promise<HealthReport> {
    const { className, limit, maxAgeSeconds } = this.validate(opts);
    if (!this.snapshots) return this.measure(className, limit);
    return this.snapshots.get(JSON.stringify([className, limit]), maxAgeSeconds * 1000, () => this.measure(className, limit));
  }

  private async measure(className: string | null, limit: number): Promise<HealthReport> {
    const scope = (className ? this.catalog.descendants(className) : [...this.catalog.classes.keys()])
      .map((name) => this.catalog.getClass(name)!)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const scopeNames = scope.map((c) => c.name);
    const now = new Date();
    const rules = this.collisionRules(scope);

    const [fills, openDuplicates, collisions, orphans, stale, sources] = await Promise.all([
      countAttributeFill(this.client, Object.fromEntries(scope.map((c) => [c.name, expectedAttributes(c)]))),
      findOpenDuplicates(this.client, scopeNames, limit),
      findIdentifierCollisions(this.client, this.catalog, rules.list, scopeNames, limit),
      findOrphans(this.client, this.catalog, Object.fromEntries(scope.filter((c) => c.expectedRelationships.length).map((c) => [c.name, c.expectedRelationships as ExpectedEdge[]])), limit),
      countStaleCis(this.client, scopeNames, now.toISOString()),
      findSourceFreshness(this.client, new Date(now.getTime() - 24 * 3600_000).toISOString()),
    ]);

    const completeness = this.completeness(fills);
    const collisionList: IdentifierCollision[] = collisions.groups.map((g) => {
      const rule = rules.byKey.get(g.ruleKey)!;
      return { ruleClass: rule.declaredBy, identifiers: rule.identifiers, values: g.values.map(showValue), ciIds: g.ciIds, classes: g.classes };
    });
    const openRecordCount = [...openDuplicates.byClass.values()].reduce((a, b) => a + b, 0);
    const duplicateClasses = [...new Set([...openDuplicates.byClass.keys(), ...collisions.byClass.keys()])].sort();
    const duplicates: DuplicateHealth = {
      count: openRecordCount + collisions.total,
      openRecordCount,
      openRecords: openDuplicates.latest,
      collisionCount: collisions.total,
      collisions: collisionList,
      byClass: duplicateClasses.map((cls) => ({ class: cls, openRecords: openDuplicates.byClass.get(cls) ?? 0, collisions: collisions.byClass.get(cls) ?? 0 })),
    };
    const orphanHealth: OrphanHealth = {
      count: [...orphans.byClass.values()].reduce((a, b) => a + b, 0),
      byClass: [...orphans.byClass].map(([cls, count]) => ({ class: cls, count })),
      sample: orphans.samples.slice(0, limit),
    };
    const staleness: StalenessHealth = {
      unconfirmedCount: stale.reduce((a, s) => a + s.unconfirmed, 0),
      markedStaleCount: stale.reduce((a, s) => a + s.markedStale, 0),
      byClass: stale.map((s) => ({ class: s.className, ciCount: s.ciCount, unconfirmed: s.unconfirmed, markedStale: s.markedStale })),
    };

    return {
      generatedAt: now.toISOString(),
      class: className,
      summary: {
        totalCis: completeness.classes.reduce((a, c) => a + c.ciCount, 0),
        completeness: completeness.filledRatio,
        duplicateCount: duplicates.count,
        orphanCount: orphanHealth.count,
        staleCount: staleness.unconfirmedCount,
        markedStaleCount: staleness.markedStaleCount,
      },
      classes: this.perClass(completeness, duplicates, orphanHealth, staleness),
      completeness,
      duplicates,
      orphans: orphanHealth,
      staleness,
      sources,
    };
  }

  private validate(opts: HealthOptions): { className: string | null; limit: number; maxAgeSeconds: number } {
    const errors: FieldError[] = [];
    const className = opts.className ?? null;
    if (className !== null && !this.catalog.getClass(className)) {
      errors.push({ field: 'class', reason: `class '${className}' is not in the model${didYouMean(className, this.catalog.classes.keys())}` });
    }
    const limit = opts.limit ?? DEFAULT_HEALTH_LIMIT;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_HEALTH_LIMIT) {
      errors.push({ field: 'limit', reason: `must be between 0 and ${MAX_HEALTH_LIMIT}, got ${limit}` });
    }
    const maxAgeSeconds = opts.maxAgeSeconds ?? 0;
    if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 0 || maxAgeSeconds > MAX_HEALTH_AGE_SECONDS) {
      errors.push({ field: 'maxAgeSeconds', reason: `must be between 0 and ${MAX_HEALTH_AGE_SECONDS} seconds, got ${maxAgeSeconds}` });
    }
    if (errors.length) throw new InputError(errors);
    return { className, limit, maxAgeSeconds };
  }

  /**
   * The non-dependent identification rules in force for the classes in scope, once each, by key and as a list
   * with the class that declares each: a rule declared by Server searches every Server subclass.
   */
  private collisionRules(scope: CiClassDef[]): { byKey: Map<string, IdentificationRule>; list: CollisionRule[] } {
    const byKey = new Map<string, IdentificationRule>();
    for (const cls of scope) {
      for (const rule of cls.identification) {
        if (!rule.relatedVia) byKey.set(`${rule.declaredBy}:${rule.identifiers.join('+')}`, rule);
      }
    }
    const list = [...byKey].map(([key, rule]) => ({ key, declaredBy: rule.declaredBy, identifiers: rule.identifiers }));
    return { byKey, list };
  }

  private completeness(rows: AttributeFillRow[]): CompletenessHealth {
    let expectedSlots = 0;
    let filledSlots = 0;
    const classes: ClassCompleteness[] = rows.map((row) => {
      const cls = this.catalog.getClass(row.className)!;
      const expected = expectedAttributes(cls);
      const fills = expected.map((attribute) => {
        const filled = row.filled.get(attribute) ?? 0;
        return { attribute, required: cls.attributes.get(attribute)!.required, filled, filledRatio: ratio(filled, row.ciCount) };
      });
      const slots = row.ciCount * expected.length;
      const filled = fills.reduce((a, f) => a + f.filled, 0);
      expectedSlots += slots;
      filledSlots += filled;
      return {
        class: row.className,
        ciCount: row.ciCount,
        expectedAttributes: expected,
        filledRatio: ratio(filled, slots),
        leastFilled: [...fills].sort((a, b) => a.filledRatio - b.filledRatio || (a.attribute < b.attribute ? -1 : 1)).slice(0, LEAST_FILLED),
      };
    });
    return { filledRatio: ratio(filledSlots, expectedSlots), expectedSlots, filledSlots, classes };
  }

  /** One line per class that has CIs or duplicates in scope, ordered by class name. */
  private perClass(completeness: CompletenessHealth, duplicates: DuplicateHealth, orphans: OrphanHealth, staleness: StalenessHealth): ClassHealth[] {
    const names = new Set([...completeness.classes.map((c) => c.class), ...duplicates.byClass.map((d) => d.class)]);
    return [...names].sort().map((name) => {
      const comp = completeness.classes.find((c) => c.class === name);
      const dup = duplicates.byClass.find((d) => d.class === name);
      const st = staleness.byClass.find((s) => s.class === name);
      return {
        class: name,
        ciCount: comp?.ciCount ?? 0,
        completeness: comp?.filledRatio ?? 1,
        orphanCount: orphans.byClass.find((o) => o.class === name)?.count ?? 0,
        staleCount: st?.unconfirmed ?? 0,
        markedStaleCount: st?.markedStale ?? 0,
        duplicateCount: (dup?.openRecords ?? 0) + (dup?.collisions ?? 0),
      };
    });
  }
}

/** Required and recommended attributes of a class, in catalog order. */
function expectedAttributes(cls: CiClassDef): string[] {
  return [...cls.attributes.values()].filter((a) => a.required || a.recommended).map((a) => a.name);
}
