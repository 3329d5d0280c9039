// The benchmark harness, started by benchmarks/run (which builds what it needs first; see benchmarks/README.md).
//
// In one run it starts Redis (its own, on a free port), the sandbox, the limit server (Reactor Netty + Lettuce
// answering exogate's JSON from one Redis key), Hive Gateway (composed from the sandbox's v3 voice-log OpenAPI
// description, Redis response cache on) and exogate, then runs the scenarios with wrk in interleaved rounds,
// samples each server's CPU and RSS from /proc, and writes the report. It exits 1 when a scenario errored
// (a non-2xx answer, GraphQL errors in a checked sample, a server that died) and stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const hiveWanted = !args.includes('--no-hive');
const bench = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(bench);
const work = path.join(bench, 'target', smoke ? 'smoke' : 'full');
const reportFile = smoke ? path.join(bench, 'target', 'BENCHMARKS-smoke.md') : path.join(bench, 'BENCHMARKS.md');
const command = 'benchmarks/run' + (smoke ? ' --smoke' : '') + (hiveWanted ? '' : ' --no-hive');

// Seconds per wrk run, rounds, samples. The full run is for a quiet machine; the smoke run keeps the harness working.
const S = smoke
  ? { warm: 1, run: 2, rounds: 1, cold: 2, warmupSteps: 3, warmupStep: 1, pages: [10, 50, 100], pageConns: 8, playbackConns: 16, streamConns: 4, streamWarm: 1, streamRun: 2, parallelStreams: 100, streamPace: '4M', heapSampleEvery: 400 }
  : { warm: 10, run: 15, rounds: 5, cold: 20, warmupSteps: 6, warmupStep: 5, pages: [10, 50, 100], pageConns: 64, playbackConns: 16, streamConns: 16, streamWarm: 5, streamRun: 10, parallelStreams: 100, streamPace: '1M', heapSampleEvery: 2500 };
// The smoke run loads with fewer connections, so that cold JVMs on a busy CI machine still answer within its seconds.
const CONNS = smoke ? 8 : 64;

// The sandbox's first demo account: fine inside the harness, never written to the report or the logs we print.
const ACCOUNT = { sid: 'exogate-demo', key: 'demo-key', token: 'demo-token', v4: 'demo-v4-token' };
const clientKey = 'bench-' + crypto.randomBytes(16).toString('hex');
// One playback signing key for every exogate instance of the run, as instances behind one address share theirs.
const signingKey = crypto.randomBytes(32).toString('base64');

const RECORDING_QUERY = 'query Recording($sid: ID!) { recording(callSid: $sid) { url expiresAt status } }';
const HIVE_QUERY = 'query Recording($account: String!, $sid: String!) { voiceLog(account_sid: $account, call_sid: $sid) '
  + '{ response { voice_log { recording_url expires_at status } } } }';
const PAGE_QUERY = 'query Page($n: Int!) { calls(first: $n) { edges { node { sid status recording { url } agent { name } } } } }';

fs.mkdirSync(work, { recursive: true });
/**
 * The java that runs the Java servers (the sandbox, the limit and exogate through bin/exogate): BENCH_JAVA, else the
 * newest JDK of 25 or later under /usr/lib/jvm, else java on the PATH. The plain `java -jar` row uses java on the PATH.
 */
const JAVA = process.env.BENCH_JAVA || (() => {
  let best = null;
  try {
    for (const dir of fs.readdirSync('/usr/lib/jvm')) {
      const home = path.join('/usr/lib/jvm', dir);
      const version = /JAVA_VERSION="(\d+)/.exec(fs.existsSync(path.join(home, 'release')) ? fs.readFileSync(path.join(home, 'release'), 'utf8') : '');
      if (version && Number(version[1]) >= 25 && fs.existsSync(path.join(home, 'bin/java')) && (!best || Number(version[1]) > best.v)) {
        best = { v: Number(version[1]), java: path.join(home, 'bin/java') };
      }
    }
  } catch { /* no /usr/lib/jvm */ }
  return best?.java;
})() || 'java';
const LAUNCHER = path.join(root, 'bin/exogate');

const errors = [];
const procs = [];
let stopping = false;

function log(message) {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// ---------------------------------------------------------------- processes

function start(name, cmd, argv, options = {}) {
  const logFile = path.join(work, `${name}.log`);
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(cmd, argv, {
    cwd: options.cwd ?? root, env: { ...process.env, ...(options.env ?? {}) }, stdio: ['ignore', fd, fd], detached: true,
  });
  fs.closeSync(fd);
  const proc = { name, pid: child.pid, child, logFile, exited: null, startedAt: performance.now(), readyAt: null };
  child.on('exit', (code, signal) => {
    proc.exited = { code, signal };
    if (!stopping && !proc.expectExit) {
      errors.push(`${name} exited (${signal ?? 'code ' + code}); its log: ${path.relative(root, logFile)}`);
    }
  });
  procs.push(proc);
  return proc;
}

/** The last resort, when the harness itself exits: whatever still runs is killed at once. */
function killNow() {
  stopping = true;
  for (const proc of [...procs].reverse()) {
    if (!proc.exited) {
      try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }
}

async function stop(proc) {
  proc.expectExit = true;
  if (proc.exited) return;
  try { process.kill(-proc.pid, 'SIGTERM'); } catch { return; }
  // Hive Gateway's workers can outlive a SIGTERM by long seconds; nothing is kept, so it gets less grace.
  const grace = proc.name === 'hive' ? 20 : 100;
  for (let i = 0; i < grace && !proc.exited; i++) await sleep(100);
  if (!proc.exited) { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ } }
}

async function stopAll() {
  stopping = true;
  await Promise.all([...procs].reverse().map(stop));
}

process.on('exit', killNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stopping) { killNow(); process.exit(130); }
    log(`${signal}: stopping every server (again to kill them at once)`);
    stopAll().finally(() => process.exit(130));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

async function waitReady(proc, probe, timeoutSeconds) {
  const deadline = performance.now() + timeoutSeconds * 1000;
  while (performance.now() < deadline) {
    if (proc.exited) throw new Error(`${proc.name} exited before it was ready; its log: ${path.relative(root, proc.logFile)}`);
    try { if (await probe()) { proc.readyAt = performance.now(); return (proc.readyAt - proc.startedAt) / 1000; } } catch { /* not yet */ }
    await sleep(50);
  }
  throw new Error(`${proc.name} was not ready within ${timeoutSeconds} s; its log: ${path.relative(root, proc.logFile)}`);
}

// ---------------------------------------------------------------- /proc sampling

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function tree(pid) {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    try {
      for (const task of fs.readdirSync(`/proc/${pids[i]}/task`)) {
        const children = fs.readFileSync(`/proc/${pids[i]}/task/${task}/children`, 'utf8').trim();
        if (children) pids.push(...children.split(/\s+/).map(Number));
      }
    } catch { /* gone */ }
  }
  return pids;
}

