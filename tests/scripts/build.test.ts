/** `npm run build` (what `npm start` runs first) returns at once when nothing changed, and rebuilds when something did. */
import { spawnSync } from 'child_process';
import { statSync, utimesSync } from 'fs';
import { join } from 'path';
import { projectRoot } from '../../src/project-root';

const stamp = join(projectRoot(), 'dist', '.build-stamp');
const build = () => {
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(projectRoot(), 'scripts', 'build.mjs')], { cwd: projectRoot(), encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, ms: Date.now() - started };
};

it('skips an up-to-date build and rebuilds after an input changed', () => {
  build(); // settles it when the suite was started without its pretest build
  const first = build();
  expect(first).toMatchObject({ status: 0, out: 'build: up to date\n' });

  // An input newer than the stamp (as after an edit or a git pull) makes it compile again.
  utimesSync(stamp, new Date(0), new Date(0));
  const again = build();
  expect(again.status).toBe(0);
  expect(again.out).not.toMatch(/^build: up to date/);
  expect(statSync(stamp).mtimeMs).toBeGreaterThan(Date.now() - 120_000);
  expect(build().out).toBe('build: up to date\n');
}, 120_000);
