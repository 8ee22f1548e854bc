import fs from 'node:fs';
import path from 'node:path';
import { ExportFormatError } from '../audit-chain/export-reader';
import { loadKeys } from '../audit-chain/verify-chain-command';
import { exitOnUserError, UsageError } from '../cli/errors';
import type { CommandIo } from '../cli/io';
import { loadPackagePolicy, PolicySet } from '../policy/package-policy';
import { GOVERNED_OBJECTS, governedObjectsOf } from '../provenance-model/schema';
import { PROJECT_ROOT } from '../project-root';
import { AUDIT_EVENT_COLUMNS, columnsOf, EXPORT_FILES } from '../seed/export-layout';
import { progressBar } from '../cli/progress';
import { connectOrg, withOrgErrors } from '../org/org-connection';
import { DEFAULT_BULK_THRESHOLD, OrgReadPlan, orgSource } from '../org/org-audit-source';
import { readOrgPolicy } from '../org/org-policy';
import { registryGap } from './source-approval-control';
import { readOrgGoverned } from '../org/org-governed';
import { GovernedColumns, governedColumnsOf } from './governed-columns';
import {
  POLICY_CHANGES_CONTROL,
  policyChangeFindings,
  readPolicyChanges,
  SETUP_AUDIT_TRAIL_QUERY
} from '../org/policy-changes';
import type { SalesforceApi } from '../org/salesforce-api';
import {
  readUnreadableFiles,
  UNREADABLE_MEDIA_CONTROL,
  unreadableMediaFindings
} from '../media/media-audit';
import { AUTOMATED_DECISIONS_CONTROL, auditAutomatedDecisions } from './automated-decisions-audit';
import { auditExportFolder, AuditResult, auditSource } from './export-auditor';
import { atLeast, NOT_RUN_SEVERITY, Severity, SEVERITIES, severityOf } from './findings';
import {
  entrySourcesText,
  REPORT_FILES,
  REPORT_FORMATS,
  ReportFormat,
  writeReports
} from './reports';

/** Options of `sdg audit` as parsed from the command line. */
export interface AuditCommandOptions {
  targetOrg?: string;
  from?: string;
  out: string;
  format: string;
  failOn: string;
  slaDays: string;
  now?: string;
  cert?: string;
  hmacKeyFile?: string;
  policy?: string;
  queries?: boolean;
  json?: boolean;
  bulkThreshold?: string;
  /** `--object FILE=Object` (repeatable): the object of a file named otherwise. */
  object?: string[];
  /** `--allow-missing events,Lead,provenance`: gaps accepted up front. */
  allowMissing?: string;
  /** `--holding-queue <name|Id>` (repeatable): the admin's holding queues, not decisions (SDG-13). */
  holdingQueue?: string[];
  /** Where `--now` came from when a caller sets it (the built-in sample). */
  clock?: string;
}

/** A line of `queryTemplates()` that is a query (not a comment or a blank line). */
export const isQuery = (line: string): boolean => /^SELECT /.test(line);

/**
 * SOQL an admin can run by hand in an emergency (`sdg audit --queries`): an export query for each
 * of the five and for each object the policy governs beyond them (`governed`).
 */
export function queryTemplates(governed: readonly GovernedColumns[] = []): string[] {
  const lines = [
    '-- Export queries (Bulk API 2.0 or the Developer Console); save each result as <Object>.csv for sdg audit --from.'
  ];
  for (const object of GOVERNED_OBJECTS)
    lines.push(`SELECT ${columnsOf(object).join(', ')} FROM ${object}`);
  for (const { object, columns } of governed)
    lines.push(`SELECT ${columns.join(', ')} FROM ${object}`);
  lines.push(
    `SELECT ${AUDIT_EVENT_COLUMNS.join(', ')} FROM Synthetic_Audit_Event__c ORDER BY Sequence__c`
  );
  lines.push('', '-- Emergency audit queries (replace Lead with any governed object).');
  lines.push(
    "SELECT Id, AI_Model__c, Provenance_Source__c, Synthetic_Status__c, Synthetic_Reasons__c FROM Lead WHERE Synthetic_Status__c = 'Quarantined' ORDER BY CreatedDate"
  );
  lines.push(
    'SELECT AI_Model__c, COUNT(Id) FROM Lead WHERE Synthetic_Data__c = true GROUP BY AI_Model__c ORDER BY COUNT(Id) DESC'
  );
  lines.push(
    'SELECT Provenance_Source__c, COUNT(Id) FROM Lead WHERE Synthetic_Data__c = true AND CreatedDate = LAST_N_DAYS:1 GROUP BY Provenance_Source__c'
  );
  lines.push(
    "SELECT Id, AI_Model__c, Generation_Method__c FROM Lead WHERE Synthetic_Data__c = false AND (AI_Model__c != null OR Generation_Method__c IN ('trainedAlgorithmicMedia','compositeWithTrainedAlgorithmicMedia','algorithmicMedia','compositeSynthetic'))"
  );
  lines.push(
    "SELECT Sequence__c, Event_Type__c, Record_Id__c, Decision__c, Reason_Codes__c, Occurred_At__c FROM Synthetic_Audit_Event__c WHERE Event_Type__c IN ('Bypass','PolicyChange','Purge') ORDER BY Sequence__c DESC LIMIT 200"
  );
  // Display is not filterable: the comment goes on its own line so every query line stays SOQL.
  lines.push(
    '-- Setup Audit Trail: look for Synthetic_Policy, Trusted_AI_Source and the Synthetic_Data_* permission sets in Display.'
  );
  lines.push(`${SETUP_AUDIT_TRAIL_QUERY} LIMIT 200`);
  return lines;
}

