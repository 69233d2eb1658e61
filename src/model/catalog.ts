import { CiClassDef, RelationshipTypeDef, AttributeDef } from './catalog.types';

/**
 * The validated model: CI classes with inheritance resolved, and relationship types.
 * Every label, relationship type and property key that reaches Cypher comes from here.
 */
export class Catalog {
  private readonly descendantsByClass = new Map<string, string[]>();
  private readonly allAttributeNames = new Set<string>();

  constructor(
    readonly classes: ReadonlyMap<string, CiClassDef>,
    readonly relationshipTypes: ReadonlyMap<string, RelationshipTypeDef>,
  ) {
    for (const cls of classes.values()) {
      for (const name of cls.attributes.keys()) this.allAttributeNames.add(name);
      for (const ancestor of cls.ancestry) {
        const list = this.descendantsByClass.get(ancestor) ?? [];
        list.push(cls.name);
        this.descendantsByClass.set(ancestor, list);
      }
    }
  }

  getClass(name: string): CiClassDef | undefined {
    return this.classes.get(name);
  }

  getRelationshipType(name: string): RelationshipTypeDef | undefined {
    return this.relationshipTypes.get(name);
  }

  /** The class and all classes below it. */
  descendants(name: string): string[] {
    return this.descendantsByClass.get(name) ?? [];
  }

  isA(className: string, ancestor: string): boolean {
    return this.classes.get(className)?.ancestry.includes(ancestor) ?? false;
  }

  /** Whether `type` may link a CI of class `from` to one of class `to`. */
  allowsRelationship(type: RelationshipTypeDef, from: string, to: string): boolean {
    return type.sources.some((s) => this.isA(from, s)) && type.targets.some((t) => this.isA(to, t));
  }

  /** Every attribute name declared by any class. */
  attributeNames(): ReadonlySet<string> {
    return this.allAttributeNames;
  }

  /** An attribute visible on `className` or, when no class is given, on any class. */
  findAttribute(name: string, className?: string): AttributeDef | undefined {
    if (className) return this.classes.get(className)?.attributes.get(name);
    for (const cls of this.classes.values()) {
      const attr = cls.attributes.get(name);
      if (attr) return attr;
    }
    return undefined;
  }

  /** Attribute names used by any identification rule: these get indexes. */
  identifierAttributes(): string[] {
    const names = new Set<string>();
    for (const cls of this.classes.values()) {
      for (const rule of cls.identification) for (const id of rule.identifiers) if (id !== 'name') names.add(id);
    }
    return [...names].sort();
  }
}
