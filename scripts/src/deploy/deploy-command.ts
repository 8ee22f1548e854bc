import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isUserError, UsageError } from '../cli/errors';
import type { CommandIo } from '../cli/io';
import { connectOrg, withOrgErrors } from '../org/org-connection';
import type { SalesforceApi } from '../org/salesforce-api';
import { PERMISSION_SETS } from '../provenance-model/schema';
import { PROJECT_ROOT } from '../project-root';
import { formatFinding } from '../quality/finding';
import { buildMetadata } from '../quality/metadata-build';
import { checkMetadata } from '../quality/metadata-preflight';
import { readSfdxProject } from '../quality/sfdx-project';
import { DeployReport, DeployTimeout, deployZip, TEST_LEVELS, TestLevel } from './metadata-deploy';
import {
  Assignment,
  AssignmentReport,
  assignPermissionSets,
  checkTriggers,
  defaultPolicyFiles,
  missingPolicies,
  packageTriggers,
  parseAssignments
} from './org-setup-steps';
import { InstallReport, installPackage, PACKAGE_VERSION_ID } from './package-install';

/** Options of `sdg deploy` as parsed from the command line. */
export interface DeployCommandOptions {
  targetOrg?: string;
  dryRun?: boolean;
  package?: string;
  testLevel: string;
  assign: string[];
  wait: string;
  json?: boolean;
}

/** Everything `sdg deploy` did (`--json`). */
export interface DeploySummary {
  org: string;
  mode: 'source' | 'package';
  dryRun: boolean;
  preflight: { components: number; findings: string[] } | null;
  deploy: DeployReport | null;
  install: InstallReport | null;
  defaultPolicy: { missing: string[]; deployed: DeployReport | null } | null;
  permissionSets: AssignmentReport | null;
  smoke: { triggers: { name: string; status: string }[]; ok: boolean } | null;
  ok: boolean;
}

interface Parsed {
  org: string;
  testLevel: TestLevel;
  waitMinutes: number;
  assignments: Assignment[];
}

function parse(options: DeployCommandOptions): Parsed {
  if (!options.targetOrg)
    throw new UsageError('Say where to deploy: --target-org <alias> (an sf CLI login).');
  if (!TEST_LEVELS.includes(options.testLevel as TestLevel))
    throw new UsageError(
      `--test-level takes ${TEST_LEVELS.join(', ')}, got "${options.testLevel}".`
    );
  const waitMinutes = Number(options.wait);
  if (!(waitMinutes > 0)) throw new UsageError(`--wait takes minutes, got "${options.wait}".`);
  if (options.package !== undefined && !PACKAGE_VERSION_ID.test(options.package))
    throw new UsageError(
      `--package takes a package version id (04t…, 15 or 18 characters), got "${options.package}". List versions with: sf package version list`
    );
  if (options.package && options.dryRun)
    throw new UsageError(
      'A package install has no check-only mode: try it in a sandbox first, or drop --package to validate the source with --dry-run.'
    );
  const assignments = parseAssignments(options.assign);
  if (typeof assignments === 'string') throw new UsageError(assignments);
  return {
    org: options.targetOrg,
    testLevel: options.testLevel as TestLevel,
    waitMinutes,
    assignments
  };
}