function cpuTicks(pid) {
  let ticks = 0;
  for (const p of tree(pid)) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch { /* gone */ }
  }
  return ticks;
}

function rssMb(pid) {
  let kb = 0;
  for (const p of tree(pid)) {
    try {
      const match = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (match) kb += Number(match[1]);
    } catch { /* gone */ }
  }
  return kb / 1024;
}

// ---------------------------------------------------------------- HTTP and Redis

async function post(url, body, headers = {}) {
  const response = await fetch(url, {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body),
    signal: AbortSignal.timeout(15000),
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, text, json };
}

async function get(url, headers = {}) {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(15000) });
  const buffer = Buffer.from(await response.arrayBuffer());
  return { status: response.status, buffer, text: buffer.toString('utf8') };
}

let redisPort;
function redis(...argv) {
  const input = argv.length && typeof argv[argv.length - 1] === 'object' ? argv.pop().input : undefined;
  const result = spawnSync('redis-cli', ['-p', String(redisPort), ...(input !== undefined ? ['-x'] : []), ...argv],
    { input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`redis-cli ${argv[0]} failed: ${result.stderr}`);
  return result.stdout.trim();
}

function deleteKeys(pattern) {
  const keys = redis('--scan', '--pattern', pattern).split('\n').filter(Boolean);
  for (let i = 0; i < keys.length; i += 500) redis('DEL', ...keys.slice(i, i + 500));
  return keys.length;
}

// ---------------------------------------------------------------- wrk

/** One wrk run; samples the CPU and the peak RSS of the given servers meanwhile. */
async function wrk({ url, body, headers = {}, conns = CONNS, seconds, sample = [] }) {
  const env = { BENCH_HEADERS: Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n') };
  if (body !== undefined) {
    const json = JSON.stringify(body);
    env.BENCH_BODY = path.join(work, `body-${crypto.createHash('sha256').update(json).digest('hex').slice(0, 12)}.json`);
    fs.writeFileSync(env.BENCH_BODY, json);
  }
  const argv = ['-t1', `-c${conns}`, `-d${seconds}s`, '--timeout', '10s', '-s', path.join(bench, 'wrk', 'bench.lua'), url];
  const ticks = sample.map((proc) => cpuTicks(proc.pid));
  const rss = sample.map((proc) => rssMb(proc.pid));
  const began = performance.now();
  const sampler = setInterval(() => sample.forEach((proc, i) => { rss[i] = Math.max(rss[i], rssMb(proc.pid)); }), 250);
  const child = spawn('wrk', argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk) => { out += chunk; });
  child.stderr.on('data', (chunk) => { out += chunk; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  const wall = (performance.now() - began) / 1000;
  const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}): ${out.trim().split('\n').slice(-3).join(' / ')}`);
  const r = JSON.parse(line.slice('BENCH_RESULT '.length));
  const secs = r.duration_us / 1e6;
  return {
    requests: r.requests, seconds: secs, rps: r.requests / secs, mbps: r.bytes / secs / 1e6,
    // No request completed: no latency to speak of (shown as –), not a latency of 0.
    p50: r.requests ? r.p50_us / 1000 : NaN, p99: r.requests ? r.p99_us / 1000 : NaN, max: r.requests ? r.max_us / 1000 : NaN,
    non2xx: r.status, socketErrors: r.connect + r.read + r.write, timeouts: r.timeout,
    cpu: sample.map((proc, i) => ((cpuTicks(proc.pid) - ticks[i]) / CLK_TCK / wall) * 100),
    rss: sample.map((_, i) => rss[i]),
  };
}

function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function percentile(values, p) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Folds the rounds of one target into one row: medians of rps, p50 and p99, mean CPU, peak RSS, summed errors. */
function fold(runs) {
  return {
    rounds: runs.length, requests: runs.reduce((a, r) => a + r.requests, 0),
    rps: median(runs.map((r) => r.rps)), rpsMin: Math.min(...runs.map((r) => r.rps)), rpsMax: Math.max(...runs.map((r) => r.rps)),
    mbps: median(runs.map((r) => r.mbps)),
    p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)),
    cpu: runs[0].cpu.map((_, i) => runs.reduce((a, r) => a + r.cpu[i], 0) / runs.length),
    rss: runs[0].rss.map((_, i) => Math.max(...runs.map((r) => r.rss[i]))),
    non2xx: runs.reduce((a, r) => a + r.non2xx, 0), socketErrors: runs.reduce((a, r) => a + r.socketErrors, 0),
    timeouts: runs.reduce((a, r) => a + r.timeouts, 0),
  };
}

/** Runs each target warm, then in interleaved rounds (A, B, C, A, B, C, …); checks a sample answer of each after. */
async function interleaved(scenario, targets, { warm = S.warm, seconds = S.run, rounds = S.rounds } = {}) {
  for (const t of targets) {
    if (warm > 0) await wrk({ ...t.load, seconds: warm, sample: [] });
  }
  const runs = new Map(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const t of targets) {
      const before = t.before ? await t.before() : null;
      const run = await wrk({ ...t.load, seconds, sample: t.sample });
      if (t.after) Object.assign(run, await t.after(before, run));
      runs.get(t.name).push(run);
      log(`${scenario} round ${round} ${t.name}: ${run.rps.toFixed(0)} rps, p99 ${run.p99.toFixed(2)} ms`);
    }
  }
  const rows = new Map();
  for (const t of targets) {
    const row = { ...fold(runs.get(t.name)), extra: runs.get(t.name).map((r) => r.extra).filter((e) => e !== undefined) };
    if (row.non2xx > 0) errors.push(`${scenario}, ${t.name}: ${row.non2xx} non-2xx answers`);
    if (row.requests === 0) errors.push(`${scenario}, ${t.name}: no request completed`);
    if (t.check) {
      const problem = await t.check().catch((e) => `sample request failed: ${e.message}`);
      if (problem) errors.push(`${scenario}, ${t.name}: ${problem}`);
    }
    rows.set(t.name, row);
  }
  return rows;
}

// ---------------------------------------------------------------- the servers

const ports = {};
const servers = {};
const startup = {};
let hiveUnavailable = process.env.BENCH_HIVE_UNAVAILABLE || (hiveWanted ? null : 'left out with --no-hive');

function exogateConfig(sandboxUrl, redisUrl) {
  const hash = crypto.createHash('sha256').update(clientKey).digest('hex');
  return `# Written by benchmarks/harness.mjs for one run: exogate over the harness's sandbox and Redis.
exogate:
  demo:
    enabled: false
  exotel:
    accounts:
      - sid: ${ACCOUNT.sid}
        api-key: ${ACCOUNT.key}
        api-token: ${ACCOUNT.token}
        v4-token: ${ACCOUNT.v4}
        base-urls: { v1: "${sandboxUrl}", v3: "${sandboxUrl}", v4: "${sandboxUrl}" }
        # The sandbox's own limit is raised as far: the benchmark measures the gateway, not the budget.
        requests-per-minute: 100000000
  cache:
    redis-url: ${redisUrl}
  playback:
    signing-keys: ["${signingKey}"]
    # wrk opens ${S.playbackConns} streams of one link at once, the parallel scenario ${S.parallelStreams}; the default cap per link is 4.
    max-streams-per-token: ${Math.max(S.playbackConns * 4, S.parallelStreams)}
    # ... and asks for that one link far more often than a player would (default: 240 a minute).
    max-requests-per-token: 100000000
  security:
    tenants:
      - id: bench
        accounts: [${ACCOUNT.sid}]
        api-keys: ["sha256:${hash}"]
        requests-per-minute: 1000000000
`;
}

/**
 * Starts exogate: through bin/exogate (its JVM options and its class cache, trained first by `bin/exogate prepare`,
 * untimed) on JAVA; or, with plain, as `java -jar` with no option on the java of the PATH.
 */
async function startExogate(name, sandboxUrl, redisUrl, { plain = false } = {}) {
  const port = await freePort();
  const config = path.join(work, 'exogate.yaml');
  fs.writeFileSync(config, exogateConfig(sandboxUrl, redisUrl), { mode: 0o600 });
  const argv = [`--spring.config.additional-location=file:${config}`, `--server.port=${port}`, '--server.address=127.0.0.1'];
  let proc;
  if (plain) {
    proc = start(name, 'java', ['-jar', path.join(root, 'gateway/target/exogate.jar'), ...argv]);
  } else {
    const env = { ...process.env, EXOGATE_JAVA: JAVA, EXOGATE_CACHE_DIR: path.join(work, 'exogate-launch') };
    const prepared = spawnSync(LAUNCHER, ['prepare', ...argv], { env, encoding: 'utf8', timeout: 300000 });
    if (prepared.status !== 0 || /could not be trained/.test(prepared.stderr)) {
      throw new Error(`bin/exogate prepare failed (exit ${prepared.status}): ${(prepared.stderr || '').trim().slice(-300)}`);
    }
    proc = start(name, LAUNCHER, argv, { env });
  }
  proc.url = `http://127.0.0.1:${port}`;
  startup[name] = await waitReady(proc, async () => {
    const r = await post(`${proc.url}/graphql`, { query: '{ accounts { sid } }' }, { 'X-API-Key': clientKey });
    return r.status === 200 && r.json?.data?.accounts?.length === 1;
  }, 180);
  startup[name + ':rss'] = rssMb(proc.pid);
  log(`${name} ready in ${startup[name].toFixed(1)} s at ${proc.url}`);
  return proc;
}

async function startServers() {
  redisPort = await freePort();
  servers.redis = start('redis', 'redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'no', '--dir', work]);
  startup.redis = await waitReady(servers.redis, async () => redis('PING') === 'PONG', 20);
  const redisUrl = `redis://127.0.0.1:${redisPort}`;

  ports.sandbox = await freePort();
  servers.sandbox = start('sandbox', JAVA, ['-jar', path.join(root, 'exotel-sandbox/target/exotel-sandbox.jar'),
    `--server.port=${ports.sandbox}`, '--sandbox.rate-limit-per-minute=100000000']);
  servers.sandbox.url = `http://127.0.0.1:${ports.sandbox}`;
  startup.sandbox = await waitReady(servers.sandbox, async () => (await get(`${servers.sandbox.url}/__sandbox/stats`)).status === 200, 120);
  startup['sandbox:rss'] = rssMb(servers.sandbox.pid);
  log(`sandbox ready in ${startup.sandbox.toFixed(1)} s`);

  ports.limit = await freePort();
  servers.limit = start('limit', JAVA, ['-jar', path.join(bench, 'target/limit-server.jar'), String(ports.limit), redisUrl]);
  servers.limit.url = `http://127.0.0.1:${ports.limit}`;
  startup.limit = await waitReady(servers.limit, async () => (await get(`${servers.limit.url}/ready`)).status === 204, 120);
  startup['limit:rss'] = rssMb(servers.limit.pid);
  log(`limit server ready in ${startup.limit.toFixed(1)} s`);

  if (!hiveUnavailable) {
    try {
      await startHive(redisUrl);
    } catch (e) {
      hiveUnavailable = `it did not start here: ${e.message}`;
      if (servers.hive) await stop(servers.hive);
      servers.hive = null;
      errors.push(`Hive Gateway: ${e.message}`);
    }
  }
  if (hiveUnavailable) log(`Hive Gateway unavailable: ${hiveUnavailable}`);

  servers.exogate = await startExogate('exogate', servers.sandbox.url, redisUrl);
  return redisUrl;
}

async function startHive(redisUrl) {
  const hive = path.join(bench, 'hive');
  const compose = spawnSync(process.execPath, [path.join(hive, 'node_modules/@graphql-mesh/compose-cli/esm/bin.js'),
    '-o', 'supergraph.graphql'], { cwd: hive, encoding: 'utf8' });
  fs.writeFileSync(path.join(work, 'hive-compose.log'), compose.stdout + compose.stderr);
  if (compose.status !== 0) throw new Error(`composing the supergraph failed (see ${path.relative(root, path.join(work, 'hive-compose.log'))})`);
  ports.hive = await freePort();
  const fork = Number(process.env.BENCH_HIVE_FORK ?? os.availableParallelism?.() ?? os.cpus().length);
  servers.hive = start('hive', process.execPath, [path.join(hive, 'node_modules/@graphql-hive/gateway/dist/bin.js'),
    'supergraph', '--fork', String(fork)], {
    cwd: hive,
    env: {
      NODE_ENV: 'production', HIVE_PORT: String(ports.hive), REDIS_URL: redisUrl, SANDBOX_URL: servers.sandbox.url,
      SANDBOX_BASIC: Buffer.from(`${ACCOUNT.key}:${ACCOUNT.token}`).toString('base64'),
    },
  });
  servers.hive.url = `http://127.0.0.1:${ports.hive}`;
  servers.hive.fork = fork;
  startup.hive = await waitReady(servers.hive, async () => (await post(`${servers.hive.url}/graphql`, { query: '{ __typename }' })).status === 200, 120);
  startup['hive:rss'] = rssMb(servers.hive.pid);
  log(`Hive Gateway ready in ${startup.hive.toFixed(1)} s (${fork} worker${fork > 1 ? 's' : ''})`);
}

// ---------------------------------------------------------------- seeding

async function sandboxStats() {
  const stats = JSON.parse((await get(`${servers.sandbox.url}/__sandbox/stats`)).text);
  const upstream = Object.entries(stats).filter(([k]) => k !== 'rate_limited' && k !== 'media').reduce((a, [, v]) => a + v, 0);
  return { upstream, media: stats.media, rateLimited: stats.rate_limited, stats };
}

const basic = () => 'Basic ' + Buffer.from(`${ACCOUNT.key}:${ACCOUNT.token}`).toString('base64');

/** A call of the sandbox's first account whose recording is available (from its v1 list, checked in v3). */
async function pickCall() {
  const list = JSON.parse((await get(`${servers.sandbox.url}/v1/Accounts/${ACCOUNT.sid}/Calls.json?PageSize=100`,
    { Authorization: basic() })).text);
  for (const call of list.Calls.slice(20)) {
    if (!call.RecordingUrl) continue;
    const log3 = await get(`${servers.sandbox.url}/v3/accounts/${ACCOUNT.sid}/calls/${call.Sid}/voice-logs`, { Authorization: basic() });
    if (log3.status === 200 && JSON.parse(log3.text).response.voice_log.status === 'available') return call.Sid;
  }
  throw new Error('the sandbox has no call with an available recording among its newest 100');
}

// ---------------------------------------------------------------- scenarios

const results = {};
let callSid;

const exogateHeaders = () => ({ 'X-API-Key': clientKey });
const recordingBody = () => ({ query: RECORDING_QUERY, variables: { sid: callSid } });
const hiveBody = () => ({ query: HIVE_QUERY, variables: { account: ACCOUNT.sid, sid: callSid } });

function checkRecording(r) {
  if (r.status !== 200) return `sample answered HTTP ${r.status}`;
  if (r.json?.errors) return `sample answered GraphQL errors: ${JSON.stringify(r.json.errors).slice(0, 200)}`;
  if (!r.json?.data?.recording?.url) return 'sample answered no recording URL';
  return null;
}

function recordingTargets() {
  const targets = [
    {
      name: 'exogate', sample: [servers.exogate],
      load: { url: `${servers.exogate.url}/graphql`, body: recordingBody(), headers: exogateHeaders() },
      check: async () => checkRecording(await post(`${servers.exogate.url}/graphql`, recordingBody(), exogateHeaders())),
    },
    {
      name: 'limit', sample: [servers.limit],
      load: { url: `${servers.limit.url}/graphql`, body: recordingBody(), headers: { 'X-Bench-Key': 'recording' } },
      check: async () => checkRecording(await post(`${servers.limit.url}/graphql`, recordingBody(), { 'X-Bench-Key': 'recording' })),
    },
  ];
  if (servers.hive) {
    targets.push({
      name: 'hive', sample: [servers.hive],
      load: { url: `${servers.hive.url}/graphql`, body: hiveBody() },
      check: async () => {
        const r = await post(`${servers.hive.url}/graphql`, hiveBody());
        if (r.status !== 200) return `sample answered HTTP ${r.status}`;
        if (r.json?.errors) return `sample answered GraphQL errors: ${JSON.stringify(r.json.errors).slice(0, 200)}`;
        if (!r.json?.data?.voiceLog?.response?.voice_log?.recording_url) return 'sample answered no recording URL';
        return null;
      },
    });
  }
  return targets;
}

/** (4) Warm-up: throughput over the first seconds after ready, in steps, each server fresh; then RSS. */
async function scenarioWarmup() {
  const rows = [];
  for (const t of recordingTargets()) {
    if (t.name === 'limit') {
      // The limit answers exogate's JSON: exogate has answered by now, so it can be stored.
      const answer = await post(`${servers.exogate.url}/graphql`, recordingBody(), exogateHeaders());
      const problem = checkRecording(answer);
      if (problem) throw new Error(`exogate's recording answer to store for the limit server: ${problem}`);
      redis('SET', 'exogate-bench:answer:recording', { input: answer.text });
    }
    rows.push(await warmupSteps(t));
  }
  results.warmup = rows;
}

/** The recording query against one freshly started server, in steps of S.warmupStep seconds. */
async function warmupSteps(t) {
  const steps = [];
  for (let i = 0; i < S.warmupSteps; i++) steps.push(await wrk({ ...t.load, seconds: S.warmupStep, sample: t.sample }));
  const non2xx = steps.reduce((a, s) => a + s.non2xx, 0);
  if (non2xx > 0) errors.push(`warm-up, ${t.name}: ${non2xx} non-2xx answers`);
  const problem = await t.check();
  if (problem) errors.push(`warm-up, ${t.name}: ${problem}`);
  log(`warm-up ${t.name}: ${steps.map((s) => s.rps.toFixed(0)).join(', ')} rps`);
  return { name: t.name, steps: steps.map((s) => s.rps), p99: steps.map((s) => s.p99), rss: rssMb(t.sample[0].pid) };
}

/** (4b) exogate started as plain `java -jar` (java of the PATH, no JVM option, no class cache): start and warm-up. */
async function scenarioPlainStart(redisUrl) {
  const proc = await startExogate('exogate-jar', servers.sandbox.url, redisUrl, { plain: true });
  try {
    results.warmup.push(await warmupSteps({
      name: 'exogate-jar', sample: [proc],
      load: { url: `${proc.url}/graphql`, body: recordingBody(), headers: exogateHeaders() },
      check: async () => checkRecording(await post(`${proc.url}/graphql`, recordingBody(), exogateHeaders())),
    }));
  } finally {
    proc.expectExit = true;
    await stop(proc);
  }
}

/** (1) The cached recording query, -t1 -c64, each server warmed, then interleaved rounds. */
async function scenarioRecording() {
  const before = await sandboxStats();
  results.recording = await interleaved('recording', recordingTargets());
  const after = await sandboxStats();
  results.recordingUpstream = after.upstream - before.upstream;
}

/** (2) The calls page, cold (recording cache emptied before each request) and warm, at several page sizes. */
async function scenarioPages() {
  results.pages = [];
  for (const n of S.pages) {
    const body = { query: PAGE_QUERY, variables: { n } };
    const checkPage = (r) => {
      if (r.status !== 200) return `page of ${n}: HTTP ${r.status}`;
      if (r.json?.errors) return `page of ${n}: GraphQL errors: ${JSON.stringify(r.json.errors).slice(0, 200)}`;
      if (r.json?.data?.calls?.edges?.length !== n) return `page of ${n}: ${r.json?.data?.calls?.edges?.length} calls`;
      return null;
    };
    // Cold: each request after the recording cache is emptied, one at a time.
    const cold = { latencies: [], upstream: [] };
    for (let i = 0; i < S.cold; i++) {
      deleteKeys('exogate:recording:*');
      const s0 = await sandboxStats();
      const t0 = performance.now();
      const r = await post(`${servers.exogate.url}/graphql`, body, exogateHeaders());
      cold.latencies.push(performance.now() - t0);
      cold.upstream.push((await sandboxStats()).upstream - s0.upstream);
      const problem = checkPage(r);
      if (problem) { errors.push(`page cold, exogate: ${problem}`); break; }
    }
    // Warm: the answer the limit server gives is exogate's own.
    const answer = await post(`${servers.exogate.url}/graphql`, body, exogateHeaders());
    const problem = checkPage(answer);
    if (problem) { errors.push(`page warm, exogate: ${problem}`); continue; }
    redis('SET', `exogate-bench:answer:page${n}`, { input: answer.text });
    const rows = await interleaved(`page ${n}`, [
      {
        name: 'exogate', sample: [servers.exogate, servers.sandbox],
        load: { url: `${servers.exogate.url}/graphql`, body, headers: exogateHeaders(), conns: S.pageConns },
        before: sandboxStats,
        after: async (s0, run) => ({ extra: ((await sandboxStats()).upstream - s0.upstream) / Math.max(1, run.requests) }),
        check: async () => checkPage(await post(`${servers.exogate.url}/graphql`, body, exogateHeaders())),
      },
      {
        name: 'limit', sample: [servers.limit, servers.sandbox],
        load: { url: `${servers.limit.url}/graphql`, body, headers: { 'X-Bench-Key': `page${n}` }, conns: S.pageConns },
        check: async () => checkPage(await post(`${servers.limit.url}/graphql`, body, { 'X-Bench-Key': `page${n}` })),
      },
    ]);
    results.pages.push({ n, cold, warm: rows });
  }
}

/** (3) Playback: GET of a playbackUrl through exogate against the direct download of its signed link from the sandbox. */
async function scenarioPlayback() {
  const r = await post(`${servers.exogate.url}/graphql`,
    { query: 'query Play($sid: ID!) { recording(callSid: $sid) { url playbackUrl sizeBytes } }', variables: { sid: callSid } },
    exogateHeaders());
  const rec = r.json?.data?.recording;
  if (!rec?.playbackUrl || !rec?.url) throw new Error(`no playbackUrl for the benchmark's call: ${r.text.slice(0, 200)}`);
  const check = async (url) => {
    const a = await get(url);
    if (a.status !== 200) return `sample answered HTTP ${a.status}`;
    const direct = await get(rec.url);
    if (!a.buffer.equals(direct.buffer)) return `sample body differs from the sandbox's (${a.buffer.length} vs ${direct.buffer.length} bytes)`;
    return null;
  };
  const before = await sandboxStats();
  results.playback = await interleaved('playback', [
    { name: 'exogate', sample: [servers.exogate, servers.sandbox], load: { url: rec.playbackUrl, conns: S.playbackConns }, check: () => check(rec.playbackUrl) },
    { name: 'direct', sample: [servers.exogate, servers.sandbox], load: { url: rec.url, conns: S.playbackConns }, check: () => check(rec.url) },
  ]);
  results.playbackBytes = (await get(rec.url)).buffer.length;
  results.playbackMedia = (await sandboxStats()).media - before.media;
}

const STREAM_BYTES = 10 * 1024 * 1024;
const STREAM_RANGE = `bytes=0-${STREAM_BYTES - 1}`;

/** A call whose dual-channel WAV holds at least 10 MiB, with its signed link and its playback link. */
async function pickLongRecording() {
  const list = JSON.parse((await get(`${servers.sandbox.url}/v1/Accounts/${ACCOUNT.sid}/Calls.json?PageSize=100`,
    { Authorization: basic() })).text);
  for (const call of list.Calls) {
    if (!call.RecordingUrl) continue;
    const r = await post(`${servers.exogate.url}/graphql`, {
      query: 'query Long($sid: ID!) { recording(callSid: $sid, format: WAV, channel: DUAL) { status url playbackUrl sizeBytes } }',
      variables: { sid: call.Sid },
    }, exogateHeaders());
    const rec = r.json?.data?.recording;
    if (rec?.status !== 'AVAILABLE' || !rec.url || !rec.playbackUrl) continue;
    // The size from the media host itself (a recording looked up alone may not carry it).
    const head = await fetch(rec.url, { method: 'HEAD', signal: AbortSignal.timeout(15000) });
    const size = Number(head.headers.get('content-length'));
    if (head.status === 200 && size >= STREAM_BYTES) return { sid: call.Sid, ...rec, sizeBytes: size };
  }
  throw new Error('the sandbox has no call with a dual-channel WAV of 10 MiB among its newest 100');
}

/** SHA-256 of the body of a ranged GET, with its status and length. */
async function digest(url) {
  const response = await fetch(url, { headers: { Range: STREAM_RANGE }, signal: AbortSignal.timeout(60000) });
  const buffer = Buffer.from(await response.arrayBuffer());
  return { status: response.status, length: buffer.length, sha: crypto.createHash('sha256').update(buffer).digest('hex') };
}

/** The heap exogate's JVM holds after a full collection, in MB (jcmd GC.run, then GC.heap_info). */
function liveHeapMb(proc) {
  const gc = spawnSync('jcmd', [String(proc.pid), 'GC.run'], { encoding: 'utf8' });
  if (gc.status !== 0) throw new Error(`jcmd GC.run failed: ${(gc.stdout + gc.stderr).trim().slice(0, 200)}`);
  const info = spawnSync('jcmd', [String(proc.pid), 'GC.heap_info'], { encoding: 'utf8' }).stdout || '';
  // One "total NK, used NK" line per generation (Serial: DefNew and Tenured; Parallel: PSYoungGen and ParOldGen), or
  // one for the whole heap (G1: garbage-first heap).
  const used = [...info.matchAll(/^\s*\S.*?\btotal \d+K, used (\d+)K/gm)].map((m) => Number(m[1]));
  if (!used.length) throw new Error(`jcmd GC.heap_info gave no heap figure: ${info.slice(0, 200)}`);
  return used.reduce((a, b) => a + b, 0) / 1024;
}

/**
 * (3b) Download throughput of 10 MiB streams (a Range of a long dual-channel WAV), through exogate and direct,
 * wrk -c16 in interleaved rounds; then (3c) 100 streams of 10 MiB at once through exogate, each client reading at
 * a player's pace (curl --limit-rate), with the heap exogate holds after a full collection measured before and
 * while they run, and every stream checked for its status and length.
 */
async function scenarioStreams() {
  const rec = await pickLongRecording();
  results.streamSize = rec.sizeBytes;
  const reference = await digest(rec.url);
  const check = async (url) => {
    const d = await digest(url);
    if (d.status !== 206) return `sample answered HTTP ${d.status}`;
    if (d.length !== STREAM_BYTES || d.sha !== reference.sha) return `sample body differs from the sandbox's (${d.length} bytes)`;
    return null;
  };
  const load = (url) => ({ url, conns: S.streamConns, headers: { Range: STREAM_RANGE } });
  results.streams = await interleaved('10 MiB streams', [
    { name: 'exogate', sample: [servers.exogate, servers.sandbox], load: load(rec.playbackUrl), check: () => check(rec.playbackUrl) },
    { name: 'direct', sample: [servers.exogate, servers.sandbox], load: load(rec.url), check: () => check(rec.url) },
  ], { warm: S.streamWarm, seconds: S.streamRun });

  const parallel = async (url) => {
    const began = performance.now();
    const clients = Array.from({ length: S.parallelStreams }, () => new Promise((resolve) => {
      const child = spawn('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{size_download} %{errormsg}', '--max-time', '120',
        '--limit-rate', S.streamPace, '-H', `Range: ${STREAM_RANGE}`, url], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (chunk) => { out += chunk; });
      child.on('close', () => resolve(out.trim()));
    }));
    return { began, clients };
  };
  const baseline = liveHeapMb(servers.exogate);
  const rssBefore = rssMb(servers.exogate.pid);
  const run = await parallel(rec.playbackUrl);
  const heap = [];
  let rssPeak = rssBefore;
  const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, rssMb(servers.exogate.pid)); }, 250);
  for (let i = 0; i < 3; i++) {
    await sleep(S.heapSampleEvery);
    heap.push(liveHeapMb(servers.exogate));
  }
  const answers = await Promise.all(run.clients);
  clearInterval(sampler);
  const wall = (performance.now() - run.began) / 1000;
  const complete = (a) => a.startsWith(`206 ${STREAM_BYTES} `) || a === `206 ${STREAM_BYTES}`;
  const bad = answers.filter((a) => !complete(a));
  if (bad.length) errors.push(`100 parallel streams: ${bad.length} streams ended wrong (first: "${bad[0]}")`);
  const direct = await parallel(rec.url);
  const directAnswers = await Promise.all(direct.clients);
  const directWall = (performance.now() - direct.began) / 1000;
  results.parallelStreams = {
    baseline, heap, growth: Math.max(...heap) - baseline, rssBefore, rssPeak, wall, directWall,
    mbps: (S.parallelStreams * STREAM_BYTES) / wall / 1e6, directMbps: (S.parallelStreams * STREAM_BYTES) / directWall / 1e6,
    ok: answers.length - bad.length, directOk: directAnswers.filter(complete).length,
  };
  const directBad = directAnswers.filter((a) => !complete(a));
  if (directBad.length) errors.push(`100 parallel streams, direct: ${directBad.length} streams ended wrong (first: "${directBad[0]}")`);
  log(`100 parallel streams: heap ${baseline.toFixed(1)} MB -> ${heap.map((h) => h.toFixed(1)).join(', ')} MB, ${wall.toFixed(1)} s`);
}

