/**
 * Progress of an import on stderr (stdout stays for the summary or --json): a bar with records, batches, rate and
 * ETA on a terminal, where the input's size is known; a plain line every few seconds otherwise (CI logs, CronJobs).
 */
import { Transform } from 'stream';
import { SingleBar } from 'cli-progress';

/** Counts the bytes that pass, so progress can be told against the files' sizes. */
export class ByteCounter {
  bytes = 0;

  through(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        this.bytes += chunk.length;
        done(null, chunk);
      },
    });
  }
}

export interface ProgressState { records: number; batches: number; items: number }

export class ImportProgress {
  private readonly bar: SingleBar | null;
  private readonly started = Date.now();
  private lastLine = 0;

  constructor(
    private readonly counter: ByteCounter, private readonly totalBytes: number | null, tty: boolean,
    private readonly out: NodeJS.WritableStream = process.stderr, private readonly lineEveryMs = 5000,
  ) {
    this.bar = tty && totalBytes ? new SingleBar({
      format: '{bar} {percentage}% | {records} records | {batches} batches | {rate} records/s | ETA {eta_formatted}',
      stream: out as NodeJS.WritableStream & { isTTY?: boolean },
      hideCursor: true,
      etaBuffer: 50,
    }) : null;
    this.bar?.start(totalBytes ?? 0, 0, { records: 0, batches: 0, rate: 0 });
  }

  update(p: ProgressState): void {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = Math.round(p.records / seconds);
    if (this.bar) return this.bar.update(Math.min(this.counter.bytes, this.totalBytes ?? 0), { records: p.records, batches: p.batches, rate });
    if (this.lastLine && Date.now() - this.lastLine < this.lineEveryMs) return;
    this.lastLine = Date.now();
    const share = this.totalBytes ? ` (${Math.floor((100 * this.counter.bytes) / this.totalBytes)}% of the input)` : '';
    this.out.write(`${p.records} records parsed, ${p.batches} batches loaded, ${rate} records/s${share}\n`);
  }

  stop(): void {
    this.bar?.stop();
  }
}