function parseFormats(text: string): ReportFormat[] {
  const formats = text
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  const unknown = formats.filter((f) => !REPORT_FORMATS.includes(f as ReportFormat));
  if (unknown.length || formats.length === 0)
    throw new UsageError(
      `--format takes ${REPORT_FORMATS.join(',')}; unknown: ${unknown.join(', ') || '(none given)'}.`
    );
  return formats as ReportFormat[];
}

function parseSeverity(text: string): Severity {
  const severity = severityOf(text);
  if (!severity)
    throw new UsageError(
      `--fail-on takes ${SEVERITIES.join(', ')} (error and warning are accepted for high and medium), got "${text}".`
    );
  return severity;
}

const ALLOWABLE = ['events', 'provenance', 'registry', 'history', ...GOVERNED_OBJECTS];

function parseAllowMissing(text: string | undefined): string[] {
  const names = (text ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !ALLOWABLE.some((a) => a.toLowerCase() === n.toLowerCase()));
  if (unknown.length)
    throw new UsageError(
      `--allow-missing takes ${ALLOWABLE.join(', ')} (comma-separated); unknown: ${unknown.join(', ')}.`
    );
  return names;
}

/** Whether a result fails the gate: a finding at or above `failOn`, or a control not run. */
export function failsGate(result: AuditResult, failOn: Severity): boolean {
  return (
    result.findings.some((f) => atLeast(f.severity, failOn)) ||
    (atLeast(NOT_RUN_SEVERITY, failOn) && result.notRun.some((g) => !g.allowed))
  );
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ExportFormatError(`${file}: not valid JSON (${(error as Error).message}).`);
  }
}

interface CommonOptions {
  formats: ReportFormat[];
  failOn: Severity;
  slaDays: number;
}

function commonOptions(options: AuditCommandOptions): CommonOptions {
  const slaDays = Number(options.slaDays);
  if (!(slaDays > 0))
    throw new UsageError(`--sla-days must be a positive number, got "${options.slaDays}".`);
  return { formats: parseFormats(options.format), failOn: parseSeverity(options.failOn), slaDays };
}

function checkNow(now: string): string {
  if (Number.isNaN(Date.parse(now)))
    throw new UsageError(`--now must be an ISO 8601 date-time, got "${now}".`);
  return now;
}

/** Runs an offline audit and writes the reports; returns the result and the files written. */
export async function auditFolder(
  options: AuditCommandOptions
): Promise<{ result: AuditResult; files: string[]; failOn: Severity }> {
  const from = path.resolve(options.from ?? '');
  const { formats, failOn, slaDays } = commonOptions(options);
  const policyFile = options.policy ?? path.join(from, EXPORT_FILES.policy);
  const policyFound = fs.existsSync(policyFile);
  const policy = policyFound
    ? (readJson(policyFile) as PolicySet)
    : loadPackagePolicy(PROJECT_ROOT);
  // The package's own registry says nothing about what the org approved (SDG-15).
  const registryGapReason = registryGap(policyFound, policy.trustedSources);
  if (!Array.isArray(policy.trustedSources)) policy.trustedSources = [];
  // One clock for every command: --now, else the wall clock (the sample passes its own time).
  const now = checkNow(options.now ?? new Date().toISOString());
  const clock = options.clock ?? (options.now ? '--now' : 'the wall clock');
  const allowMissing = parseAllowMissing(options.allowMissing);
  const decisions = await auditAutomatedDecisions(
    from,
    policy,
    GOVERNED_OBJECTS,
    allowMissing,
    options.holdingQueue ?? []
  );
  const result = await auditExportFolder(from, {
    policy,
    now,
    slaDays,
    keys: loadKeys(options),
    objects: options.object ?? [],
    governed: governedObjectsOf(policy),
    allowMissing,
    clock,
    registryGap: registryGapReason,
    extraFindings: decisions.findings,
    extraControls: [AUTOMATED_DECISIONS_CONTROL],
    extraNotRun: decisions.notRun
  });
  const files = writeReports(result, path.resolve(options.out), formats, failOn);
  return { result, files, failOn };
}

