import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root';
import { explainApiError } from './org-connection';
import { OrgApiError } from './salesforce-api';

interface Run {
  argv: string[];
  code: number;
  out: string[];
  err: string[];
}

/** Runs sdg commands in a child process whose HOME holds a fresh sf auth store with alias "fake". */
function runWithLogin(
  commands: string[][],
  env: Record<string, string> = {}
): { runs: Run[]; requests: { path: string }[] } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-home-'));
  try {
    const stdout = execFileSync(
      process.execPath,
      [
        path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        path.join(PROJECT_ROOT, 'scripts', 'test', 'org-login-e2e.ts'),
        JSON.stringify(commands)
      ],
      {
        env: {
          ...process.env,
          ...env,
          HOME: home,
          SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
          SF_DISABLE_TELEMETRY: 'true'
        },
        encoding: 'utf8'
      }
    );
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Run & { requests?: { path: string }[] });
    return { runs: lines.slice(0, -1), requests: lines[lines.length - 1]!.requests ?? [] };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

describe('--target-org through the sf CLI auth store (@salesforce/core)', () => {
  it('finds the org by alias, explains an unknown alias, and audits the org it found', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-e2e-'));
    const { runs, requests } = runWithLogin([
      ['audit', '--target-org', 'nobody'],
      ['audit', '--target-org', 'fake', '--out', out, '--format', 'json', '--fail-on', 'critical']
    ]);
    expect(runs[0]!.code).toBe(2);
    expect(runs[0]!.err.join('\n')).toContain('sf org login web --alias nobody');
    expect(runs[1]!.err).toEqual([]);
    expect(runs[1]!.code).toBe(0);
    expect(runs[1]!.out[0]).toMatch(/^✔ Audit of 0 records/);
    expect(requests.some((r) => r.path.includes('Synthetic_Policy__mdt'))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'audit-report.json'), 'utf8'))).toMatchObject({
      source: expect.stringContaining('org fake (admin@sdg.test')
    });
  });
});

describe('sdg setup --dev-hub (scratch org through @salesforce/core)', () => {
  it('fails fast, with what to do, when the Dev Hub is unknown, not a Dev Hub, or refuses the org', () => {
    const commands = [
      ['setup', '--dev-hub', 'nobody'],
      ['setup', '--dev-hub', 'fake', '--alias', 'demo']
    ];
    const plain = runWithLogin(commands);
    expect(plain.runs.map((r) => r.code)).toEqual([2, 2]);
    expect(plain.runs[0]!.err.join('\n')).toContain('sf org login web --alias nobody');
    expect(plain.runs[1]!.err.join('\n')).toContain('fake is not a Dev Hub');
    const hub = runWithLogin([commands[1]!], { FAKE_DEV_HUB: 'true' });
    expect(hub.runs[0]!.code).toBe(2);
    expect(hub.runs[0]!.err.join('\n')).toContain(
      'The Dev Hub fake could not create the scratch org'
    );
    expect(hub.requests.some((r) => r.path.includes('ScratchOrgInfo'))).toBe(true);
  });
});

describe('explainApiError', () => {
  it.each([
    ['REQUEST_LIMIT_EXCEEDED', 'used up its API requests'],
    ['API_DISABLED_FOR_ORG', 'API Enabled'],
    ['INVALID_FIELD', 'sdg deploy --target-org prod'],
    ['SOMETHING_ELSE', 'prod answered SOMETHING_ELSE: boom']
  ])('%s says what to do next', (code, text) => {
    expect(explainApiError(new OrgApiError('boom', code, 400), 'prod')).toContain(text);
  });
});
