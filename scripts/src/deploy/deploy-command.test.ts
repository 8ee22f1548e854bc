import path from 'node:path';
import { captureIo } from '../../test/capture-io';
import { fakeApi, FakeSalesforce } from '../../test/fake-salesforce';
import { loadPackagePolicy } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { DeployCommandOptions, DeploySummary, runDeploy } from './deploy-command';
import { toDeployReport } from './metadata-deploy';
import { packageTriggers, parseAssignments } from './org-setup-steps';

const policy = loadPackagePolicy(PROJECT_ROOT);
let fake: FakeSalesforce;
const connect = (org: string) => Promise.resolve(fakeApi(fake, org));

beforeEach(async () => {
  fake = await new FakeSalesforce({ policy }).start();
});
afterEach(() => fake.stop());

const options = (extra: Partial<DeployCommandOptions> = {}): DeployCommandOptions => ({
  targetOrg: 'fake',
  testLevel: 'RunLocalTests',
  assign: [],
  wait: '5',
  json: true,
  ...extra
});

async function deploy(extra: Partial<DeployCommandOptions> = {}, root = PROJECT_ROOT) {
  const { io, out, err } = captureIo();
  const code = await runDeploy(options(extra), io, connect, root);
  const summary =
    extra.json === false || !out.length ? null : (JSON.parse(out.join('\n')) as DeploySummary);
  return { code, out, err, summary };
}

