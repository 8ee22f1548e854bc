/**
 * A dry run of the on-org CI job, offline: every `sf` command line it runs must be a command of
 * the sf CLI in devDependencies (`sf <command> --help` exits 0) with flags that command takes,
 * every `sdg` line a command and options of our own CLI, and the Dev Hub's JWT key file must stay
 * until a final `if: always()` step removes it (sf reads it again to log in to the scratch org).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildProgram } from '../cli/program';
import { PROJECT_ROOT } from '../project-root';
import {
  CommandLine,
  commandLines,
  jobSteps,
  resolveCommand,
  SfCommandInfo,
  unknownFlags
} from './workflow-commands';

const WORKFLOW = path.join(PROJECT_ROOT, '.github', 'workflows', 'ci.yml');
const steps = jobSteps(WORKFLOW, 'on-org');
const lines = (program: string): CommandLine[] =>
  steps.flatMap((s) => (s.run ? commandLines(s.run, program, s.name ?? s.run) : []));

const run = promisify(execFile);
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-sf-home-'));
// The sf CLI needs Node 22 (the pinned one in node_modules), and must not go online.
const node = fs.existsSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'node'))
  ? path.join(PROJECT_ROOT, 'node_modules', '.bin', 'node')
  : process.execPath;
const sfBin = path.join(PROJECT_ROOT, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
const sf = (args: string[]) =>
  run(node, [sfBin, ...args], {
    env: {
      ...process.env,
      HOME: home,
      SF_DISABLE_TELEMETRY: 'true',
      SF_AUTOUPDATE_DISABLE: 'true',
      SF_SKIP_NEW_VERSION_CHECK: 'true',
      SF_DISABLE_AUTOUPDATE: 'true',
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      SF_IMPROVED_CODE_COVERAGE: 'true',
      SFDX_DISABLE_TELEMETRY: 'true'
    },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000
  });

afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describe('on-org CI job (dry run against the installed sf CLI)', () => {
  it('finds the sf command lines of the job', () => {
    const words = lines('sf').map((l) => l.words.join(' '));
    expect(words).toEqual(
      expect.arrayContaining([
        'version',
        'org login jwt',
        'org create scratch',
        'project deploy start',
        'org assign permset',
        'apex run test',
        'org delete scratch'
      ])
    );
  });

  it('uses only sf commands and flags the installed sf knows, and each command answers --help', async () => {
    const { stdout } = await sf(['commands', '--json']);
    const commands = JSON.parse(stdout) as SfCommandInfo[];
    const problems: string[] = [];
    const resolved = new Map<string, SfCommandInfo>();
    for (const line of lines('sf')) {
      const command = resolveCommand(line, commands);
      if (!command) {
        problems.push(`${line.step}: "${line.text}" is not an sf command`);
        continue;
      }
      resolved.set(command.id, command);
      for (const flag of unknownFlags(line, command))
        problems.push(`${line.step}: sf ${command.id} has no flag ${flag}`);
    }
    expect(problems).toEqual([]);
    // `--help` loads each command's plugin: it exits 0 only if the command really runs here.
    const failed: string[] = [];
    for (const id of resolved.keys())
      await sf([...id.split(':'), '--help']).catch((error: Error) =>
        failed.push(`sf ${id.replace(/:/g, ' ')} --help: ${error.message}`)
      );
    expect(failed).toEqual([]);
  }, 300_000);

  it('calls sdg with commands and options our CLI has', () => {
    const program = buildProgram({ out: () => {}, err: () => {} }, { code: 0 });
    const sdgLines = lines('sdg');
    expect(sdgLines.map((l) => l.words[0])).toEqual(['govern', 'seed', 'audit']);
    for (const line of sdgLines) {
      const command = program.commands.find((c) => c.name() === line.words[0]);
      expect(command).toBeDefined();
      const options = new Set(
        command!.options.flatMap((o) => [o.long?.slice(2), o.short?.slice(1)])
      );
      expect(line.flags.filter((f) => !options.has(f))).toEqual([]);
    }
  });

  it('deploys and tests as release engineers do: sf project deploy start, then sf apex run test', () => {
    const sf = lines('sf');
    const deploy = sf.find((l) => l.words.join(' ') === 'project deploy start');
    expect(deploy?.flags).toEqual(
      expect.arrayContaining(['source-dir', 'target-org', 'test-level', 'wait'])
    );
    expect(deploy?.text).toMatch(/--source-dir force-app\b/);
    const tests = sf.find((l) => l.words.join(' ') === 'apex run test');
    expect(tests?.flags).toEqual(
      expect.arrayContaining(['test-level', 'code-coverage', 'result-format', 'output-dir', 'wait'])
    );
    expect(tests?.text).toMatch(/--result-format junit\b/);
    // Tests run after the deploy, against what was deployed.
    expect(sf.indexOf(tests!)).toBeGreaterThan(sf.indexOf(deploy!));
    expect(lines('sdg').filter((l) => l.words[0] === 'deploy')).toEqual([]);
    // `sdg deploy` stays a command for people who want its pre-flight and smoke check.
    const program = buildProgram({ out: () => {}, err: () => {} }, { code: 0 });
    expect(program.commands.map((c) => c.name())).toContain('deploy');
  });

  it('deploys the unpackagedMetadata folder of sfdx-project.json after the package, before the tests', () => {
    const project = JSON.parse(
      fs.readFileSync(path.join(PROJECT_ROOT, 'sfdx-project.json'), 'utf8')
    ) as { packageDirectories: { path: string; unpackagedMetadata?: { path: string } }[] };
    const unpackaged = project.packageDirectories.flatMap((d) =>
      d.unpackagedMetadata ? [d.unpackagedMetadata.path] : []
    );
    expect(unpackaged).toEqual(['unpackaged/experience-cloud']);
    const texts = lines('sf').map((l) => l.text);
    const packageDeploy = texts.findIndex((t) => /--source-dir force-app\b/.test(t));
    const unpackagedDeploy = texts.findIndex(
      (t) => /^sf project deploy start\b/.test(t) && t.includes(`--source-dir ${unpackaged[0]}`)
    );
    const tests = texts.findIndex((t) => /^sf apex run test\b/.test(t));
    expect(unpackagedDeploy).toBeGreaterThan(packageDeploy);
    expect(tests).toBeGreaterThan(unpackagedDeploy);
  });

  it('assigns the permission sets sdg govern generates after deploying them, before the tests', () => {
    const sf = lines('sf');
    const texts = sf.map((l) => l.text);
    const governDeploy = texts.findIndex((t) => /--source-dir governed\/Task\b/.test(t));
    const assign = texts.findIndex(
      (t) =>
        /^sf org assign permset\b/.test(t) &&
        /--name Synthetic_Data_Task\b/.test(t) &&
        /--name Synthetic_Data_Task_Reviewer\b/.test(t)
    );
    const tests = texts.findIndex((t) => /^sf apex run test\b/.test(t));
    expect(governDeploy).toBeGreaterThan(-1);
    expect(assign).toBeGreaterThan(governDeploy);
    expect(tests).toBeGreaterThan(assign);
  });

  it('reads continuation lines, subshells and pipes, and catches a flag a command lacks', () => {
    const [display, login] = commandLines(
      'ADMIN=$(sf org display --target-org ci --json | jq -r .result.username)\nsf org login jwt \\\n  --client-id x --no-such-flag -o y',
      'sf',
      'step'
    );
    expect(display).toMatchObject({ words: ['org', 'display'], flags: ['target-org', 'json'] });
    expect(login).toMatchObject({ words: ['org', 'login', 'jwt'] });
    const command: SfCommandInfo = {
      id: 'org:login:jwt',
      flags: { 'client-id': { char: 'i' }, username: { char: 'o', aliases: ['u'] } }
    };
    expect(resolveCommand(login!, [command])).toBe(command);
    expect(unknownFlags(login!, command)).toEqual(['no-such-flag']);
  });

  it('keeps the JWT key file until a final if: always() step removes it', () => {
    const removes = (s: { run?: string }) => /\brm\b[^\n]*devhub\.key/.test(s.run ?? '');
    const login = steps.find((s) => /sf org login jwt/.test(s.run ?? ''));
    expect(login?.run).toContain('--jwt-key-file "$RUNNER_TEMP/devhub.key"');
    const last = steps[steps.length - 1]!;
    expect(removes(last)).toBe(true);
    expect(last.if).toMatch(/always\(\)/);
    expect(steps.slice(0, -1).filter(removes)).toEqual([]);
  });
});
