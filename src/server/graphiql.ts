/**
 * GraphiQL served by the API itself: GET /graphiql plus its two assets, bundled from npm
 * at build time by scripts/build-graphiql.mjs into dist/graphiql/ (no CDN, works offline).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { type Request, type Response } from 'express';
import { projectRoot } from '../project-root';

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

const escapeAttr = (value: string): string =>
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

function contentSecurityPolicy(opts: GraphiqlOptions): string {
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
  const dir = opts.assetsDir ?? path.join(projectRoot(), 'dist', 'graphiql');
  const csp = contentSecurityPolicy(opts);
  const router = express.Router();

  const missing = (res: Response): void => {
    res.status(503).set('Cache-Control', 'no-store').type('text/plain').send(MISSING_BUNDLE);
  };

  // Matches /graphiql and /graphiql/ (non-strict routing).
  router.get('/graphiql', async (req: Request, res: Response) => {
    let html: string;
    try {
      html = await readFile(path.join(dir, 'index.html'), 'utf8');
    } catch {
      return missing(res);
    }
    let root = `data-endpoint="${escapeAttr(opts.endpoint)}"`;
    if (opts.subscriptionEndpoint) root += ` data-subscription-endpoint="${escapeAttr(opts.subscriptionEndpoint)}"`;
    html = html.replace(/data-endpoint="[^"]*"/, root);
    // Mounted under a prefix (app.use('/admin', router)): point the asset URLs there too.
    if (req.baseUrl) html = html.replace(/"\/graphiql\//g, `"${req.baseUrl}/graphiql/`);
    res
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .send(html);
  });

  for (const asset of ASSETS) {
    router.get(`/graphiql/${asset}`, (req: Request, res: Response, next) => {
      const file = path.join(dir, asset);
      if (!existsSync(file)) return missing(res);
      // index.html references the assets with a content-hash query (?v=...), so those URLs never change.
      const versioned = typeof req.query.v === 'string' && req.query.v !== '';
      res.set('X-Content-Type-Options', 'nosniff');
      res.sendFile(file, versioned ? { maxAge: '365d', immutable: true } : { maxAge: 0 }, (err) => {
        if (err && !res.headersSent) next(err);
      });
    });
  }

  return router;
}
