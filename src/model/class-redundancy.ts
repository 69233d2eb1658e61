import { CiClassDef } from './catalog.types';

/**
 * The `_redundancy` a new CI of the class starts with: the class's default rules as the node stores them (JSON
 * text), or nothing. A CI's own rules then change with setRedundancy and are versioned in its history.
 */
export function initialRedundancy(cls: CiClassDef): { _redundancy: string } | Record<string, never> {
  return cls.redundancy.length ? { _redundancy: JSON.stringify(cls.redundancy) } : {};
}
