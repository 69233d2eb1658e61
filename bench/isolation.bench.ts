import { AddressInfo } from 'net';
import { performance } from 'perf_hooks';
import type { Logger } from 'pino';
import { Catalog } from '../src/model/catalog';
import { Neo4jClient } from '../src/graph/client';
import { createApp, DEFAULT_EXPENSIVE } from '../src/server/app';
import { GateOptions } from '../src/runtime/concurrency-gate';
import { LatencyStats, latency } from './latency';
import { postGraphql } from './http-client';

export interface IsolationRun {
  gate: string;
  /** ci(id) while nothing else runs. */
  idle: LatencyStats;
  /** ci(id) while ten limit-sized impact requests run. */
  loaded: LatencyStats;
  impactsOk: number;
  impactsRefused: number;
  impactsMs: number;
}

const CHEAP = 'query($id: ID!) { ci(id: $id) { id name class lifecycleStatus } }';
const HEAVY = 'query($id: ID!) { impact(input: { ciIds: [$id], maxDepth: 6 }) { truncated affected { ci { id name } severity depth } } }';

async function post(url: string, token: string, query: string, id: string): Promise<{ ms: number; code: string | null }> {
  const t = performance.now();
  const { body } = await postGraphql<{ errors?: { extensions?: { code?: string } }[] }>(url, token, query, { id });
  return { ms: performance.now() - t, code: body.errors?.[0]?.extensions?.code ?? null };
}

async function sampleCheap(url: string, token: string, id: string, until: () => boolean, min: number): Promise<number[]> {
  const samples: number[] = [];
  while (!until() || samples.length < min) {
    const r = await post(url, token, CHEAP, id);
    if (r.code) throw new Error(`ci(id) failed: ${r.code}`);
    samples.push(r.ms);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return samples;
}

/**
 * A cheap read while ten large impacts (core switches: a third of the estate each) run at once, through the
 * real HTTP app, once with the default gate for expensive operations and once without a bound.
 */
export async function runIsolationBench(client: Neo4jClient, catalog: Catalog, logger: Logger, heavyIds: string[], cheapId: string, log: (m: string) => void): Promise<IsolationRun[]> {
  const runs: IsolationRun[] = [];
  const gates: [string, GateOptions][] = [
    [`default (${DEFAULT_EXPENSIVE.concurrency} at once)`, DEFAULT_EXPENSIVE],
    ['unbounded', { concurrency: 1000, maxQueued: 1000, queueTimeoutMs: 120_000 }],
  ];
  for (const [name, gate] of gates) {
    const app = await createApp({ client, catalog, logger, expensive: gate });
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
    const { token } = await app.tokens.create({ name: `bench-isolation-${Date.now()}`, role: 'viewer' }, 'bench');
    try {
      const idle = await sampleCheap(url, token, cheapId, () => true, 30);
      let done = false;
      const t = performance.now();
      const heavy = Promise.all(Array.from({ length: 10 }, (_, i) => post(url, token, HEAVY, heavyIds[i % heavyIds.length]))).finally(() => (done = true));
      const loaded = await sampleCheap(url, token, cheapId, () => done, 10);
      const answers = await heavy;
      runs.push({
        gate: name, idle: latency(idle), loaded: latency(loaded), impactsMs: performance.now() - t,
        impactsOk: answers.filter((a) => !a.code).length, impactsRefused: answers.filter((a) => a.code === 'TOO_MANY_REQUESTS').length,
      });
      log(`isolation (${name}): ci(id) p95 ${latency(idle).p95.toFixed(1)} ms idle, ${latency(loaded).p95.toFixed(1)} ms under ten impacts`);
    } finally {
      await app.stop();
    }
  }
  return runs;
}
