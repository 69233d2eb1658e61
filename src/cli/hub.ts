import { HubClient } from '../connectors/api-client';
import { localToken } from '../auth/bootstrap-admin';
import { readConfig } from '../server/config';

export interface HubOptions { url?: string; token?: string }

/** The hub named by --url / CMDB_URL (default: this machine's), with --token / CMDB_TOKEN or the local admin token. */
export function hubFrom(opts: HubOptions): HubClient {
  const config = readConfig();
  const url = opts.url ?? `http://localhost:${config.port}/graphql`;
  return new HubClient(url, opts.token ?? localToken(config.dataDir));
}
