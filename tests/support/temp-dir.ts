import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/*
 * Temporary directories a test file makes, removed when the file's tests end. A server started in one (a Neo4j home)
 * must be stopped inside its test: the removal is an afterAll hook registered when this module loads, so it runs before
 * the hooks a test file declares itself (a file that stops a server in its own afterAll removes that home itself).
 */
const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty directory `cmdb-<name>-XXXXXX` under the system's temp directory, removed after this file's tests. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cmdb-${name}-`));
  made.push(dir);
  return dir;
}
