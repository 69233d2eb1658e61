/**
 * A Redis for the tests: Debian's redis-server started on a free loopback port with nothing persisted (installed by
 * `npm run redis:install`), or the one CMDB_TEST_REDIS_URL names (which the tests cannot stop and restart).
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { createServer } from 'net';
import { tmpdir } from 'os';

export interface TestRedis {
  url: string;
  /** Whether stop() and start() control the server (false for CMDB_TEST_REDIS_URL). */
  own: boolean;
  stop(): Promise<void>;
  /** Starts it again on the same port (after stop()). */
  start(): Promise<void>;
}

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const port = (s.address() as { port: number }).port;
    s.close(() => resolve(port));
  });
});

export async function startTestRedis(): Promise<TestRedis> {
  const external = process.env.CMDB_TEST_REDIS_URL;
  if (external) return { url: external, own: false, stop: async () => undefined, start: async () => undefined };
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is not installed: run `npm run redis:install` as root (Debian\'s redis-server), or set CMDB_TEST_REDIS_URL');
  }
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = () => new Promise<void>((resolve, reject) => {
    const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '', '--appendonly', 'no', '--dir', tmpdir()], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = p;
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port}: ${out}`)), 10_000);
    p.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    p.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}): ${out}`));
    });
  });
  const stop = () => new Promise<void>((resolve) => {
    const p = child as ChildProcess | null;
    if (!p || p.exitCode !== null) return resolve();
    p.removeAllListeners('exit');
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
  });
  await start();
  return { url: `redis://127.0.0.1:${port}`, own: true, stop, start };
}
