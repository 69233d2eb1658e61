/** GraphiQL is served by the API from the local bundle (dist/graphiql), with no CDN. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import express from 'express';
import { graphiqlRouter } from '../../src/server/graphiql';
import { projectRoot } from '../../src/project-root';
import { tempDir } from '../support/temp-dir';

const root = projectRoot();
const bundleDir = path.join(root, 'dist', 'graphiql');

async function listen(app: express.Express): Promise<{ server: Server; base: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, base: `http://127.0.0.1:${port}` });
    });
  });
}

const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections(); // fetch keeps connections alive
  });

describe('graphiqlRouter', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    // `npm test` builds it in pretest; build here too when jest is run directly.
    if (!['index.html', 'graphiql.js', 'graphiql.css'].every((f) => existsSync(path.join(bundleDir, f)))) {
      const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-graphiql.mjs')], {
        cwd: root,
        encoding: 'utf8',
      });
      if (build.status !== 0) throw new Error(`build-graphiql failed:\n${build.stdout}\n${build.stderr}`);
    }
    const app = express();
    app.use(graphiqlRouter({ endpoint: '/graphql' }));
    ({ server, base } = await listen(app));
  }, 120_000);

  afterAll(async () => {
    if (server) await close(server);
  });

  it('serves the page with local assets only and a same-origin CSP', async () => {
    const res = await fetch(`${base}/graphiql`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('/graphiql/graphiql.js');
    expect(html).toContain('/graphiql/graphiql.css');
    expect(html).toContain('data-endpoint="/graphql"');
    // No CDN or any other external resource.
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//i);

    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    expect(res.headers.get('cache-control')).toBe('no-cache');

    // Trailing slash works too.
    expect((await fetch(`${base}/graphiql/`)).status).toBe(200);
  });

  it('serves the JS bundle, without CDN references and with the example queries', async () => {
    const html = await (await fetch(`${base}/graphiql`)).text();
    const src = /<script[^>]*src="([^"]+)"/.exec(html)?.[1];
    expect(src).toMatch(/^\/graphiql\/graphiql\.js/);

    const res = await fetch(`${base}${src}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toMatch(/immutable/);
    const js = await res.text();
    expect(js.length).toBeGreaterThan(200_000);
    expect(js).not.toContain('https://unpkg');
    expect(js).not.toContain('cdn.jsdelivr');
    for (const example of [
      'ciClasses',
      'identificationRules',
      'relationshipTypes',
      'query Estate',
      'lifecycleStatus',
      'query Servers',
      'environment: "production"',
      'createCi',
      'osVersion: "Ubuntu 24.04"',
    ]) {
      expect(js).toContain(example);
    }
  });

  it('serves the stylesheet', async () => {
    const res = await fetch(`${base}/graphiql/graphiql.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    const css = await res.text();
    expect(css.length).toBeGreaterThan(50_000);
    expect(css).toContain('.graphiql-container');
    expect(css).not.toMatch(/@import|url\(\s*["']?https?:/i);
  });

  it('fills in a custom endpoint (escaped) and follows a mount prefix', async () => {
    const app = express();
    app.use('/admin', graphiqlRouter({ endpoint: '/api/graphql?a=1&b="2"' }));
    const { server: other, base: otherBase } = await listen(app);
    try {
      const html = await (await fetch(`${otherBase}/admin/graphiql`)).text();
      expect(html).toContain('data-endpoint="/api/graphql?a=1&amp;b=&quot;2&quot;"');
      expect(html).toContain('src="/admin/graphiql/graphiql.js');
      expect((await fetch(`${otherBase}/admin/graphiql/graphiql.css`)).status).toBe(200);
    } finally {
      await close(other);
    }
  });

  it('answers 503 with a hint when the bundle is missing', async () => {
    const empty = tempDir('graphiql-missing');
    const app = express();
    app.use(graphiqlRouter({ endpoint: '/graphql', assetsDir: empty }));
    const { server: other, base: otherBase } = await listen(app);
    try {
      for (const url of ['/graphiql', '/graphiql/graphiql.js', '/graphiql/graphiql.css']) {
        const res = await fetch(`${otherBase}${url}`);
        expect(res.status).toBe(503);
        expect(await res.text()).toContain('npm run build');
      }
    } finally {
      await close(other);
    }
  });
});
