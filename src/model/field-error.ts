/** One problem with one input field: `field` is a dotted path such as `attributes.cpuCount`. */
export interface FieldError {
  field: string;
  reason: string;
}

/** A write rejected by validation; nothing was written. Resolvers map it to BAD_USER_INPUT. */
export class InputError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.reason}`).join('; '));
    this.name = 'InputError';
  }
}

/** The CI, class or relationship named by the input does not exist. */
export class NotFoundError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
