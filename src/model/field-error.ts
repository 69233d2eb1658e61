/** One problem with one input field: `field` is a dotted path such as `attributes.cpuCount`. */
export interface FieldError {
  field: string;
  reason: string;
}

/** Longest field path and reason returned: a hostile input must not be echoed back at its own size. */
const MAX_FIELD = 200;
const MAX_REASON = 500;
/** Problems listed in one error; the rest are counted. */
const MAX_ERRORS = 100;

const cap = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}... (${text.length} characters)` : text);

/** A write rejected by validation; nothing was written. Resolvers map it to BAD_USER_INPUT. */
export class InputError extends Error {
  readonly errors: FieldError[];

  constructor(errors: FieldError[]) {
    const capped = errors.slice(0, MAX_ERRORS).map((e) => ({ field: cap(e.field, MAX_FIELD), reason: cap(e.reason, MAX_REASON) }));
    if (errors.length > MAX_ERRORS) capped.push({ field: capped[0].field, reason: `and ${errors.length - MAX_ERRORS} more problems` });
    super(capped.slice(0, 10).map((e) => `${e.field}: ${e.reason}`).join('; ') + (capped.length > 10 ? `; and ${capped.length - 10} more in extensions.errors` : ''));
    this.errors = capped;
    this.name = 'InputError';
  }
}

/** The CI, class or relationship named by the input does not exist. */
export class NotFoundError extends Error {
  constructor(readonly field: string, message: string) {
    super(cap(message, MAX_REASON));
    this.name = 'NotFoundError';
  }
}

/** A CI as named in an error: enough for a caller to pick the one it meant. */
export interface CiCandidate {
  id: string;
  name: string;
  class: string;
}

/** A reference (a name, identifiers) that fits more than one CI; never resolved by guessing. BAD_USER_INPUT. */
export class AmbiguousReferenceError extends Error {
  constructor(readonly field: string, message: string, readonly candidates: CiCandidate[]) {
    super(cap(message, MAX_REASON));
    this.name = 'AmbiguousReferenceError';
  }
}

/** The write would duplicate what is stored (a CI with the same identifiers). CONFLICT, naming the existing ones. */
export class ConflictError extends Error {
  constructor(readonly field: string, message: string, readonly existing: CiCandidate[]) {
    super(cap(message, MAX_REASON));
    this.name = 'ConflictError';
  }
}