describe('sdg deploy --target-org', () => {
  it('pre-flights, deploys the source with local tests, assigns the admin, and smoke-checks the triggers', async () => {
    const { code, summary } = await deploy({
      assign: ['reviewer@sdg.test:Synthetic_Data_Reviewer']
    });
    expect(code).toBe(0);
    expect(summary!.preflight!.components).toBeGreaterThan(90);
    expect(summary!.preflight!.findings).toEqual([]);
    // package.xml has no <fullName>: the components join no unmanaged package; the options go
    // in a plain entity_content form field, as jsforce sends them.
    expect(fake.deploys).toEqual([
      {
        id: summary!.deploy!.id,
        checkOnly: false,
        testLevel: 'RunLocalTests',
        packageName: null,
        entityFilename: null
      }
    ]);
    expect(summary!.deploy).toMatchObject({
      success: true,
      tests: { run: 2, failed: 0 },
      coverage: { overall: expect.closeTo(91.7, 1) as number }
    });
    expect(summary!.defaultPolicy).toEqual({ missing: [], deployed: null });
    expect(summary!.permissionSets!.assigned).toEqual([
      { username: 'admin@sdg.test', permissionSet: 'Synthetic_Data_Admin' },
      { username: 'reviewer@sdg.test', permissionSet: 'Synthetic_Data_Reviewer' }
    ]);
    expect(summary!.smoke!.ok).toBe(true);
    expect(summary!.smoke!.triggers.map((t) => t.name)).toEqual(packageTriggers(PROJECT_ROOT));
    // The upload is the multipart REST deploy request with a real zip built from force-app.
    expect(fake.requests.some((r) => r.path.endsWith('/metadata/deployRequest'))).toBe(true);
  });

  it('is safe to repeat: assignments already held are reported, not duplicated', async () => {
    await deploy();
    const { code, summary } = await deploy();
    expect(code).toBe(0);
    expect(summary!.permissionSets!.assigned).toEqual([]);
    expect(summary!.permissionSets!.alreadyAssigned).toHaveLength(1);
  });

  it('inserts the default policy for objects whose policy record is missing', async () => {
    // An admin deleted two policy records; installing the package version does not bring them back.
    fake.hiddenPolicies = new Set(['Lead', 'Case']);
    const { code, summary } = await deploy({ package: '04t000000000001AAA' });
    expect(code).toBe(0);
    expect(summary!.defaultPolicy!.missing).toEqual(['Case', 'Lead']);
    expect(summary!.defaultPolicy!.deployed!.success).toBe(true);
    expect(fake.deploys.map((d) => d.testLevel)).toEqual(['Default']);
    expect(fake.hiddenPolicies.size).toBe(0);
  });

  it('inserts the default policy in production, which refuses NoTestRun, by sending no test level', async () => {
    await fake.stop();
    fake = await new FakeSalesforce({ policy, production: true }).start();
    fake.hiddenPolicies = new Set(['Lead']);
    const { code, summary } = await deploy({ package: '04t000000000001AAA' });
    expect(summary!.defaultPolicy!.deployed!.success).toBe(true);
    expect(code).toBe(0);
  });

  it('explains that production refuses NoTestRun when a user asks for it', async () => {
    await fake.stop();
    fake = await new FakeSalesforce({ policy, production: true }).start();
    const { code, err } = await deploy({ testLevel: 'NoTestRun' });
    expect(code).toBe(2);
    expect(err[0]).toContain('refuses --test-level NoTestRun');
    expect(fake.deploys).toEqual([]);
  });

  it('assigns nothing, without an empty IN (), when no user or permission set is found', async () => {
    fake.records.get('PermissionSet')!.clear();
    const { code, summary } = await deploy({ package: '04t000000000001AAA' });
    expect(code).toBe(1);
    expect(summary!.permissionSets!.failed).toEqual([
      {
        username: 'admin@sdg.test',
        permissionSet: 'Synthetic_Data_Admin',
        reason: 'permission set not in the org (deploy first)'
      }
    ]);
  });

  it('does not repeat a deploy whose answer was lost (the org may have started it)', async () => {
    fake.faults.dropAfterCommit = 1;
    const { code, err } = await deploy({ package: undefined });
    expect(code).toBe(2);
    expect(err[0]).toContain('the org may have done it');
    expect(fake.deploys).toHaveLength(1);
  });

  it('--dry-run validates only: check-only deploy, no assignments, quick-deploy hint', async () => {
    const { code, out } = await deploy({ dryRun: true, json: false });
    expect(code).toBe(0);
    expect(fake.deploys[0]!.checkOnly).toBe(true);
    expect(fake.records.get('PermissionSetAssignment')!.size).toBe(0);
    expect(out.join('\n')).toContain('sf project deploy quick --job-id 0Af');
  });

  it('reports component and test failures with file, line and stack (exit 1)', async () => {
    fake.faults.deployFailure = {
      component: 'QuarantineService',
      problem: 'Variable does not exist: reviewer'
    };
    const { code, out } = await deploy({ json: false });
    expect(code).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(/^✖ Deploy 0Af\w+ Failed: 119\/120 components/);
    expect(text).toContain(
      'classes/QuarantineService.cls:12  ApexClass QuarantineService: Variable does not exist: reviewer'
    );
    expect(text).toContain('test SyntheticEnforcementHandlerTest.bulk_insert_200');
    expect(fake.records.get('PermissionSetAssignment')!.size).toBe(0);
  });

  it('fails the smoke check when triggers are inactive (exit 1)', async () => {
    fake.faults.inactiveTriggers = true;
    const { code, out } = await deploy({ json: false });
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/✖ Smoke check: .*AccountSyntheticGuard Inactive/);
  });

  it('reports an assignment it could not make (exit 1)', async () => {
    const { code, summary } = await deploy({ assign: ['ghost@sdg.test:Synthetic_Data_User'] });
    expect(code).toBe(1);
    expect(summary!.permissionSets!.failed).toEqual([
      {
        username: 'ghost@sdg.test',
        permissionSet: 'Synthetic_Data_User',
        reason: 'no active user with this username'
      }
    ]);
  });

  it('installs a package version instead of the source', async () => {
    const { code, summary } = await deploy({ package: '04t000000000001AAA' });
    expect(code).toBe(0);
    expect(summary!.mode).toBe('package');
    expect(summary!.preflight).toBeNull();
    expect(summary!.install).toMatchObject({
      status: 'SUCCESS',
      packageVersion: '04t000000000001AAA'
    });
    expect(fake.deploys).toEqual([]);
    fake.installOutcome = { status: 'ERROR', errors: ['Dependent package missing'] };
    const failed = await deploy({ package: '04t000000000001AAA', json: false });
    expect(failed.code).toBe(1);
    expect(failed.out[0]).toContain('install ERROR: Dependent package missing');
  });

  it('stops before the org when pre-flight finds problems (exit 1, nothing sent)', async () => {
    const { code, out } = await deploy(
      { json: false },
      path.join(PROJECT_ROOT, 'samples', 'broken')
    );
    expect(code).toBe(1);
    expect(out[0]).toMatch(/^✖ Pre-flight found \d+ problem\(s\); nothing was sent to fake:/);
    expect(out.join('\n')).toContain('Misspelled_Element__c');
    expect(fake.requests).toEqual([]);
  });

  it.each([
    [{ targetOrg: undefined }, '--target-org'],
    [{ testLevel: 'Everything' }, '--test-level'],
    [{ wait: '0' }, '--wait'],
    [{ package: 'abc' }, '--package takes a package version id'],
    [{ package: '04t000000000001AAA', dryRun: true }, 'no check-only mode'],
    [{ assign: ['nobody'] }, '--assign takes user:PermissionSet'],
    [{ assign: ['jo@x.com:Admin'] }, 'not a Synthetic Data Guard permission set']
  ])('rejects %j with exit 2', async (extra, message) => {
    const { code, err } = await deploy(extra);
    expect(code).toBe(2);
    expect(err.join('\n')).toContain(message);
  });
});

describe('deploy report parts', () => {
  it('reads a DeployResult with single objects instead of lists, and no coverage', () => {
    const report = toDeployReport({
      id: '0Af1',
      success: false,
      status: 'Failed',
      details: {
        componentFailures: {
          componentType: 'ApexClass',
          fullName: 'A',
          fileName: 'classes/A.cls',
          problem: 'x'
        },
        runTestResult: { numTestsRun: '0', numFailures: '0' }
      }
    });
    expect(report.componentFailures).toEqual([
      { type: 'ApexClass', name: 'A', file: 'classes/A.cls', line: null, problem: 'x' }
    ]);
    expect(report.coverage.overall).toBeNull();
  });

  it('parses several assignments per user', () => {
    expect(parseAssignments(['jo@x.com:Synthetic_Data_User,Synthetic_Data_Reviewer'])).toEqual([
      { username: 'jo@x.com', permissionSet: 'Synthetic_Data_User' },
      { username: 'jo@x.com', permissionSet: 'Synthetic_Data_Reviewer' }
    ]);
  });
});