/**
 * Audits an org directly: its own policy (custom metadata), its records and audit chain (REST,
 * or Bulk API 2.0 past `--bulk-threshold` rows), and the Setup Audit Trail.
 */
export async function auditOrg(
  options: AuditCommandOptions,
  connect: (org: string) => Promise<SalesforceApi> = connectOrg
): Promise<{ result: AuditResult; files: string[]; failOn: Severity; plan: OrgReadPlan }> {
  const org = options.targetOrg ?? '';
  const { formats, failOn, slaDays } = commonOptions(options);
  const bulkThreshold = Number(options.bulkThreshold ?? DEFAULT_BULK_THRESHOLD);
  if (!Number.isInteger(bulkThreshold) || bulkThreshold < 0)
    throw new UsageError(
      `--bulk-threshold must be a whole number of rows, got "${options.bulkThreshold}".`
    );
  const now = checkNow(options.now ?? new Date().toISOString());
  const clock = options.now ? '--now' : 'the wall clock';
  const keys = loadKeys(options);
  const fixedPolicy = options.policy ? (readJson(options.policy) as PolicySet) : null;
  const api = await connect(org);
  return withOrgErrors(org, async () => {
    const policy = fixedPolicy ?? (await readOrgPolicy(api));
    // Every object the org's policy records govern, and any --policy adds: each one is audited.
    const orgPolicy = fixedPolicy ? await readOrgPolicy(api) : policy;
    const governed = await readOrgGoverned(api, {
      ...orgPolicy,
      policies: { ...orgPolicy.policies, ...policy.policies }
    });
    const progress = progressBar(options.json);
    const changes = await readPolicyChanges(api);
    const unreadableFiles = await readUnreadableFiles(api);
    const source = await orgSource(api, { bulkThreshold, progress, governed });
    const result = await auditSource(source, {
      policy,
      now,
      slaDays,
      keys,
      extraFindings: [
        ...policyChangeFindings(changes),
        ...unreadableMediaFindings(unreadableFiles)
      ],
      extraControls: [POLICY_CHANGES_CONTROL, UNREADABLE_MEDIA_CONTROL],
      clock
    }).finally(() => progress.stop());
    const files = writeReports(result, path.resolve(options.out), formats, failOn);
    return { result, files, failOn, plan: source.plan };
  });
}

/**
 * The objects beyond the five that `--queries` covers: the org's policy records (`--target-org`,
 * each object described for its columns), else the export's policy (`--from`: its policy.json, or
 * `--policy`), else none.
 */
async function queriedObjects(
  options: AuditCommandOptions,
  connect: (org: string) => Promise<SalesforceApi>
): Promise<GovernedColumns[]> {
  if (options.targetOrg) {
    const org = options.targetOrg;
    const api = await connect(org);
    return withOrgErrors(org, async () => readOrgGoverned(api, await readOrgPolicy(api)));
  }
  const policyFile =
    options.policy ??
    (options.from ? path.join(path.resolve(options.from), EXPORT_FILES.policy) : null);
  if (!policyFile || !fs.existsSync(policyFile)) return [];
  return governedColumnsOf(readJson(policyFile) as PolicySet);
}

