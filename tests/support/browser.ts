/**
 * Debian's chromium (`npm run chromium:install`), driven by playwright-core: its own browser download cannot be
 * used here. CMDB_TEST_CHROMIUM names another binary. Returns null, with the reason, when there is none.
 */
import { spawnSync } from 'child_process';

export function chromiumPath(): { path: string | null; reason: string } {
  const candidates = [process.env.CMDB_TEST_CHROMIUM, 'chromium', 'chromium-browser'].filter((c): c is string => !!c);
  for (const c of candidates) {
    const found = spawnSync('sh', ['-c', `command -v "${c}"`], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim()) return { path: found.stdout.trim(), reason: '' };
  }
  return { path: null, reason: 'no chromium: run `npm run chromium:install` as root (Debian\'s chromium), or set CMDB_TEST_CHROMIUM' };
}
