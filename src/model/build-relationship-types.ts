import { PROPAGATIONS, Propagation, RelationshipTypeDef } from './catalog.types';
import type { ModelSource } from './load-catalog';
import { ModelProblems } from './model-error';

export interface RawRelationshipType {
  name?: string;
  inverseName?: string;
  description?: string;
  sources?: string[];
  targets?: string[];
  propagation?: string;
}

export const RELATIONSHIP_NAME = /^[A-Z][A-Z0-9_]*$/;

export function buildRelationshipTypes(sources: ModelSource[], problems: ModelProblems): Map<string, RelationshipTypeDef> {
  const types = new Map<string, RelationshipTypeDef>();
  const inverseOwners = new Map<string, string>();
  for (const source of sources) {
    source.relationshipTypes.forEach((raw, i) => {
      const where = `relationshipTypes[${i}] (${raw?.name ?? 'unnamed'})`;
      if (!raw || typeof raw !== 'object') return problems.add(source.file, where, 'must be a mapping');
      const { name, inverseName } = raw;
      if (typeof name !== 'string' || !RELATIONSHIP_NAME.test(name)) {
        return problems.add(source.file, where, `name must match ${RELATIONSHIP_NAME} (UPPER_SNAKE_CASE), got ${JSON.stringify(name)}`);
      }
      if (types.has(name)) return problems.add(source.file, where, `relationship type '${name}' is declared twice`);
      if (typeof inverseName !== 'string' || !RELATIONSHIP_NAME.test(inverseName)) {
        return problems.add(source.file, where, `inverseName must match ${RELATIONSHIP_NAME}, got ${JSON.stringify(inverseName)}`);
      }
      const propagation = raw.propagation ?? 'NONE';
      if (!PROPAGATIONS.includes(propagation as Propagation)) {
        return problems.add(source.file, where, `propagation must be one of ${PROPAGATIONS.join(', ')}, got '${propagation}'`, propagation, PROPAGATIONS);
      }
      for (const end of ['sources', 'targets'] as const) {
        const list = raw[end];
        if (!Array.isArray(list) || list.length === 0 || !list.every((c) => typeof c === 'string')) {
          return problems.add(source.file, where, `${end} must be a non-empty list of class names`);
        }
      }
      const owner = inverseOwners.get(inverseName);
      if (owner && owner !== name) problems.add(source.file, where, `inverseName '${inverseName}' is already used by '${owner}'`);
      inverseOwners.set(inverseName, name);
      types.set(name, {
        name,
        inverseName,
        description: raw.description ?? null,
        sources: raw.sources as string[],
        targets: raw.targets as string[],
        propagation: propagation as Propagation,
      });
    });
  }
  for (const [name, type] of types) {
    if (types.has(type.inverseName) && type.inverseName !== name) {
      problems.add('model', `relationship type '${name}'`, `inverseName '${type.inverseName}' collides with a relationship type of that name`);
    }
  }
  return types;
}
