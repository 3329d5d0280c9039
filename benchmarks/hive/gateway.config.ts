import { defineConfig } from '@graphql-hive/gateway';

// Hive Gateway for the benchmark: the composed supergraph, and its response cache kept in the harness's Redis.
export const gatewayConfig = defineConfig({
  supergraph: './supergraph.graphql',
  host: '127.0.0.1',
  port: Number(process.env.HIVE_PORT ?? 4000),
  cache: {
    type: 'redis',
    url: process.env.REDIS_URL,
    keyPrefix: 'hive-bench:',
  },
  responseCaching: {
    // One answer for every caller: the benchmark has no sessions.
    session: () => null,
    ttl: 60_000,
  },
  logging: 'warn',
});
