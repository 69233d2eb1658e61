import type { ReconcileBenchResult } from './reconcile.bench';
import type { ReadBenchResult } from './read.bench';
import type { ImpactBenchResult } from './impact.bench';
import type { HealthBenchResult } from './health.bench';
import type { PeerBenchResult } from './peer.bench';

/** What one `npm run bench` measured, for the closing table against the estate-scale targets. */
export interface BenchResults {
  reconcile?: ReconcileBenchResult;
  read?: ReadBenchResult;
  impact?: ImpactBenchResult;
  health?: HealthBenchResult;
  peer?: PeerBenchResult;
}

const x = (r: number) => `${r.toFixed(2)}×`;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** One line per target the run has figures for: the figure, the target and whether it is met. */
export function formatSummary(r: BenchResults): string[] {
  const lines: string[] = [];
  if (r.read) {
    const peer = r.peer ? `; every relationship: API/peer ${x(r.peer.read.apiToPeer)} (target < 1: ${verdict(r.peer.read.apiToPeer < 1)})` : '';
    lines.push(`read page:  API/raw p50 ${x(r.read.ratioP50)} (target ≤ 1.25: ${verdict(r.read.ratioP50 <= 1.25)})${peer}`);
  }
  if (r.impact) {
    for (const k of r.impact.kinds) {
      const peer = r.peer?.impact.find((p) => p.kind === k.kind);
      const vsPeer = peer ? `, API/peer ${x(peer.apiToPeer)} (target ≤ 1: ${verdict(peer.apiToPeer <= 1)})` : '';
      lines.push(`impact ${k.kind.padEnd(12)} API/raw p50 ${x(k.ratioP50)}, p95 ${x(k.ratioP95)}; desk p50 ${x(k.deskRatioP50)} (target ≤ 1.5: ${verdict(k.ratioP50 <= 1.5 && k.deskRatioP50 <= 1.5)})${vsPeer}`);
    }
  }
  if (r.peer) {
    const i = r.peer.ingest;
    lines.push(`ingest over HTTP: ${i.apiToRaw.toFixed(2)} of raw in mutations of 100, ${(i.api500CisPerSecond / i.rawCisPerSecond).toFixed(2)} in 500 (target ≥ 0.8: ${verdict(i.apiToRaw >= 0.8)})`);
  }
  if (r.health) {
    const h = r.health;
    lines.push(`health:     dashboard p50 ${h.snapshot.p50.toFixed(1)} ms, fresh p50 ${(h.measured.p50 / 1000).toFixed(2)} s on ${h.estate.cis} CIs (target < 1 s: ${verdict(h.snapshot.p50 < 1000)} for a dashboard, ${verdict(h.measured.p50 < 1000)} fresh)`);
  }
  if (r.reconcile) {
    const c = r.reconcile;
    const per400k = (400_000 / c.cleanedCis) * c.cleanupMs / 1000;
    // Below 400,000 the figure is a straight extrapolation, which flatters: the rate falls as the store outgrows the page cache.
    const measured = c.cis >= 400_000;
    lines.push(`cleanup:    ${c.cleanedCis} CIs in ${(c.cleanupMs / 1000).toFixed(1)} s, ${Math.round(c.cleanedCis / (c.cleanupMs / 1000))} CIs/s: 400,000 in ${measured ? '' : 'about '}${per400k.toFixed(0)} s (target < 120 s: ${measured ? verdict(per400k < 120) : `${verdict(per400k < 120)} if linear; BENCH_BATCHES=80 measures it`})`);
  }
  return lines.length ? ['summary against the estate-scale targets:', ...lines.map((l) => `  ${l}`)] : [];
}
