/**
 * GraphiQL served by the API itself: GET /graphiql plus its two assets, bundled from npm
 * at build time by scripts/build-graphiql.mjs into dist/graphiql/ (no CDN, works offline).
 */
import path from 'node:path';
import express from 'express';
import { projectRoot } from '../project-root';
import { bundledPageRouter } from './bundled-page';

export interface GraphiqlOptions {
  /** GraphQL HTTP endpoint the page queries, e.g. '/graphql' (relative to the page's origin) or an absolute URL. */
  endpoint: string;
  /** Optional graphql-ws endpoint for subscriptions, e.g. '/graphql' (http(s) is turned into ws(s) by the page). */
  subscriptionEndpoint?: string;
  /** Directory holding index.html, graphiql.js and graphiql.css; defaults to <project root>/dist/graphiql. */
  assetsDir?: string;
}

const ASSETS = ['graphiql.js', 'graphiql.css'] as const;
const MISSING_BUNDLE =
  'GraphiQL is not built: the bundle in dist/graphiql/ is missing. Run `npm run build` ' +
  '(or `node scripts/build-graphiql.mjs`) and reload.\n';

export const escapeAttr = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Origins (beyond 'self') the page must be allowed to connect to, for absolute endpoint URLs. */
function connectSources(...endpoints: Array<string | undefined>): string[] {
  const sources = new Set<string>();
  for (const endpoint of endpoints) {
    if (!endpoint || !/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)) continue; // relative: covered by 'self'
    const url = new URL(endpoint);
    sources.add(url.origin);
    const ws = url.protocol === 'https:' ? 'wss:' : url.protocol === 'http:' ? 'ws:' : undefined;
    if (ws) sources.add(`${ws}//${url.host}`);
  }
  return [...sources];
}

export function contentSecurityPolicy(opts: GraphiqlOptions): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // GraphiQL's dialogs (Radix / react-remove-scroll) inject <style> elements at runtime.
    "style-src 'self' 'unsafe-inline'",
    // graphiql.css inlines its fonts and icons as data: URIs.
    "font-src 'self' data:",
    "img-src 'self' data:",
    ["connect-src 'self'", ...connectSources(opts.endpoint, opts.subscriptionEndpoint)].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

export function graphiqlRouter(opts: GraphiqlOptions): express.Router {
  return bundledPageRouter({
    route: '/graphiql', dir: opts.assetsDir ?? path.join(projectRoot(), 'dist', 'graphiql'), assets: ASSETS, csp: contentSecurityPolicy(opts), missing: MISSING_BUNDLE,
    fill: (html) => {
      let root = `data-endpoint="${escapeAttr(opts.endpoint)}"`;
      if (opts.subscriptionEndpoint) root += ` data-subscription-endpoint="${escapeAttr(opts.subscriptionEndpoint)}"`;
      return html.replace(/data-endpoint="[^"]*"/, root);
    },
  });
}