/** (5) One and two exogate instances on one Redis (two wrk at once, -c32 each, against -c64 on one). */
async function scenarioInstances(redisUrl) {
  servers.exogate2 = await startExogate('exogate-2', servers.sandbox.url, redisUrl);
  const s0 = await sandboxStats();
  const shared = await post(`${servers.exogate2.url}/graphql`, recordingBody(), exogateHeaders());
  const problem = checkRecording(shared);
  if (problem) errors.push(`two instances, exogate-2: ${problem}`);
  results.sharedCacheUpstream = (await sandboxStats()).upstream - s0.upstream;
  const load = (proc, conns) => ({ url: `${proc.url}/graphql`, body: recordingBody(), headers: exogateHeaders(), conns });
  await wrk({ ...load(servers.exogate2, CONNS), seconds: S.warm });
  const one = [];
  const two = [];
  for (let round = 1; round <= S.rounds; round++) {
    one.push(await wrk({ ...load(servers.exogate, CONNS), seconds: S.run, sample: [servers.exogate, servers.exogate2, servers.redis] }));
    const [a, b] = await Promise.all([
      wrk({ ...load(servers.exogate, CONNS / 2), seconds: S.run, sample: [servers.exogate, servers.exogate2, servers.redis] }),
      wrk({ ...load(servers.exogate2, CONNS / 2), seconds: S.run }),
    ]);
    two.push({ ...a, requests: a.requests + b.requests, rps: a.rps + b.rps, mbps: a.mbps + b.mbps, p50: Math.max(a.p50, b.p50),
      p99: Math.max(a.p99, b.p99), non2xx: a.non2xx + b.non2xx, socketErrors: a.socketErrors + b.socketErrors, timeouts: a.timeouts + b.timeouts });
    log(`instances round ${round}: one ${one.at(-1).rps.toFixed(0)} rps, two ${two.at(-1).rps.toFixed(0)} rps`);
  }
  results.instances = { one: fold(one), two: fold(two) };
  for (const [name, row] of Object.entries(results.instances)) {
    if (row.non2xx > 0) errors.push(`${name} instance(s): ${row.non2xx} non-2xx answers`);
  }
}

