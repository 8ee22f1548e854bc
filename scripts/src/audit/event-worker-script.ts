import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The worker's source, and the entry that runs it through tsx (the fallback). */
export const EVENT_WORKER_SOURCE = path.join(__dirname, 'event-worker.ts');
export const EVENT_WORKER_TSX_ENTRY = path.join(__dirname, 'event-worker-entry.cjs');

/** Bumped when the way the bundle is built changes, so older bundles are not reused. */
const BUNDLE_FORMAT = 1;

/** What a checkout's last bundle was built from (`<slot>.json` in the cache folder). */
interface BundleManifest {
  format: number;
  /** The bundle's inputs (absolute paths): the worker's TypeScript modules. */
  inputs: string[];
  digest: string;
}

/** The packages' folder esbuild is installed in: its `.cache/sdg` holds the bundle. */
function defaultCacheDir(): string {
  return path.join(path.dirname(require.resolve('esbuild/package.json')), '..', '.cache', 'sdg');
}

/** Digest of the inputs' paths and contents: any edit to a module the worker loads changes it. */
function digestOf(inputs: readonly string[]): string {
  const hash = createHash('sha256').update(`sdg-event-worker ${BUNDLE_FORMAT}\0`);
  for (const input of inputs) hash.update(`${input}\0`).update(fs.readFileSync(input)).update('\0');
  return hash.digest('hex');
}

/** Writes a file whole or not at all (audits running side by side may build at once). */
function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

/** The bundle of `source` recorded in the manifest, if every input is as it was when built. */
function freshBundle(dir: string, slot: string): string | null {
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(
      fs.readFileSync(path.join(dir, `${slot}.json`), 'utf8')
    ) as BundleManifest;
    if (manifest.format !== BUNDLE_FORMAT || digestOf(manifest.inputs) !== manifest.digest)
      return null;
  } catch {
    return null; // no manifest yet, or an input gone: build again
  }
  const bundle = path.join(dir, `event-worker-${manifest.digest}.cjs`);
  return fs.existsSync(bundle) ? bundle : null;
}

/** Bundles `source` and its own modules (packages stay `require`s) and records its inputs. */
function build(source: string, dir: string, slot: string): string {
  // Loaded only when a bundle is built: tsx's own bundler (a declared devDependency).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const root = path.dirname(source);
  const result = esbuild.buildSync({
    entryPoints: [source],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    packages: 'external',
    metafile: true,
    write: false,
    logLevel: 'silent'
  });
  const inputs = Object.keys(result.metafile.inputs)
    .map((input) => path.resolve(root, input))
    .sort();
  const digest = digestOf(inputs);
  const bundle = path.join(dir, `event-worker-${digest}.cjs`);
  fs.mkdirSync(dir, { recursive: true });
  writeAtomically(bundle, result.outputFiles[0]!.text);
  let previous: string | null = null;
  try {
    previous = (
      JSON.parse(fs.readFileSync(path.join(dir, `${slot}.json`), 'utf8')) as BundleManifest
    ).digest;
  } catch {
    // no earlier bundle of this checkout
  }
  writeAtomically(
    path.join(dir, `${slot}.json`),
    JSON.stringify({ format: BUNDLE_FORMAT, inputs, digest } satisfies BundleManifest)
  );
  if (previous && previous !== digest)
    fs.rmSync(path.join(dir, `event-worker-${previous}.cjs`), { force: true });
  return bundle;
}

/** Where startEventWorker finds its script (tests point these elsewhere). */
export interface EventWorkerScriptOptions {
  source?: string;
  cacheDir?: string;
}

/**
 * The script an event worker runs: the worker's modules bundled into one CommonJS file, built
 * once with esbuild and rebuilt whenever one of them changes (a digest of their contents), so a
 * worker starts without registering tsx and transpiling (or reading tsx's cache for) each module
 * again; a worker thread does not inherit the main thread's require hooks. Falls back to the tsx
 * entry when no bundle can be built or written (a read-only install): slower to start, same
 * result.
 */
export function eventWorkerScript(options: EventWorkerScriptOptions = {}): string {
  const source = options.source ?? EVENT_WORKER_SOURCE;
  try {
    const dir = options.cacheDir ?? defaultCacheDir();
    // One manifest per checkout: worktrees sharing a cache do not evict each other's bundle.
    const slot = `event-worker-${createHash('sha256').update(source).digest('hex').slice(0, 16)}`;
    return freshBundle(dir, slot) ?? build(source, dir, slot);
  } catch {
    return EVENT_WORKER_TSX_ENTRY;
  }
}
