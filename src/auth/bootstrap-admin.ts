import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { ApiTokens } from './api-tokens';
import { SYSTEM_PRINCIPAL } from './principal';

export const ADMIN_TOKEN_FILE = 'admin-token';

export interface BootstrapResult {
  /** Set when a token was created by this call. */
  created: boolean;
  file: string;
}

/**
 * First start: with no active admin token in the graph, creates one, writes it to `<dataDir>/admin-token`
 * readable by this user only (0600), and returns where it is. Later starts change nothing.
 */
export async function ensureAdminToken(tokens: ApiTokens, dataDir: string): Promise<BootstrapResult & { token?: string }> {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  if (await tokens.hasActiveAdmin()) return { created: false, file };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const name = `bootstrap-admin-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;
  const { token } = await tokens.create({ name, role: 'admin' }, SYSTEM_PRINCIPAL.name);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing file keeps its old mode on write
  return { created: true, file, token };
}

/** The token a local tool should use: CMDB_TOKEN, else the admin token file, else null. */
export function localToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const given = env.CMDB_TOKEN?.trim();
  if (given) return given;
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || null : null;
}
