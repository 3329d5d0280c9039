// The graphql-http conformance audit against a running gateway; exits non-zero on any error or warning.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs http://127.0.0.1:8080/graphql');
  process.exit(2);
}
// The endpoint needs a key: demo mode's documented one unless EXOGATE_API_KEY names another.
const key = process.env.EXOGATE_API_KEY ?? 'exogate-demo-key';
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('X-API-Key', key);
  return fetch(input, { ...init, headers });
};
const results = await auditServer({ url, fetchFn });
let errors = 0;
let warnings = 0;
for (const result of results) {
  if (result.status === 'error') {
    errors++;
    console.log(`ERROR ${result.id} ${result.name}: ${result.reason}`);
  } else if (result.status === 'warn') {
    warnings++;
    console.log(`WARN  ${result.id} ${result.name}: ${result.reason}`);
  }
}
console.log(`graphql-http audit of ${url}: ${results.length} checks, ${errors} errors, ${warnings} warnings`);
process.exit(errors > 0 || warnings > 0 ? 1 : 0);
