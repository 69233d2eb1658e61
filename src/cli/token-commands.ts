/** `cmdb token create|list|revoke`: API tokens from the command line (admin tokens only; the API refuses others). */
import { Command } from 'commander';
import { hubFrom, HubOptions } from './hub';
import { table } from './table';
import { usageError } from './usage-error';

const ROLES = ['viewer', 'itsm', 'discovery', 'editor', 'admin'];
const out = (text: string): void => void process.stdout.write(`${text}\n`);

interface Token { id: string; name: string; role: string; source: string | null; createdAt: string; createdBy: string; expiresAt: string | null; lastUsedAt: string | null; revokedAt: string | null }
const TOKEN_FIELDS = 'id name role source createdAt createdBy expiresAt lastUsedAt revokedAt';

export function addTokenCommands(cmd: Command): void {
  const hub = () => hubFrom(cmd.opts<HubOptions>());
  const token = cmd.command('token').description('API tokens: create (the secret is shown once), list, revoke');

  token.command('create')
    .description('Create a token; prints the secret once')
    .argument('<name>', 'unique among active tokens, e.g. nmap-scanner-fra1')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--source <source>', 'for discovery tokens: the only source it may report as')
    .option('--expires-in-days <days>', 'the token stops working after this many days')
    .option('--json', 'print the answer as JSON')
    .action(async (name: string, o: { role: string; source?: string; expiresInDays?: string; json?: boolean }) => {
      if (!ROLES.includes(o.role)) throw usageError('role', `--role must be one of ${ROLES.join(', ')}, got '${o.role}'`);
      const days = o.expiresInDays === undefined ? null : Number(o.expiresInDays);
      if (days !== null && !(days > 0)) throw usageError('expires', `--expires-in-days must be a positive number, got '${o.expiresInDays}'`);
      const input = { name, role: o.role, ...(o.source ? { source: o.source } : {}), ...(days ? { expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() } : {}) };
      const { createApiToken } = await hub().request<{ createApiToken: { token: string; apiToken: Token } }>(
        `mutation CliCreateToken($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { ${TOKEN_FIELDS} } } }`, { input });
      if (o.json) return out(JSON.stringify(createApiToken, null, 2));
      out(createApiToken.token);
      process.stderr.write(`token '${name}' (${o.role}${o.source ? `, source ${o.source}` : ''}) created; the secret above is shown only now: use it as CMDB_TOKEN\n`);
    });

  token.command('list')
    .description('List tokens (never their secrets)')
    .option('--all', 'include revoked tokens')
    .option('--json', 'print them as JSON')
    .action(async (o: { all?: boolean; json?: boolean }) => {
      const { apiTokens } = await hub().request<{ apiTokens: Token[] }>(
        `query CliTokens($all: Boolean!) { apiTokens(includeRevoked: $all) { ${TOKEN_FIELDS} } }`, { all: o.all ?? false });
      if (o.json) return out(JSON.stringify(apiTokens, null, 2));
      out(table(['id', 'name', 'role', 'source', 'created by', 'expires', 'last used', 'revoked'],
        apiTokens.map((t) => [t.id, t.name, t.role, t.source, t.createdBy, t.expiresAt, t.lastUsedAt, t.revokedAt])));
    });

  token.command('revoke')
    .description('Revoke a token by id; it stops working at once')
    .argument('<id>', 'the token id (cmdb token list)')
    .action(async (id: string) => {
      const { revokeApiToken } = await hub().request<{ revokeApiToken: Token }>(`mutation CliRevoke($id: ID!) { revokeApiToken(id: $id) { ${TOKEN_FIELDS} } }`, { id });
      out(`revoked '${revokeApiToken.name}' (${revokeApiToken.role}) at ${revokeApiToken.revokedAt}`);
    });
}