/** Prints the short summary people read first. */
export function printSummary(
  result: AuditResult,
  files: string[],
  failOn: Severity,
  io: CommandIo
): void {
  const failing = result.findings.filter((f) => atLeast(f.severity, failOn));
  const records = Object.values(result.objects).reduce((n, s) => n + s.records, 0);
  const synthetic = Object.values(result.objects).reduce((n, s) => n + s.synthetic, 0);
  const bare = Object.values(result.objects).reduce((n, s) => n + (s.withoutProvenance ?? 0), 0);
  const notRun = result.controls.filter((c) => c.status === 'not-run');
  io.out(
    `${failsGate(result, failOn) ? '✖' : '✔'} Audit of ${records} records (${synthetic} synthetic): ${result.findings.length} finding(s), ${failing.length} at or above ${failOn}; ${notRun.length} control(s) not run.`
  );
  io.out(
    `  Provenance coverage: ${records - bare} of ${records} records carry provenance; ${bare} carry none.`
  );
  io.out(
    `  Audit chain: ${result.chain && result.chain.events > 0 ? (result.chain.intact ? `intact, ${result.chain.events} events` : `BROKEN at event ${result.chain.firstBreak?.sequence} (${result.chain.firstBreak?.kind})`) : 'no events in the export: not verified'}.`
  );
  if (result.clock) io.out(`  Ages measured at ${result.now} (${result.clock}).`);
  if (entrySourcesText(result)) io.out(`  ${entrySourcesText(result)}`);
  for (const file of result.files ?? [])
    if (file.object)
      io.out(`  Read ${file.name}: ${file.object}${file.how ? ` (by ${file.how})` : ''}.`);
  // One line per control: not run anywhere, or on the objects that lack its columns.
  for (const control of result.controls) {
    const gaps = control.notRun ?? [];
    if (!gaps.length) continue;
    const perObject = gaps.filter((g) => g.object !== null);
    const whole = gaps.find((g) => g.object === null);
    const allowed = gaps.every((g) => g.allowed) ? ' (allowed)' : '';
    const where = whole
      ? perObject.length
        ? `${perObject[0]!.reason}${perObject.length > 1 ? `, and ${perObject.length - 1} more object(s)` : ''}`
        : whole.reason
      : `on ${perObject.map((g) => g.object).join(', ')}: ${perObject[0]!.reason}${perObject.length > 1 ? ' (and alike)' : ''}`;
    io.out(`  NOT RUN  ${control.id}${whole ? '' : ' partly'}: ${where}${allowed}.`);
  }
  // A file missing from the export is said on the console whatever else is found: the audit
  // covers fewer records than the chain names, and "… and 13 more" must not hide that.
  const missing = result.findings.filter((f) => f.control === MISSING_FILE_CONTROL);
  for (const finding of missing)
    io.out(
      `  MISSING  ${finding.object}: ${finding.title} (${finding.control}, ${finding.severity}).`
    );
  const others = result.findings.filter((f) => f.control !== MISSING_FILE_CONTROL);
  for (const finding of others.slice(0, 8))
    io.out(
      `  ${finding.severity.padEnd(8)} ${finding.control}  ${finding.title} (${finding.count})`
    );
  if (others.length > 8) io.out(`  … and ${others.length - 8} more.`);
  const html = files.find((f) => f.endsWith(REPORT_FILES.html));
  io.out(`  Report: ${path.relative(process.cwd(), html ?? files[0] ?? '') || '(none written)'}`);
}

/** The control whose findings name an object the audit events cover but the export lacks. */
const MISSING_FILE_CONTROL = 'SDG-11';

/** `sdg audit (--target-org <alias> | --from <dir>) [--out <dir>] [--format …] [--fail-on <severity>]`. */
export async function runAudit(
  options: AuditCommandOptions,
  io: CommandIo,
  connect: (org: string) => Promise<SalesforceApi> = connectOrg
): Promise<number> {
  return exitOnUserError(io, async () => {
    if (options.queries) {
      const templates = queryTemplates(await queriedObjects(options, connect));
      if (options.json) io.out(JSON.stringify({ queries: templates.filter(isQuery) }, null, 2));
      else templates.forEach((line) => io.out(line));
      return 0;
    }
    if (options.targetOrg && options.from)
      throw new UsageError('Audit one thing at a time: --target-org <alias> or --from <dir>.');
    if (!options.from && !options.targetOrg)
      throw new UsageError('Say what to audit: --from <export dir> or --target-org <alias>.');
    const run: Awaited<ReturnType<typeof auditFolder>> & { plan?: OrgReadPlan } = options.targetOrg
      ? await auditOrg(options, connect)
      : await auditFolder(options);
    const { result, files, failOn, plan } = run;
    if (options.json)
      io.out(
        JSON.stringify({ reports: files, ...result, ...(plan ? { read: plan } : {}) }, null, 2)
      );
    else {
      printSummary(result, files, failOn, io);
      if (plan)
        io.out(
          `  Read from the org: ${Object.entries(plan)
            .map(([object, p]) => `${object} ${p.rows} (${p.api})`)
            .join(', ')}.`
        );
    }
    return failsGate(result, failOn) ? 1 : 0;
  });
}
