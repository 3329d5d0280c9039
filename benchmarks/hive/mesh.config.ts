import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

// The sandbox's v3 voice-log endpoint as a subgraph. The endpoint and the Basic credentials are read from the
// environment when the gateway runs (SANDBOX_URL, SANDBOX_BASIC), so the composed supergraph holds neither.
export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph('Sandbox', {
        source: './openapi.yaml',
        endpoint: '{env.SANDBOX_URL}',
        operationHeaders: {
          Authorization: 'Basic {env.SANDBOX_BASIC}',
        },
      }),
    },
  ],
});
