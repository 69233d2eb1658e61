/*
 * An edge records who asserts it as `source|scope|runId|time` strings, and a FULL run withdraws its own by
 * prefix (`source|scope|`). Source names cannot hold `|`, run ids are UUIDs, but a scope is free text: `dc1|x`
 * would otherwise start with the prefix of scope `dc1`. Escaping `%` and `|` in the scope makes the scope field
 * end exactly at the next `|`, so no value of a scope can collide with another's prefix.
 */
const escapeScope = (scope: string): string => scope.replace(/%/g, '%25').replace(/\|/g, '%7C');

export function assertionStamp(source: string, scope: string, runId: string | null, now: string): string {
  return [source, escapeScope(scope), runId ?? '', now].join('|');
}

/** Every assertion of this source in this scope starts with it. */
export const assertionScopePrefix = (source: string, scope: string): string => `${source}|${escapeScope(scope)}|`;

/** Every assertion of this source starts with it. */
export const assertionSourcePrefix = (source: string): string => `${source}|`;
