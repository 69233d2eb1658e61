// GraphiQL front end served by the API itself at /graphiql.
// Bundled at build time by scripts/build-graphiql.mjs (esbuild) into dist/graphiql/;
// everything comes from node_modules, so the page works with no internet access.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import examples from './examples.json';

/**
 * Example operations, opened as GraphiQL tabs on first visit (GraphiQL keeps the user's tabs in localStorage
 * afterwards). They name CIs of the demo estate by reference, so each runs as it is after `npm run demo`; a test
 * runs every one of them. Edit examples.json to change them; the tab title comes from the operation name.
 */
const EXAMPLES = examples;

const toTab = ({ comment, query, variables }) => ({
  query: `# ${comment}\n${query}\n`,
  variables: variables ? JSON.stringify(variables, null, 2) : undefined,
});

const root = document.getElementById('graphiql');
const absolute = (url) => new URL(url, window.location.href).toString();
const endpoint = absolute(root.dataset.endpoint || '/graphql');
const subscriptionEndpoint = root.dataset.subscriptionEndpoint
  ? absolute(root.dataset.subscriptionEndpoint).replace(/^http/, 'ws')
  : undefined;

const baseFetcher = createGraphiQLFetcher({ url: endpoint, subscriptionUrl: subscriptionEndpoint });

// The API token lives in this tab's sessionStorage only: never in a URL, gone when the browser session ends.
const TOKEN_KEY = 'cmdb.token';
const storedToken = () => window.sessionStorage.getItem(TOKEN_KEY) || '';
const fetcher = (params, opts = {}) => {
  const token = storedToken();
  const headers = { ...(opts.headers || {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  return baseFetcher(params, { ...opts, headers });
};

// "Open this query in GraphiQL" (the explorer) passes the operation and its variables in the URL.
const linked = new URLSearchParams(window.location.search);
const fromLink = linked.has('query') ? { query: linked.get('query'), variables: linked.get('variables') ?? undefined } : {};

function TokenBar() {
  const [saved, setSaved] = useState(Boolean(storedToken()));
  const [value, setValue] = useState('');
  const use = (event) => {
    event.preventDefault();
    if (!value.trim()) return;
    window.sessionStorage.setItem(TOKEN_KEY, value.trim());
    setValue('');
    setSaved(true);
  };
  const forget = () => {
    window.sessionStorage.removeItem(TOKEN_KEY);
    setSaved(false);
  };
  return (
    <form className="cmdb-token-bar" onSubmit={use}>
      {saved ? (
        <>
          <span id="cmdb-token-state">API token set for this browser session.</span>
          <button type="button" onClick={forget}>Forget token</button>
        </>
      ) : (
        <>
          <label htmlFor="cmdb-token">API token</label>
          <input id="cmdb-token" type="password" autoComplete="off" placeholder="cmdb_... (printed by the first npm start, kept in .cmdb/admin-token)"
            value={value} onChange={(e) => setValue(e.target.value)} />
          <button type="submit">Use token</button>
        </>
      )}
    </form>
  );
}

createRoot(root).render(
  <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
    <TokenBar />
    <div style={{ flex: 1, minHeight: 0 }}>
      <GraphiQL fetcher={fetcher} defaultTabs={EXAMPLES.map(toTab)} {...fromLink} />
    </div>
  </div>,
);
