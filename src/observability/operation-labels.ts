const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/**
 * Turns client-chosen GraphQL operation names into a bounded set of metric labels: the first `max`
 * distinct names keep their own label, later ones become `other`. Anonymous operations are labelled by
 * their first root field (`anonymous:cis`), which the schema bounds, so GraphiQL users still get
 * something readable. Without the cap one client naming each request differently would grow the
 * metrics endpoint without limit.
 */
export class OperationLabels {
  static readonly OTHER = 'other';
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  label(operationName: string | null | undefined, rootField: string | null | undefined): string {
    const name = operationName ? (GRAPHQL_NAME.test(operationName) ? operationName : null) : rootField ? `anonymous:${rootField}` : 'anonymous';
    if (!name) return OperationLabels.OTHER;
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.max) return OperationLabels.OTHER;
    this.seen.add(name);
    return name;
  }
}
