import { spawn } from 'child_process';
import { join } from 'path';
import { projectRoot } from '../../src/project-root';
import { HttpApp } from './http-app';

export interface CliResult { status: number | null; out: string; err: string; report: any }

/**
 * Runs the built `cmdb` command against the test app, as a separate process like a real connector. Asynchronous:
 * the API answering it runs in the test's process. `stdin` is piped in when given (for `-`).
 */
export function runCli(http: HttpApp, token: string | null, args: string[], opts: { stdin?: string | Buffer; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(projectRoot(), 'dist', 'src', 'cli', 'cmdb.js'), ...args], {
      env: { ...process.env, CMDB_URL: `${http.base}/graphql`, ...(token ? { CMDB_TOKEN: token } : {}), ...opts.env },
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
    child.on('close', (status) => {
      let report = null;
      try {
        report = out.trimStart().startsWith('{') || out.trimStart().startsWith('[') ? JSON.parse(out) : null;
      } catch {
        report = null;
      }
      resolve({ status, out, err, report });
    });
  });
}
