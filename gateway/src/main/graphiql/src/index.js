// The GraphiQL page's code: GraphiQL over this gateway's own /graphql, subscriptions over graphql-ws,
// the example operations preloaded and the headers the gateway's settings name (demo mode's key, or an
// empty one to fill in, never stored). Everything it loads comes from this origin.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { setNonce } from 'get-nonce';
import 'graphiql/style.css';
import './page.css';

async function text(path) {
  const response = await fetch(new URL(path, location.origin), { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`${path} answered ${response.status}`);
  }
  return response.text();
}

function sameOrigin(path, protocol) {
  const url = new URL(path, location.origin);
  if (url.origin !== location.origin) {
    throw new Error('The GraphQL endpoint must be on the same origin as this page');
  }
  if (protocol) {
    url.protocol = protocol;
  }
  return url.href;
}

// The style elements GraphiQL's menus and dialogs add carry this page's nonce, which its
// Content-Security-Policy names (style-src has no 'unsafe-inline').
const nonce = document.querySelector('meta[name="csp-nonce"]')?.content;
if (nonce) {
  setNonce(nonce);
}

async function start() {
  const [settings, examples] = await Promise.all([
    text('/graphiql/settings.json').then((body) => JSON.parse(body)),
    text('/graphiql-examples.graphql'),
  ]);
  const headers = JSON.stringify(settings.headers, null, 2);
  // Headers with a value (demo mode's key) go on every request, also those GraphiQL makes before its
  // header editor is ready (the schema's introspection); what the editor holds is added and wins.
  const given = Object.fromEntries(Object.entries(settings.headers).filter(([, value]) => value));
  const fetcher = createGraphiQLFetcher({
    url: sameOrigin(settings.path),
    headers: given,
    // A subscription opens a graphql-ws connection whose connection_init carries the same headers.
    subscriptionUrl: settings.subscriptionPath
      ? sameOrigin(settings.subscriptionPath, location.protocol === 'https:' ? 'wss:' : 'ws:')
      : undefined,
    wsConnectionParams: given,
  });
  createRoot(document.getElementById('graphiql')).render(createElement(GraphiQL, {
    fetcher,
    headers,
    defaultHeaders: headers,
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: 'headers',
    defaultQuery: examples,
  }));
}

start().catch((error) => {
  const root = document.getElementById('graphiql');
  root.replaceChildren();
  const message = document.createElement('p');
  message.className = 'failed';
  message.textContent = `GraphiQL could not start: ${error.message}`;
  root.append(message);
  console.error(error);
});
