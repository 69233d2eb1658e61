// GraphiQL front end served by the API itself at /graphiql.
// Bundled at build time by scripts/build-graphiql.mjs (esbuild) into dist/graphiql/;
// everything comes from node_modules, so the page works with no internet access.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';

/**
 * Example operations, opened as GraphiQL tabs on first visit (GraphiQL keeps the
 * user's tabs in localStorage afterwards). Edit this array to change the examples;
 * the tab title comes from the operation name.
 */
const EXAMPLES = [
  {
    comment: 'The CI class model: inheritance, attributes and identification rules.',
    query: `query CiClasses {
  ciClasses {
    name
    parent
    abstract
    attributes { name type required sensitive }
    identificationRules { priority identifiers }
  }
}`,
  },
  {
    comment: 'Relationship types and which classes they may connect.',
    query: `query RelationshipTypes {
  relationshipTypes {
    name
    inverseName
    propagation
    allowedSources
    allowedTargets
  }
}`,
  },
  {
    comment: 'First page of the estate, with each CI\'s relationships (cursor pagination).',
    query: `query Estate {
  cis(first: 5) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id
        name
        class
        lifecycleStatus
        environment
        attributes
        relationships {
          type
          direction
          inverseName
          ci { name class }
        }
      }
    }
  }
}`,
  },
  {
    comment: 'Production servers (the class filter includes subclasses such as LinuxServer).',
    query: `query Servers {
  cis(first: 20, filter: { class: "Server", environment: "production" }) {
    totalCount
    edges { node { name class attributes } }
  }
}`,
  },
  {
    comment: 'Create a CI; attributes are validated against the class model.',
    query: `mutation CreateCi {
  createCi(
    input: {
      class: "LinuxServer"
      name: "web-01"
      environment: "production"
      attributes: { hostname: "web-01", domain: "example.com", osVersion: "Ubuntu 24.04" }
    }
  ) {
    id
    name
    class
    attributes
  }
}`,
  },
  {
    comment: 'What fails with a CI: paste an id (e.g. a switch or a host from the Estate tab) into the variables.',
    query: `query Impact($ciIds: [ID!]!) {
  impact(input: { ciIds: $ciIds, maxDepth: 6 }) {
    truncated
    services { ci { name criticality owner } severity }
    affected { ci { name class } severity depth paths { from { name } type to { name } } }
    notify { contact role services }
  }
}`,
    variables: { ciIds: ['<CI id>'] },
  },
  {
    comment: 'Explain what a discovery record would do, without writing anything (dryRun).',
    query: `mutation ReconcileDryRun {
  reconcile(input: {
    source: "manual"
    dryRun: true
    items: [{ ref: "h1", class: "LinuxServer", attributes: { hostname: "web-01", domain: "example.com", cpuCount: 8 } }]
  }) {
    items { ref operation identification { rule status candidates } changes { field oldValue newValue reason } errors { field reason } }
    totals { created updated noChange errors }
  }
}`,
  },
  {
    comment: 'Data quality: completeness, duplicates, orphans, staleness and source freshness.',
    query: `query Health {
  cmdbHealth {
    summary { totalCis completeness duplicateCount orphanCount staleCount }
    classes { class ciCount completeness orphanCount staleCount }
    sources { name lastRunStatus lastSuccessfulRun { finishedAt itemsReported } }
  }
}`,
  },
];

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
      <GraphiQL fetcher={fetcher} defaultTabs={EXAMPLES.map(toTab)} />
    </div>
  </div>,
);
