/**
 * The analyst's explorer at /explorer, bundled from npm at build time by scripts/build-explorer.mjs into
 * dist/explorer/ (no CDN). It calls /graphql with the token the user pastes, as GraphiQL does.
 */
import path from 'node:path';
import express from 'express';
import { projectRoot } from '../project-root';
import { bundledPageRouter } from './bundled-page';
import { contentSecurityPolicy, escapeAttr } from './graphiql';

export function explorerRouter(opts: { endpoint: string; assetsDir?: string }): express.Router {
  return bundledPageRouter({
    route: '/explorer', dir: opts.assetsDir ?? path.join(projectRoot(), 'dist', 'explorer'), assets: ['explorer.js', 'explorer.css'],
    csp: contentSecurityPolicy({ endpoint: opts.endpoint }),
    missing: 'The explorer is not built: the bundle in dist/explorer/ is missing. Run `npm run build` and reload.\n',
    fill: (html) => html.replace(/data-endpoint="[^"]*"/, `data-endpoint="${escapeAttr(opts.endpoint)}"`),
  });
}
