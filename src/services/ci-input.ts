import { Catalog } from '../model/catalog';
import { CiClassDef, CRITICALITIES, LIFECYCLE_STATUSES } from '../model/catalog.types';
import { FieldError } from '../model/field-error';
import { didYouMean } from '../model/suggest';

/** Common-field input shared by createCi and updateCi (attributes are validated per class). */
export interface CommonFieldsInput {
  name?: string | null;
  lifecycleStatus?: string | null;
  environment?: string | null;
  owner?: string | null;
  supportGroup?: string | null;
  criticality?: string | null;
}

const MAX_TEXT = 512;

/** The class named by an input, or an error naming the field and the closest class. */
export function resolveClass(catalog: Catalog, name: string | null | undefined, field: string, errors: FieldError[], forCreate: boolean): CiClassDef | undefined {
  if (!name) {
    errors.push({ field, reason: 'is required' });
    return undefined;
  }
  const cls = catalog.getClass(name);
  if (!cls) {
    errors.push({ field, reason: `class '${name}' is not in the model${didYouMean(name, catalog.classes.keys())}` });
    return undefined;
  }
  if (forCreate && cls.abstract) {
    const concrete = catalog.descendants(name).filter((n) => !catalog.getClass(n)!.abstract);
    errors.push({ field, reason: `class '${name}' is abstract; use one of: ${concrete.join(', ')}` });
    return undefined;
  }
  return cls;
}

/** Validates common fields; returns the properties to store (null clears on update). */
export function validateCommonFields(input: CommonFieldsInput, mode: 'create' | 'update', errors: FieldError[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const text = (key: keyof CommonFieldsInput, required: boolean) => {
    const value = input[key];
    if (value === undefined || (value === null && mode === 'create')) {
      if (required && mode === 'create') errors.push({ field: key, reason: 'is required' });
      return;
    }
    if (value === null) {
      if (required) errors.push({ field: key, reason: 'is required and cannot be cleared' });
      else out[key] = null;
      return;
    }
    if (value.trim() === '') errors.push({ field: key, reason: required ? 'must not be empty' : 'must not be empty; send null to clear it' });
    else if (value.length > MAX_TEXT) errors.push({ field: key, reason: `must be at most ${MAX_TEXT} characters, got ${value.length}` });
    else out[key] = value.trim();
  };
  text('name', true);
  text('environment', false);
  text('owner', false);
  text('supportGroup', false);
  const oneOf = (key: 'lifecycleStatus' | 'criticality', allowed: readonly string[]) => {
    const value = input[key];
    if (value === undefined) return;
    if (value === null) {
      if (key === 'lifecycleStatus') errors.push({ field: key, reason: 'cannot be cleared' });
      else out[key] = null;
    } else if (!allowed.includes(value)) errors.push({ field: key, reason: `must be one of ${allowed.join(', ')}, got '${value}'` });
    else out[key] = value;
  };
  oneOf('lifecycleStatus', LIFECYCLE_STATUSES);
  oneOf('criticality', CRITICALITIES);
  return out;
}