// ---------------------------------------------------------------- report

function sh(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  return ((r.stdout || '') + (r.stderr || '')).trim();
}

function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const mem = Number(/MemTotal:\s+(\d+)/.exec(fs.readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  const commit = sh('git', ['-C', root, 'rev-parse', '--short=12', 'HEAD']);
  const dirty = sh('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no']) ? ' (with uncommitted changes)' : '';
  let hiveVersion = 'n/a';
  try { hiveVersion = JSON.parse(fs.readFileSync(path.join(bench, 'hive/node_modules/@graphql-hive/gateway/package.json'), 'utf8')).version; } catch { /* absent */ }
  return [
    ['cores (nproc)', sh('nproc', [])],
    ['CPU', model],
    ['memory', `${(mem / 1024 / 1024).toFixed(1)} GiB`],
    ['OS', `${os.type()} ${os.release()}`],
    ['JDK of the Java servers', `${sh(JAVA, ['-version']).split('\n')[0]} (${JAVA})`],
    ['exogate launch', `bin/exogate, JVM options: ${process.env.EXOGATE_JAVA_OPTS || 'its defaults (-XX:+UseSerialGC -Xmx128m -XX:+ExitOnOutOfMemoryError)'}`],
    ['JDK of the PATH (exogate-jar)', sh('java', ['-version']).split('\n')[0]],
    ['Node.js', process.version],
    ['Redis', sh('redis-server', ['--version']).split(' ').find((w) => w.startsWith('v='))?.slice(2) ?? '?'],
    ['wrk', sh('wrk', ['-v']).split('\n')[0].split(' ').slice(0, 2).join(' ')],
    ['Hive Gateway', hiveUnavailable ? `unavailable: ${hiveUnavailable}` : `${hiveVersion}, ${servers.hive?.fork ?? '?'} worker(s)`],
    ['commit', commit + dirty],
  ];
}

