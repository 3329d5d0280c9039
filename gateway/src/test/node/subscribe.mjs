// Subscribes to recordingReady on a running exogate with the npm graphql-ws client and prints, as one JSON
// line each, every result received and how the subscription ended. Exits 0 once it completed, 1 otherwise.
// usage: node subscribe.mjs ws://127.0.0.1:8080/graphql <api key> <call sid>
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, key, callSid] = process.argv.slice(2);
if (!url || !key || !callSid) {
  console.error('usage: node subscribe.mjs ws://host:port/graphql <api key> <call sid>');
  process.exit(2);
}
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { 'X-API-Key': key },
  retryAttempts: 0,
  lazy: true,
});
const query = `subscription Ready($sid: ID!) {
  recordingReady(callSid: $sid) { callSid status url playbackUrl }
}`;
const timer = setTimeout(() => {
  console.log(JSON.stringify({ ended: 'timeout' }));
  process.exit(1);
}, 60000);
client.subscribe({ query, variables: { sid: callSid } }, {
  next: (result) => console.log(JSON.stringify({ next: result })),
  error: (error) => {
    const shown = Array.isArray(error) ? error : error instanceof Error ? error.message : `closed ${error?.code} ${error?.reason ?? ''}`;
    console.log(JSON.stringify({ ended: 'error', error: shown }));
    clearTimeout(timer);
    client.dispose();
    process.exitCode = 1;
  },
  complete: () => {
    console.log(JSON.stringify({ ended: 'complete' }));
    clearTimeout(timer);
    client.dispose();
  },
});
