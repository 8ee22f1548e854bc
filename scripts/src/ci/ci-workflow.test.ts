/**
 * A dry run of the org CI jobs (on-org, on-org-person-accounts), offline: every `sf` command line
 * they run must be a command of the sf CLI in devDependencies (`sf <command> --help` exits 0) with
 * flags that command takes, every `sdg` line a command and options of our own CLI, and the Dev
 * Hub's JWT key file must stay until a final `if: always()` step removes it (sf reads it again to
 * log in to the scratch org).
 */
import Ajv from 'ajv';
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
const ORG_JOBS = ['on-org', 'on-org-person-accounts'] as const;
type OrgJob = (typeof ORG_JOBS)[number];
const jobLines = (job: OrgJob, program: string): CommandLine[] =>
  jobSteps(WORKFLOW, job).flatMap((s) =>
    s.run ? commandLines(s.run, program, `${job}: ${s.name ?? s.run}`) : []
  );
const lines = (program: string): CommandLine[] => jobLines('on-org', program);

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
    for (const line of ORG_JOBS.flatMap((job) => jobLines(job, 'sf'))) {
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

  it.each(ORG_JOBS)(
    '%s keeps the JWT key file until a final if: always() step removes it',
    (job) => {
      const steps = jobSteps(WORKFLOW, job);
      const removes = (s: { run?: string }) => /\brm\b[^\n]*devhub\.key/.test(s.run ?? '');
      const login = steps.find((s) => /sf org login jwt/.test(s.run ?? ''));
      expect(login?.run).toContain('--jwt-key-file "$RUNNER_TEMP/devhub.key"');
      const last = steps[steps.length - 1]!;
      expect(removes(last)).toBe(true);
      expect(last.if).toMatch(/always\(\)/);
      expect(steps.slice(0, -1).filter(removes)).toEqual([]);
    }
  );

  it.each(ORG_JOBS)(
    '%s is skipped without the Dev Hub secret and deletes its own scratch org in always()',
    (job) => {
      const steps = jobSteps(WORKFLOW, job);
      expect(steps[0]!.if).toBe("env.HAS_DEV_HUB != 'true'");
      // Every step but the skip notice and the key removal needs the Dev Hub.
      const needing = steps
        .slice(1, -1)
        .filter((s) => !/env\.HAS_DEV_HUB == 'true'/.test(s.if ?? ''));
      expect(needing.map((s) => s.name ?? s.uses ?? s.run)).toEqual([]);
      const sf = jobLines(job, 'sf');
      const create = sf.find((l) => l.words.join(' ') === 'org create scratch');
      const alias = /--alias (\S+)/.exec(create?.text ?? '')?.[1];
      expect(alias).toBeDefined();
      // A step copied from the other job must not run against that job's org.
      const elsewhere = sf
        .filter((l) => l.flags.includes('target-org'))
        .filter((l) => !new RegExp(`--target-org ${alias}(\\s|$)`).test(l.text));
      expect(elsewhere.map((l) => l.text)).toEqual([]);
      const deleteStep = steps.find((s) => /^sf org delete scratch\b/.test(s.run ?? ''));
      expect(deleteStep?.if).toMatch(/always\(\)/);
      expect(deleteStep?.run).toContain(`--target-org ${alias}`);
      const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
      expect(upload?.if).toMatch(/always\(\)/);
      expect(steps.indexOf(upload!)).toBeLessThan(steps.indexOf(deleteStep!));
    }
  );
});