const f0 = (x) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(0));
const f1 = (x) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(1));
const f2 = (x) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(2));
const ratio = (a, b) => {
  if (!a || !b) return '–';
  const x = a / b;
  return `${x >= 10 ? x.toFixed(0) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2)}×`;
};

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function loadRow(name, row, i = 0) {
  return [name, f0(row.rps), `${f0(row.rpsMin)}–${f0(row.rpsMax)}`, f2(row.p50), f2(row.p99), f0(row.cpu[i]), f0(row.rss[i]),
    String(row.non2xx + row.socketErrors + row.timeouts)];
}

const LOAD_HEADER = ['server', 'rps (median)', 'rps range', 'p50 ms', 'p99 ms', 'CPU %', 'RSS MB', 'errors'];

function report(startedAt, seconds) {
  const md = [];
  md.push(`# Benchmarks${smoke ? ' (smoke run: a few seconds per scenario, not a measurement)' : ''}`, '');
  md.push(`Written by \`${command}\` on ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${f0(seconds)} s; `
    + 'run the same command to reproduce it (see [benchmarks/README.md](' + (smoke ? '../README.md' : 'README.md') + ')).', '');
  md.push(table(['machine', ''], machine()), '');
  md.push(`Every figure is measured side by side in this one run, on this machine, with every server on it as well as wrk `
    + `(\`wrk -t1\`, one core's worth of load generator): ratios compare servers that shared the same conditions. `
    + `Rounds are interleaved (A, B, C, A, B, C, …), ${S.rounds} round(s) of ${S.run} s after ${S.warm} s of warming per server; `
    + `rps, p50 and p99 are the medians of the rounds, CPU % is the server's own (100 % = one core, its whole process tree, `
    + `from /proc), RSS its peak; errors are non-2xx answers, socket errors and timeouts. `
    + `The limit is a bare Reactor Netty + Lettuce server writing exogate's own answer from one Redis key (no GraphQL). `
    + `The JVMs run with their default flags; exogate with its shipped defaults (its audit trail at INFO into its log file) `
    + `and the harness's configuration (one tenant, the sandbox's budgets raised: benchmarks/README.md).`, '');
  if (errors.length) {
    md.push('## Errors', '', ...errors.map((e) => `- ${e}`), '');
  }

  md.push('## 1. Cached recording query', '');
  md.push(`\`recording(callSid) { url expiresAt status }\` for one call, \`wrk -t1 -c${CONNS}\`, with the recording cached in Redis. `
    + 'Hive Gateway answers the same from the sandbox\'s v3 voice-log endpoint, composed from its OpenAPI description, '
    + 'with its Redis response cache on.', '');
  if (results.recording) {
    const r = results.recording;
    md.push(table(LOAD_HEADER, [...r.entries()].map(([name, row]) => loadRow(name, row))), '');
    const ex = r.get('exogate');
    const lines = [`- exogate / limit: ${ratio(ex.rps, r.get('limit')?.rps)} the throughput, ${ratio(ex.p99, r.get('limit')?.p99)} the p99`];
    if (r.get('hive')) lines.push(`- exogate / Hive Gateway: ${ratio(ex.rps, r.get('hive').rps)} the throughput, ${ratio(ex.p99, r.get('hive').p99)} the p99`);
    else lines.push(`- exogate / Hive Gateway: not measured (Hive Gateway unavailable: ${hiveUnavailable})`);
    lines.push(`- upstream requests to the sandbox during the rounds: ${results.recordingUpstream}`);
    md.push(...lines, '');
  } else md.push('Not measured (see Errors).', '');

  md.push('## 2. Calls page', '');
  md.push('`calls(first: N) { edges { node { sid status recording { url } agent { name } } } }`. Cold: one request at a time, '
    + `the recording cache emptied before each (${S.cold} requests; latency of the whole request as the client sees it). `
    + `Warm: \`wrk -t1 -c${S.pageConns}\` against exogate and the limit server (exogate's own answer from Redis), interleaved. `
    + 'Upstream requests per page from the sandbox\'s `/__sandbox/stats`; CPU % of the sandbox is shown apart. '
    + 'Hive Gateway is not part of this scenario: its OpenAPI description covers the voice-log endpoint only.', '');
  if (results.pages?.length) {
    const rows = [];
    for (const p of results.pages) {
      rows.push([String(p.n), 'exogate cold', '–', f2(median(p.cold.latencies)), f2(percentile(p.cold.latencies, 99)), '–', '–', '–',
        f1(median(p.cold.upstream))]);
      for (const [name, row] of p.warm.entries()) {
        rows.push([String(p.n), `${name} warm`, f0(row.rps), f2(row.p50), f2(row.p99), f0(row.cpu[0]), f0(row.rss[0]), f0(row.cpu[1]),
          name === 'exogate' ? f2(median(row.extra)) : '0']);
      }
    }
    md.push(table(['page size', 'server', 'rps (median)', 'p50 ms', 'p99 ms', 'CPU %', 'RSS MB', 'sandbox CPU %', 'upstream / page'], rows), '');
    md.push(...results.pages.map((p) => `- page of ${p.n}, warm: exogate / limit ${ratio(p.warm.get('exogate')?.rps, p.warm.get('limit')?.rps)} the throughput`), '');
  } else md.push('Not measured (see Errors).', '');

  md.push('## 3. Playback', '');
  md.push(`GET of a recording's \`playbackUrl\` (exogate streaming the media from the sandbox) against the direct GET of the `
    + `signed link from the sandbox, \`wrk -t1 -c${S.playbackConns}\`, an MP3 of ${results.playbackBytes ?? '?'} bytes. `
    + `CPU % and RSS of exogate, then of the sandbox.`, '');
  if (results.playback) {
    const p = results.playback;
    md.push(table(['path', 'rps (median)', 'MB/s', 'p50 ms', 'p99 ms', 'exogate CPU %', 'exogate RSS MB', 'sandbox CPU %', 'errors'],
      [...p.entries()].map(([name, row]) => [name === 'exogate' ? 'via playbackUrl' : 'direct from the sandbox', f0(row.rps), f1(row.mbps),
        f2(row.p50), f2(row.p99), f0(row.cpu[0]), f0(row.rss[0]), f0(row.cpu[1]), String(row.non2xx + row.socketErrors + row.timeouts)])), '');
    md.push(`- playback / direct: ${ratio(p.get('exogate').rps, p.get('direct').rps)} the throughput`, '');
  } else md.push('Not measured (see Errors).', '');

  md.push(`### 10 MiB streams`, '');
  md.push(`The first 10 MiB (\`Range: ${STREAM_RANGE}\`) of a dual-channel WAV of ${results.streamSize ?? '?'} bytes, through its `
    + `\`playbackUrl\` and directly from its signed link, \`wrk -t1 -c${S.streamConns}\` reading as fast as it can: every byte `
    + 'crosses this machine twice more through exogate (sandbox to exogate, exogate to wrk) than directly, on the same cores as the sandbox and wrk.', '');
  if (results.streams) {
    const p = results.streams;
    md.push(table(['path', 'streams/s (median)', 'MB/s', 'p50 ms', 'p99 ms', 'exogate CPU %', 'exogate RSS MB', 'sandbox CPU %', 'errors'],
      [...p.entries()].map(([name, row]) => [name === 'exogate' ? 'via playbackUrl' : 'direct from the sandbox', f1(row.rps), f0(row.mbps),
        f0(row.p50), f0(row.p99), f0(row.cpu[0]), f0(row.rss[0]), f0(row.cpu[1]), String(row.non2xx + row.socketErrors + row.timeouts)])), '');
    md.push(`- 10 MiB streams, playback / direct: ${ratio(p.get('exogate').mbps, p.get('direct').mbps)} the bytes per second`, '');
  } else md.push('Not measured (see Errors).', '');
  md.push(`### ${S.parallelStreams} streams at once`, '');
  md.push(`${S.parallelStreams} clients (\`curl --limit-rate ${S.streamPace}\`, a player's pace) each read the same 10 MiB at once, `
    + 'through exogate, then directly. Heap: what exogate\'s JVM holds after a full collection (`jcmd GC.run`, `GC.heap_info`), '
    + `before the streams and ${3} times while they run.`, '');
  if (results.parallelStreams) {
    const q = results.parallelStreams;
    md.push(table(['path', 'streams complete', 'wall s', 'MB/s', 'heap after GC before, MB', 'heap after GC during, MB', 'heap growth MB', 'RSS before → peak MB'], [
      ['via playbackUrl', `${q.ok} / ${S.parallelStreams}`, f1(q.wall), f0(q.mbps), f1(q.baseline), q.heap.map(f1).join(', '), f1(q.growth),
        `${f0(q.rssBefore)} → ${f0(q.rssPeak)}`],
      ['direct from the sandbox', `${q.directOk} / ${S.parallelStreams}`, f1(q.directWall), f0(q.directMbps), '–', '–', '–', '–'],
    ]), '');
    md.push(`- ${S.parallelStreams} paced streams, playback / direct: ${ratio(q.mbps, q.directMbps)} the bytes per second; heap growth ${f1(q.growth)} MB (target ≤ 32 MB)`, '');
  } else md.push('Not measured (see Errors).', '');

  md.push('## 4. Start-up, warm-up and memory', '');
  md.push('Start to ready: from the process start to its first good answer (exogate: a GraphQL query answered; the sandbox: '
    + 'its stats; the limit: `/ready`; Hive Gateway: `{ __typename }`), each started alone. Warm-up: the recording query '
    + `(\`wrk -t1 -c${CONNS}\`) right after the start, before any other load, in steps of ${S.warmupStep} s. `
    + '`exogate` and `exogate-2` run through `bin/exogate` (its JVM options and a class cache trained beforehand by '
    + '`bin/exogate prepare`, not timed) on the JDK of the Java servers (Machine, above); `exogate-jar` is `java -jar gateway/target/exogate.jar` with no '
    + 'option, on the java of the PATH, started last.', '');
  const names = ['sandbox', 'limit', ...(servers.hive || startup.hive ? ['hive'] : []), 'exogate', 'exogate-2', 'exogate-jar'];
  md.push(table(['server', 'start to ready s', 'RSS at ready MB'],
    names.filter((n) => startup[n] !== undefined).map((n) => [n, f1(startup[n]), f0(startup[`${n}:rss`])])), '');
  if (results.warmup) {
    const steps = Array.from({ length: S.warmupSteps }, (_, i) => `rps ${i * S.warmupStep}–${(i + 1) * S.warmupStep} s`);
    md.push(table(['server', ...steps, 'p99 ms, last step', 'RSS after MB'],
      results.warmup.map((w) => [w.name, ...w.steps.map(f0), f2(w.p99.at(-1)), f0(w.rss)])), '');
  }

  md.push('## 5. One and two exogate instances on one Redis', '');
  md.push(`The recording query against one instance (\`-c${CONNS}\`) and against two at once (\`-c${CONNS / 2}\` each, summed), both instances `
    + 'sharing the Redis cache, budget and client limits. On a small machine the second instance competes for the same cores.', '');
  if (results.instances) {
    const { one, two } = results.instances;
    md.push(table(['instances', 'rps (median)', 'p50 ms', 'p99 ms', 'CPU % exogate', 'CPU % exogate-2', 'CPU % Redis', 'RSS MB exogate-2', 'errors'],
      [['one', one, 1], ['two', two, 2]].map(([n, row]) => [n, f0(row.rps), f2(row.p50), f2(row.p99), f0(row.cpu[0]), f0(row.cpu[1]),
        f0(row.cpu[2]), f0(row.rss[1]), String(row.non2xx + row.socketErrors + row.timeouts)])), '');
    md.push(`- two / one: ${ratio(two.rps, one.rps)} the throughput`,
      `- the second instance's first recording query went upstream ${results.sharedCacheUpstream} time(s) (0: it read the first instance's cache entry)`, '');
  } else md.push('Not measured (see Errors).', '');
  return md.join('\n');
}