/** The offline gate's metadata checks and build: the zip a deploy sends, or why it cannot. */
export async function preflight(
  root = PROJECT_ROOT
): Promise<{ zip: Buffer | null; components: number; findings: string[] }> {
  const directories = readSfdxProject(root).packageDirectories;
  const findings = checkMetadata(directories);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-deploy-'));
  try {
    const build = findings.length
      ? null
      : await buildMetadata(directories, out, 'deploy.zip', root);
    const all = [...findings, ...(build?.findings ?? [])].map((f) => formatFinding(f));
    return {
      zip: build?.zipPath && !all.length ? fs.readFileSync(build.zipPath) : null,
      components: build?.components.length ?? 0,
      findings: all
    };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** A deploy zip of just these source files (the default policy records). */
async function zipOf(files: string[]): Promise<Buffer> {
  const result = await new MetadataConverter().convert(
    ComponentSet.fromSource({ fsPaths: files }),
    'metadata',
    { type: 'zip' }
  );
  return result.zipBuffer ?? Buffer.alloc(0);
}

/**
 * `sdg deploy --target-org <alias> [--dry-run] [--package 04t…] [--assign user:PermSet]…`:
 * pre-flight, deploy (running local tests, reporting coverage) or install, then default policy,
 * permission sets, and a smoke check that the triggers are active.
 */
export async function deploy(
  options: DeployCommandOptions,
  io: CommandIo,
  connect: (org: string) => Promise<SalesforceApi> = connectOrg,
  root = PROJECT_ROOT
): Promise<DeploySummary> {
  const p = parse(options);
  const summary: DeploySummary = {
    org: p.org,
    mode: options.package ? 'package' : 'source',
    dryRun: options.dryRun === true,
    preflight: null,
    deploy: null,
    install: null,
    defaultPolicy: null,
    permissionSets: null,
    smoke: null,
    ok: false
  };
  const say = (line: string) => {
    if (!options.json) io.err(line);
  };
  let zip: Buffer | null = null;
  if (!options.package) {
    say('Pre-flight: metadata schema, references and build…');
    const checked = await preflight(root);
    summary.preflight = { components: checked.components, findings: checked.findings };
    if (!checked.zip) return summary;
    zip = checked.zip;
  }
  const api = await connect(p.org);
  return withOrgErrors(p.org, async () => {
    if (zip) {
      say(
        `${options.dryRun ? 'Validating' : 'Deploying'} ${summary.preflight?.components} components to ${p.org} (${p.testLevel})…`
      );
      summary.deploy = await deployZip(api, zip, {
        checkOnly: summary.dryRun,
        testLevel: p.testLevel,
        waitMinutes: p.waitMinutes
      });
      if (!summary.deploy.success || summary.dryRun) {
        summary.ok = summary.deploy.success;
        return summary;
      }
    } else {
      say(`Installing package version ${options.package} in ${p.org}…`);
      summary.install = await installPackage(api, options.package ?? '', p.waitMinutes);
      if (summary.install.status !== 'SUCCESS') return summary;
    }
    const missing = await missingPolicies(api, root);
    summary.defaultPolicy = { missing, deployed: null };
    if (missing.length) {
      say(`Inserting the default policy for ${missing.join(', ')}…`);
      const files = defaultPolicyFiles(root);
      summary.defaultPolicy.deployed = await deployZip(
        api,
        await zipOf(missing.map((name) => files.get(name) ?? '')),
        // Custom metadata records only, no Apex: no test level, so production accepts it
        // (it refuses NoTestRun) and runs no tests.
        { checkOnly: false, waitMinutes: p.waitMinutes }
      );
    }
    summary.permissionSets = await assignPermissionSets(api, [
      { username: api.session.username, permissionSet: PERMISSION_SETS.admin },
      ...p.assignments
    ]);
    const triggers = await checkTriggers(api, packageTriggers(root));
    summary.smoke = { triggers, ok: triggers.every((t) => t.status === 'Active') };
    summary.ok =
      summary.smoke.ok &&
      summary.permissionSets.failed.length === 0 &&
      (summary.defaultPolicy.deployed?.success ?? true);
    return summary;
  });
}

function printSummary(s: DeploySummary, io: CommandIo): void {
  if (s.preflight?.findings.length) {
    io.out(
      `✖ Pre-flight found ${s.preflight.findings.length} problem(s); nothing was sent to ${s.org}:`
    );
    s.preflight.findings.forEach((f) => io.out(`  ${f}`));
    return;
  }
  if (s.deploy) {
    const d = s.deploy;
    io.out(
      `${d.success ? '✔' : '✖'} ${d.checkOnly ? 'Validation' : 'Deploy'} ${d.id} ${d.status}: ${d.components.deployed}/${d.components.total} components, ${d.tests.run} tests run, ${d.tests.failed} failed${d.coverage.overall === null ? '' : `, coverage ${d.coverage.overall}%`}.`
    );
    d.componentFailures.forEach((f) =>
      io.out(`  ${f.file}${f.line === null ? '' : `:${f.line}`}  ${f.type} ${f.name}: ${f.problem}`)
    );
    d.testFailures.forEach((f) =>
      io.out(`  test ${f.name}.${f.method}: ${f.message}\n    ${f.stackTrace}`)
    );
    const low = d.coverage.classes.filter((c) => c.percent < 90);
    if (low.length)
      io.out(`  Below 90% coverage: ${low.map((c) => `${c.name} ${c.percent}%`).join(', ')}`);
    if (d.checkOnly && d.success)
      io.out(
        `  Validated only. Deploy it without re-running tests: sf project deploy quick --job-id ${d.id} --target-org ${s.org}`
      );
  }
  if (s.install)
    io.out(
      `${s.install.status === 'SUCCESS' ? '✔' : '✖'} Package ${s.install.packageVersion} install ${s.install.status}${s.install.errors.length ? `: ${s.install.errors.join('; ')}` : '.'}`
    );
  if (s.defaultPolicy)
    io.out(
      s.defaultPolicy.missing.length
        ? `${s.defaultPolicy.deployed?.success ? '✔' : '✖'} Default policy inserted for ${s.defaultPolicy.missing.join(', ')}.`
        : '✔ Policy present for every governed object.'
    );
  if (s.permissionSets) {
    const ps = s.permissionSets;
    io.out(
      `${ps.failed.length ? '✖' : '✔'} Permission sets: ${ps.assigned.length} assigned, ${ps.alreadyAssigned.length} already held, ${ps.failed.length} failed.`
    );
    ps.failed.forEach((f) => io.out(`  ${f.username} ${f.permissionSet}: ${f.reason}`));
  }
  if (s.smoke) {
    const off = s.smoke.triggers.filter((t) => t.status !== 'Active');
    io.out(
      s.smoke.ok
        ? `✔ Smoke check: all ${s.smoke.triggers.length} triggers active.`
        : `✖ Smoke check: ${off.map((t) => `${t.name} ${t.status}`).join(', ')}. Activate them (Setup → Apex Triggers) before loading data.`
    );
  }
}

/** Runs `sdg deploy`; exit 0 deployed and checked, 1 failed, 2 usage or connection errors. */
export async function runDeploy(
  options: DeployCommandOptions,
  io: CommandIo,
  connect: (org: string) => Promise<SalesforceApi> = connectOrg,
  root = PROJECT_ROOT
): Promise<number> {
  try {
    const summary = await deploy(options, io, connect, root);
    if (options.json) io.out(JSON.stringify(summary, null, 2));
    else printSummary(summary, io);
    return summary.ok ? 0 : 1;
  } catch (error) {
    if (isUserError(error)) {
      io.err(`✖ ${error.message}`);
      return 2;
    }
    if (error instanceof DeployTimeout) {
      io.err(`✖ ${error.message}`);
      return 1;
    }
    throw error;
  }
}
