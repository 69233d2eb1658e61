/**
 * A page bundled from npm at build time into dist/<name>/ (index.html plus versioned assets), served by the API
 * itself with a strict Content-Security-Policy: no CDN, works offline. GraphiQL and the explorer are two of these.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { type Request, type Response } from 'express';

export interface BundledPage {
  /** The page's path, e.g. '/graphiql'; its assets are under it. */
  route: string;
  dir: string;
  assets: readonly string[];
  csp: string;
  /** Told when the bundle is missing. */
  missing: string;
  /** Fills the page's data attributes (endpoints) into the built HTML. */
  fill?: (html: string) => string;
}

export function bundledPageRouter(page: BundledPage): express.Router {
  const router = express.Router();
  const missing = (res: Response): void => {
    res.status(503).set('Cache-Control', 'no-store').type('text/plain').send(page.missing);
  };
  // Matches the route with and without a trailing slash (non-strict routing).
  router.get(page.route, async (req: Request, res: Response) => {
    let html: string;
    try {
      html = await readFile(path.join(page.dir, 'index.html'), 'utf8');
    } catch {
      return missing(res);
    }
    if (page.fill) html = page.fill(html);
    // Mounted under a prefix (app.use('/admin', router)): point the asset URLs there too.
    if (req.baseUrl) html = html.replace(new RegExp(`"${page.route}/`, 'g'), `"${req.baseUrl}${page.route}/`);
    res
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': page.csp,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .send(html);
  });
  for (const asset of page.assets) {
    router.get(`${page.route}/${asset}`, (req: Request, res: Response, next) => {
      const file = path.join(page.dir, asset);
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
