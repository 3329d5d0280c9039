// Builds the GraphiQL page the gateway serves: `node build.mjs <output directory>` writes index.html and
// assets/ (file names carrying a hash of their content) there. The Maven build runs it in the gateway's
// generate-resources phase with target/classes/graphiql as the output directory.
//
// Quick when nothing changed: `npm ci` runs only when node_modules was not installed from this
// package-lock.json (by this Node version on this platform), and the bundle is rebuilt only when its
// inputs changed.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGES = 'on Debian or Ubuntu: apt-get install nodejs npm';
const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, 'dist'));
const assets = join(out, 'assets');

function fail(message) {
  console.error(`GraphiQL build: ${message}`);
  process.exit(1);
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 18) {
  fail(`Node.js 18 or newer is needed, this is ${process.version} (${PACKAGES}).`);
}

function sha256(...parts) {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part);
    hash.update('\0');
  }
  return hash.digest('hex');
}

function files(directory) {
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) => entry.isDirectory() ? files(join(directory, entry.name)) : [join(directory, entry.name)])
    .sort();
}

// 1. Dependencies, exactly as package-lock.json pins them.
const lock = readFileSync(join(here, 'package-lock.json'));
const installed = join(here, 'node_modules', '.exogate-installed');
const installation = sha256(lock, process.version, process.platform, process.arch);
if (!existsSync(installed) || readFileSync(installed, 'utf8') !== installation) {
  console.log('GraphiQL build: npm ci (node_modules does not match package-lock.json)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
    cwd: here,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.error?.code === 'ENOENT') {
    fail(`npm was not found on the PATH (${PACKAGES}).`);
  }
  if (result.status !== 0) {
    fail(`npm ci failed (exit ${result.status ?? result.signal}); it needs the npm registry, or a filled npm cache.`);
  }
  writeFileSync(installed, installation);
}

// 2. The bundle, unless what it is built from is unchanged since the last build into this directory.
const inputs = [join(here, 'build.mjs'), join(here, 'index.html'), join(here, 'package-lock.json'), ...files(join(here, 'src'))];
// What the last build into this directory was made from and wrote, kept beside node_modules (not in the
// output, which goes into the gateway's jar as it is).
const stamps = join(here, 'node_modules', '.exogate-bundles');
const stamp = join(stamps, sha256(out).slice(0, 16));
const fingerprint = sha256(installation, ...inputs.flatMap((file) => [relative(here, file), readFileSync(file)]));
if (existsSync(stamp)) {
  const [previous, ...written] = readFileSync(stamp, 'utf8').split('\n').filter((line) => line);
  if (previous === fingerprint && written.every((file) => existsSync(join(out, file)))) {
    console.log('GraphiQL build: up to date');
    process.exit(0);
  }
}

const { build } = await import('esbuild');
rmSync(assets, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });
const result = await build({
  absWorkingDir: here,
  entryPoints: { graphiql: 'src/index.js' },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  minify: true,
  legalComments: 'linked',
  outdir: assets,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file', '.png': 'file' },
  define: { 'process.env.NODE_ENV': '"production"' },
  metafile: true,
  logLevel: 'warning',
});

// 3. Nothing may be fetched from another host: no remote @import or url() in the styles.
const outputs = Object.keys(result.metafile.outputs).map((file) => resolve(here, file));
for (const file of outputs.filter((name) => name.endsWith('.css'))) {
  const css = readFileSync(file, 'utf8');
  const remote = css.match(/@import\s+(url\()?\s*['"]?(https?:)?\/\/[^)'";]*|url\(\s*['"]?(https?:)?\/\/[^)'"]*/i);
  if (remote) {
    fail(`${relative(out, file)} loads from another host: ${remote[0]}`);
  }
}

// 4. The page, naming the hashed files.
const named = (extension) => {
  const found = outputs.filter((file) => file.endsWith(extension) && dirname(file) === assets);
  if (found.length !== 1) {
    fail(`expected one ${extension} bundle, found ${found.length}`);
  }
  return relative(assets, found[0]);
};
const page = readFileSync(join(here, 'index.html'), 'utf8')
  .replace('@SCRIPT@', named('.js'))
  .replace('@STYLE@', named('.css'));
writeFileSync(join(out, 'index.html'), page);
mkdirSync(stamps, { recursive: true });
writeFileSync(stamp, [fingerprint, 'index.html', ...outputs.map((file) => relative(out, file))].join('\n') + '\n');
const size = outputs.reduce((total, file) => total + statSync(file).size, 0);
console.log(`GraphiQL build: ${outputs.length} files, ${Math.round(size / 1024)} KiB, in ${relative(process.cwd(), out) || '.'}`);