describe('on-org-person-accounts CI job (the person-account path on an org that has it)', () => {
  const JOB = 'on-org-person-accounts';
  const DEFINITION = 'config/project-scratch-person-accounts-def.json';
  const TEST_CLASSES = [
    'SyntheticConversionPassesTest',
    'SyntheticConversionRekeyTest',
    'SyntheticConversionTest',
    'SyntheticPersonContactGuardTest',
    'ProvenanceHashTest'
  ];
  const sf = jobLines(JOB, 'sf');

  it('runs, in this order: login, scratch org, person-account check, deploy, permission sets, tests, delete', () => {
    expect(sf.map((l) => l.words.join(' '))).toEqual([
      'version',
      'org login jwt',
      'org create scratch',
      'data query',
      'project deploy start',
      'org assign permset',
      'apex run test',
      'org delete scratch'
    ]);
    const [, , create, query, deploy, assign, tests] = sf;
    expect(create!.text).toContain(`--definition-file ${DEFINITION}`);
    // Without person accounts the test takes its business path and passes: prove the org has them.
    expect(query!.text).toMatch(
      /FROM RecordType WHERE SobjectType = 'Account' AND IsPersonType = true/
    );
    const check = jobSteps(WORKFLOW, JOB).find((s) => s.run?.includes('sf data query'));
    expect(check?.run).toMatch(/jq -e '\.result\.totalSize > 0'/);
    expect(deploy!.text).toMatch(/--source-dir force-app\b/);
    expect(deploy!.flags).toEqual(expect.arrayContaining(['target-org', 'test-level', 'wait']));
    expect(assign!.text).toMatch(/--name Synthetic_Data_Admin\b/);
    expect(assign!.text).toMatch(/--name Synthetic_Data_Reviewer\b/);
    expect(tests!.flags).toEqual(
      expect.arrayContaining([
        'class-names',
        'code-coverage',
        'result-format',
        'output-dir',
        'wait'
      ])
    );
    expect(tests!.text).toMatch(/--result-format junit\b/);
  });

  it('runs the conversion and person-account test classes, each an @IsTest class of force-app', () => {
    const tests = sf.find((l) => l.words.join(' ') === 'apex run test')!;
    const named = [...tests.text.matchAll(/--class-names (\S+)/g)].map((m) => m[1]);
    expect(named.sort()).toEqual([...TEST_CLASSES].sort());
    const testRoot = path.join(PROJECT_ROOT, 'force-app', 'test');
    const classFiles = fs
      .readdirSync(testRoot, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.cls'));
    for (const name of TEST_CLASSES) {
      const file = classFiles.find((f) => path.basename(f) === `${name}.cls`);
      expect({ name, file }).toEqual({ name, file: expect.any(String) });
      const source = fs.readFileSync(path.join(testRoot, file!), 'utf8');
      expect({ name, isTest: /@IsTest/i.test(source) }).toEqual({ name, isTest: true });
    }
    // The person-account test is in the run, and it names this job's definition as its proof.
    const passes = fs.readFileSync(
      path.join(
        testRoot,
        classFiles.find((f) => f.endsWith('SyntheticConversionPassesTest.cls'))!
      ),
      'utf8'
    );
    expect(passes).toContain(DEFINITION);
  });

  it('gates on the test run: failing tests or a run without coverage fail the job', () => {
    const run = jobSteps(WORKFLOW, JOB).find((s) => s.run?.includes('sf apex run test'))!.run!;
    const output = /--json > (\S+)/.exec(run)?.[1];
    expect(output).toBeDefined();
    expect(run).toContain(`npx tsx scripts/src/ci/apex-coverage-gate.ts ${output} 0`);
  });

  it('creates the org from a definition with the PersonAccounts feature that the sf CLI schema accepts', () => {
    const schema = JSON.parse(
      fs.readFileSync(
        path.join(
          PROJECT_ROOT,
          'node_modules',
          '@salesforce',
          'core',
          'schemas',
          'project-scratch-def.schema.json'
        ),
        'utf8'
      )
    ) as object;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const definition = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, DEFINITION), 'utf8')) as {
      features?: string[];
    };
    expect(definition.features).toContain('PersonAccounts');
    expect({ valid: validate(definition), errors: validate.errors ?? null }).toEqual({
      valid: true,
      errors: null
    });
    // The schema holds the feature names: a misspelt one is refused, so this check can fail.
    expect(validate({ ...definition, features: ['PersonAccount'] })).toBe(false);
  });
});