// ---------------------------------------------------------------- main

async function main() {
  const startedAt = new Date();
  const t0 = performance.now();
  log(`${smoke ? 'smoke' : 'full'} run; logs in ${path.relative(root, work)}`);
  let redisUrl;
  try {
    redisUrl = await startServers();
    callSid = await pickCall();
  } catch (e) {
    errors.push(`start: ${e.message}`);
  }
  if (callSid) {
    for (const [name, scenario] of [['warm-up', scenarioWarmup], ['recording', scenarioRecording], ['pages', scenarioPages],
      ['playback', scenarioPlayback], ['streams', scenarioStreams], ['instances', () => scenarioInstances(redisUrl)],
      ['plain start', () => scenarioPlainStart(redisUrl)]]) {
      if (stopping || procs.some((p) => p.exited && !p.expectExit)) break;
      log(`scenario: ${name}`);
      try { await scenario(); } catch (e) { errors.push(`${name}: ${e.message}`); log(`${name} failed: ${e.message}`); }
    }
  }
  await stopAll();
  const seconds = (performance.now() - t0) / 1000;
  let md = report(startedAt, seconds);
  const profiles = path.join(bench, 'PROFILES.md');
  // The profiles of the figures far from their targets, kept by hand (benchmarks/profile): quoted after the tables.
  if (!smoke && fs.existsSync(profiles)) md += '\n' + fs.readFileSync(profiles, 'utf8').replace(/^# .*\n/, '');
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  fs.writeFileSync(reportFile, md + '\n');
  process.stdout.write('\n' + md + '\n\n');
  log(`report: ${path.relative(root, reportFile)} (${f0(seconds)} s)`);
  if (errors.length) {
    log(`${errors.length} error(s):`);
    errors.forEach((e) => log(`  ${e}`));
    process.exitCode = 1;
  }
}

main().catch(async (e) => { console.error(e); process.exitCode = 1; await stopAll(); });
