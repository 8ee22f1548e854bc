import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as auditCommand from '../audit/audit-command';
import { EXIT_INTERNAL, pathErrorMessage } from './errors';
import { runCli } from './program';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-errors-'));
const capture = () => {
  const lines: string[] = [];
  return { lines, out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
};
const FIXTURE = path.join(__dirname, '..', '..', 'test', 'fixtures', 'exports', 'tree-plan');

describe('exit codes: 0 clean, 1 findings, 2 usage, 70 internal', () => {
  afterEach(() => jest.restoreAllMocks());

  it('an internal error exits 70 with its message and no stack trace, never 1', async () => {
    jest.spyOn(auditCommand, 'runAudit').mockRejectedValue(new TypeError('x is undefined'));
    const io = capture();
    expect(await runCli(['audit', '--from', FIXTURE], io)).toBe(EXIT_INTERNAL);
    const text = io.lines.join('\n');
    expect(text).toMatch(/Internal error: x is undefined\. This is a bug in sdg/);
    expect(text).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['a report folder that is a file', () => ['audit', '--from', FIXTURE, '--out', file()]],
    [
      'a report folder under a file',
      () => ['audit', '--from', FIXTURE, '--out', path.join(file(), 'x')]
    ],
    ['a monitor page that is a folder', () => ['monitor', '--from', FIXTURE, '--html', tmp()]],
    ['a seed folder that cannot be made', () => ['seed', '--out', '/proc/nope', '--count', '10']],
    [
      'an empty HMAC key file',
      () => ['audit', '--from', FIXTURE, '--out', tmp(), '--hmac-key-file', file()]
    ],
    [
      'an empty HMAC key file (verify-chain)',
      () => ['verify-chain', path.join(FIXTURE, 'Accounts.json'), '--hmac-key-file', file()]
    ]
  ])('exits 2 with a sentence for %s', async (_case, args) => {
    const io = capture();
    expect(await runCli(args(), io)).toBe(2);
    expect(io.lines.join('\n')).toMatch(/✖ .*(give|check)/);
  });

  it('names the --out a user gave, not the staging folder beside it', async () => {
    const io = capture();
    expect(await runCli(['seed', '--out', '/proc/nope', '--count', '10'], io)).toBe(2);
    const text = io.lines.join('\n');
    expect(text).toMatch(/--out \/proc\/nope cannot be written/);
    expect(text).not.toMatch(/seed-tmp/);
  });

  it('names what went wrong with a path', () => {
    expect(pathErrorMessage({ code: 'EISDIR', path: '/r' })).toMatch(/\/r is a folder/);
    expect(pathErrorMessage(new Error('plain'))).toBeNull();
  });
});

function file(): string {
  const f = path.join(tmp(), 'file');
  fs.writeFileSync(f, '');
  return f;
}

describe('sdg seed --out never writes over a previous export', () => {
  it('refuses a folder that holds files unless --force, and leaves it whole', async () => {
    const out = tmp();
    fs.writeFileSync(path.join(out, 'manifest.json'), '{"previous":true}');
    const io = capture();
    expect(await runCli(['seed', '--out', out, '--count', '20'], io)).toBe(2);
    expect(io.lines.join('\n')).toMatch(/already holds files.*--force/);
    expect(fs.readdirSync(out)).toEqual(['manifest.json']);
    expect(await runCli(['seed', '--out', out, '--count', '20', '--force'], capture())).toBe(0);
    expect(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).toMatch(
      /"generator": "sdg seed"/
    );
    expect(fs.readdirSync(path.dirname(out)).filter((n) => n.includes('.seed-tmp'))).toEqual([]);
  });
});
