/**
 * The `sf sdg …` plugin in the real sf CLI (the devDependency), offline: link this clone with
 * `sf plugins link --no-install`, as the README says, then run `sf sdg audit --from <the built-in
 * sample> --json` and compare its envelope with `sdg audit --json`.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../cli/program';
import { PROJECT_ROOT } from '../project-root';

const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-sf-plugin-'));
const home = path.join(tmp, 'home');
const node = fs.existsSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'node'))
  ? path.join(PROJECT_ROOT, 'node_modules', '.bin', 'node')
  : process.execPath;
const sfBin = path.join(PROJECT_ROOT, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');

// Everything sf keeps (plugins, config, auth, logs, cache) goes to the temp HOME; nothing online.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  HOME: home,
  XDG_DATA_HOME: path.join(home, '.local', 'share'),
  XDG_CONFIG_HOME: path.join(home, '.config'),
  XDG_CACHE_HOME: path.join(home, '.cache'),
  SF_DISABLE_TELEMETRY: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  SFDX_DISABLE_TELEMETRY: 'true',
  NODE_ENV: 'production'
};

/** Runs sf; a non-zero exit is an answer here, not a failure. */
async function sf(args: string[], cwd = PROJECT_ROOT): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(node, [sfBin, ...args], {
      cwd,
      env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 240_000
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; message: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '' };
  }
}

const NOW = '2026-06-01T12:00:00Z';
const sample = path.join(tmp, 'sample');
const reports = path.join(tmp, 'reports');

beforeAll(async () => {
  fs.mkdirSync(home, { recursive: true });
  // The built-in sample, as npm start seeds it.
  const quiet = { out: () => {}, err: () => {} };
  expect(await runCli(['seed', '--out', sample], quiet)).toBe(0);
  const linked = await sf(['plugins', 'link', '--no-install', PROJECT_ROOT]);
  expect(linked.code).toBe(0);
}, 300_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The audit result without the time it was generated at, which differs from run to run. */
function stable(result: unknown): unknown {
  const copy = { ...(result as Record<string, unknown>) };
  delete copy.generatedAt;
  return copy;
}

describe('sf sdg (the plugin linked into the real sf CLI, offline)', () => {
  it('lists every sdg command under sf sdg, and no govern', async () => {
    const { stdout } = await sf(['commands', '--json']);
    const ids = (JSON.parse(stdout) as { id: string }[])
      .map((c) => c.id)
      .filter((id) => id.startsWith('sdg'));
    expect(ids.sort()).toEqual(
      [
        'sdg:alerts:replay',
        'sdg:alerts:test',
        'sdg:audit',
        'sdg:deploy',
        'sdg:erase',
        'sdg:govern',
        'sdg:monitor',
        'sdg:recall:apply',
        'sdg:recall:plan',
        'sdg:recall:undo',
        'sdg:scan',
        'sdg:seed',
        'sdg:setup',
        'sdg:validate-payload',
        'sdg:verify-chain'
      ].sort()
    );
  }, 240_000);

  it('sf sdg audit --from <sample> --json answers the sf envelope around sdg audit --json', async () => {
    const viaSf = await sf([
      'sdg',
      'audit',
      '--from',
      sample,
      '--out',
      reports,
      '--now',
      NOW,
      '--json'
    ]);
    const envelope = JSON.parse(viaSf.stdout) as {
      status: number;
      result: unknown;
      warnings: unknown[];
    };
    expect(Object.keys(envelope).sort()).toEqual(['result', 'status', 'warnings']);

    const lines: string[] = [];
    const code = await runCli(
      ['audit', '--from', sample, '--out', reports, '--now', NOW, '--json'],
      { out: (l) => lines.push(l), err: () => {} }
    );
    expect(viaSf.code).toBe(code);
    expect(envelope.status).toBe(code);
    expect(envelope.warnings).toEqual([]);
    expect(stable(envelope.result)).toEqual(stable(JSON.parse(lines.join('\n'))));
  }, 240_000);

  it('answers an input error as an sf error envelope with exit 2', async () => {
    const missing = await sf(['sdg', 'audit', '--from', path.join(tmp, 'nowhere'), '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({
      status: 2,
      name: 'SdgUsageError',
      message: expect.stringContaining('no such export folder') as string
    });
  }, 240_000);
});
