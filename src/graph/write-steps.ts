import { ManagedTransaction } from 'neo4j-driver';
import { Neo4jClient } from './client';

/*
 * Writes that need no answer are sent together: each statement costs a round trip and a few milliseconds of
 * fixed work in Neo4j whatever it writes, and a reconcile batch has up to a dozen of them. Each step is a
 * fragment run as a unit subquery over its own parameter, so steps cannot see each other's variables, and they
 * run in the order added (a later step sees what an earlier one wrote).
 */

export interface WriteStep {
  /** The fragment, given the name of its parameter (`$w0`...); it must end in an updating clause. */
  cypher: (param: string) => string;
  value: unknown;
  /** Called once the statement holding this step has run in the transaction (e.g. to note changes for the feed). */
  afterRun?: () => void;
}

/** A step as a unit subquery over the parameter `param`, for a statement that goes on after it. */
export const unitSubquery = (step: WriteStep, param: string) => `CALL () {\n${step.cypher(param)}\n}`;

/** Runs the steps as one statement (nothing when there are none). */
export async function runWriteSteps(client: Neo4jClient, tx: ManagedTransaction, steps: (WriteStep | null)[]): Promise<void> {
  const live = steps.filter((s): s is WriteStep => s !== null);
  if (!live.length) return;
  const cypher = live.map((s, i) => unitSubquery(s, `$w${i}`)).join('\n') + '\nFINISH';
  await client.run(tx, cypher, Object.fromEntries(live.map((s, i) => [`w${i}`, s.value])));
  for (const s of live) s.afterRun?.();
}

/** Steps gathered until something needs the graph as they leave it: `flush` before any read or answering write. */
export class WriteBatch {
  private steps: WriteStep[] = [];

  constructor(private readonly client: Neo4jClient, private readonly tx: ManagedTransaction) {}

  add(...steps: (WriteStep | null)[]): void {
    for (const s of steps) if (s) this.steps.push(s);
  }

  async flush(): Promise<void> {
    const steps = this.steps;
    this.steps = [];
    await runWriteSteps(this.client, this.tx, steps);
  }
}
