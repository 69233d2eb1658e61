import { didYouMean } from './suggest';

/** Thrown at start-up when the model files are invalid; lists every problem found. */
export class ModelError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid CMDB model (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ModelError';
  }
}

export class ModelProblems {
  private readonly list: string[] = [];

  add(file: string, entry: string, problem: string, got?: string, candidates?: Iterable<string>): void {
    const hint = got !== undefined && candidates ? didYouMean(got, candidates) : '';
    this.list.push(`${file}: ${entry}: ${problem}${hint}`);
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new ModelError([...this.list]);
  }
}
