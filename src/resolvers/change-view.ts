import { Catalog } from '../model/catalog';
import { ChangeRow } from '../graph/history.queries';
import { redactChangeValue, sensitiveAttributes } from '../auth/sensitive';
import { ChangeType } from './history.type';

const parseJson = (v: string | null): unknown => (v === null ? null : JSON.parse(v));

/**
 * A stored change as the API shows it: values parsed, and for a caller who may not read secrets, the sensitive
 * attributes of the CI's class removed (`redacted` says so). `className` null (a CI nobody can name any more)
 * redacts nothing class-specific.
 */
export function toChangeView<R extends ChangeRow>(catalog: Catalog, row: R, className: string | null, mayReadSensitive: boolean): R & ChangeType {
  const sensitive = mayReadSensitive || !className ? new Set<string>() : sensitiveAttributes(catalog, className);
  const oldValue = redactChangeValue(row.field, parseJson(row.oldValue), sensitive);
  const newValue = redactChangeValue(row.field, parseJson(row.newValue), sensitive);
  return { ...row, relationshipType: row.relType, oldValue: oldValue.value, newValue: newValue.value, redacted: oldValue.redacted || newValue.redacted };
}
