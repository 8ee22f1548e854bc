import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { PROJECT_ROOT } from '../project-root';
// Only the constants option texts need are loaded with the program: each command's module is
// imported when that command runs, so `sdg --version`, `--help` and one command start fast.
import { CHANNELS } from '../alerts/alert-payload';
import { TEST_LEVELS } from '../deploy/metadata-deploy';
import type { AlertsTestOptions } from '../alerts/alerts-command';
import type { ReplayOptions } from '../alerts/alert-replay';
import type { MonitorOptions, MonitorTarget } from '../monitor/monitor-command';
import type { AuditCommandOptions } from '../audit/audit-command';
import type { DeployCommandOptions } from '../deploy/deploy-command';
import type { GovernCommandOptions } from '../govern/govern-command';
import type { EraseOptions } from '../erasure/erase-command';
import type { ScanCommandOptions } from '../media/scan-command';
import type { ScanOrgOptions } from '../media/scan-org';
import type { SetupCommandOptions } from '../deploy/setup-command';
import type { ValidatePayloadOptions } from '../ingestion/validate-payload-command';
import type {
  RecallApplyOptions,
  RecallPlanOptions,
  RecallUndoOptions
} from '../recall/recall-command';
import type { SeedCommandOptions } from '../seed/seed-command';
import { CommandIo, processIo } from './io';
import { EXIT_USAGE, isUserError, pathErrorMessage, reportInternalError } from './errors';

export { EXIT_USAGE };

/**
 * A command's module, loaded when the command runs, so `sdg --version` and one command start
 * without loading all of them. `require`, not `import()`: the CLI runs its TypeScript through
 * tsx's CommonJS hook, which leaves `import()` to Node's ESM resolver; that resolver finds no
 * extensionless .ts module, and would load a second copy of modules already required.
 */
function load<T>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(id) as T;
}

/**
 * Builds the `sdg` program. Each action stores its exit code in `result.code`; commander's own
 * usage errors exit 2, like input errors.
 */
export function buildProgram(io: CommandIo, result: { code: number }): Command {
  const program = new Command('sdg')
    .description(
      'Synthetic Data Guard: deploy, seed, audit and verify synthetic-data governance for Salesforce.'
    )
    .version(packageVersion(), '--version', 'print the version of sdg')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run sdg --help for usage)');

  program
    .command('verify-chain')
    .description(
      'Verify an export of Synthetic_Audit_Event__c (CSV or JSON) offline: sequence, hash links, recomputed hashes, checkpoint signatures. Exit 0 intact, 1 broken, 2 unreadable input.'
    )
    .argument('<export>', 'export file (.csv from the Bulk API or data export service, or .json)')
    .option('--cert <pem>', 'public certificate (PEM) to verify RSA-SHA256 checkpoints')
    .option(
      '--hmac-key-file <file>',
      'HMAC key (base64, as stored in the org) to verify HMAC-SHA256 checkpoints'
    )
    .option(
      '--tsa-trust <pem>',
      "root certificate(s) (PEM) of the timestamp authority: checkpoints' RFC 3161 tokens must chain to them"
    )
    .option('--expect-head <hash>', 'a head hash recorded earlier: it must occur in the chain')
    .option('--json', 'print {intact, events, head, firstBreak: {sequence, kind}, …} as JSON')
    .action(
      async (
        file: string,
        options: {
          cert?: string;
          hmacKeyFile?: string;
          tsaTrust?: string;
          expectHead?: string;
          json?: boolean;
        }
      ) => {
        const { runVerifyChain } = load<typeof import('../audit-chain/verify-chain-command')>(
          '../audit-chain/verify-chain-command'
        );
        result.code = await runVerifyChain(file, options, io);
      }
    );

  program
    .command('seed')
    .description(
      'Generate realistic mixed data (authentic and synthetic with full, partial or missing provenance, untrusted models, adversarial cases, a bulk injection), decided by the package policy, with its audit chain. Deterministic for a given --seed.'
    )
    .option(
      '--out <dir>',
      'write an export folder: one CSV per object, sObject tree JSON, audit events, policy, manifest'
    )
    .option(
      '--target-org <alias>',
      "seed an org (an alias or username from the sf CLI's logins): upsert by Source_Record_Id__c, then check the triggers acted"
    )
    .option(
      '--bulk-threshold <records>',
      'with --target-org: past this many records, load with Bulk API 2.0 instead of Composite',
      '5000'
    )
    .option(
      '--report-dir <dir>',
      'with --target-org: where the per-record failure report goes',
      'reports'
    )
    .option('--force', 'with --out: replace the content of a folder that already holds files')
    .option('--count <n>', 'number of records', '2000')
    .option('--seed <s>', 'random seed', '42')
    .option('--synthetic-ratio <r>', 'share of synthetic records, 0-1', '0.4')
    .option(
      '--now <iso>',
      'reference time the data is generated around (default: 2026-06-01T12:00:00Z for --out, the current time for --target-org)'
    )
    .option('--json', 'print the summary as JSON')
    .action(async (options: SeedCommandOptions) => {
      const { runSeed } = load<typeof import('../seed/seed-command')>('../seed/seed-command');
      result.code = await runSeed(options, io);
    });

  program
    .command('audit')
    .description(
      'Audit an org (--target-org) or an export (--from: a folder or Data Export zip of CSVs, or sf data export tree JSON with or without its plan; with or without the provenance columns, so it audits an org before the package is installed): provenance, drift, undisclosed AI, untrusted models, quarantine backlog, sync exposure, mixed lineage, audit chain and coverage, and (from an org) policy changes in the Setup Audit Trail. A control the export gives no input for is reported as not run, never passed. Exit 0 when no finding reaches --fail-on and every control ran (or its gap is allowed), 1 when not, 2 for usage or input errors, 70 for an internal error.'
    )
    .option(
      '--from <dir|zip>',
      'export to audit, streamed: a folder, a Data Export zip (read in place), the folder holding every zip of a Data Export set (WE_<orgId>_1.ZIP, _2.ZIP …: one export), or one file'
    )
    .option(
      '--object <FILE=Object>',
      'the object of a file whose name and Ids do not say it (repeatable)',
      collect,
      []
    )
    .option(
      '--holding-queue <name|Id>',
      'a queue of your own that holds ineligible records back (Lead/Case assignment rule entry 1): owner changes into it are no SDG-13 finding (repeatable)',
      collect,
      []
    )
    .option(
      '--allow-missing <list>',
      'gaps to accept without failing: events, provenance, registry (SDG-15 without the registry), history (SDG-13 without field history), or object names (comma-separated)'
    )
    .option(
      '--target-org <alias>',
      "audit an org directly (an alias or username from the sf CLI's logins)"
    )
    .option(
      '--bulk-threshold <rows>',
      'objects with more rows than this are read with a Bulk API 2.0 query job',
      '10000'
    )
    .option('--out <dir>', 'where to write the reports', 'reports')
    .option(
      '--format <list>',
      `report formats: ${['html', 'json', 'md', 'junit', 'csv'].join(',')}`,
      'html,json,md,junit,csv'
    )
    .option(
      '--fail-on <severity>',
      'critical, high, medium, low or info (error = high, warning = medium); a control not run counts as high',
      'high'
    )
    .option('--sla-days <n>', 'days a quarantined record may wait for review', '7')
    .option('--now <iso>', 'measure ages at this time (default: the wall clock)')
    .option('--cert <pem>', 'public certificate to verify RSA-signed checkpoints')
    .option('--hmac-key-file <file>', 'HMAC key to verify HMAC-signed checkpoints')
    .option(
      '--policy <file>',
      'policy JSON to re-evaluate against (default: <dir>/policy.json, else the package policy)'
    )
    .option('--queries', 'print the SOQL templates for exports and emergency audits, then exit')
    .option('--json', 'print the full result as JSON')
    .action(async (options: AuditCommandOptions) => {
      const { runAudit } = load<typeof import('../audit/audit-command')>('../audit/audit-command');
      result.code = await runAudit(options, io);
    });

  program
    .command('deploy')
    .description(
      "Deploy the package to an org: pre-flight (the offline gate's metadata checks and build), deploy with source-deploy-retrieve running local Apex tests and reporting coverage (or install a package version), insert default policy if absent, assign permission sets, smoke-check the triggers. Exit 0 done, 1 failed, 2 usage or connection error."
    )
    .option('--target-org <alias>', "the org (an alias or username from the sf CLI's logins)")
    .option('--dry-run', 'validate only (check-only deploy with tests); nothing changes in the org')
    .option('--package <04t…>', 'install this package version instead of deploying the source')
    .option('--test-level <level>', TEST_LEVELS.join(', '), 'RunLocalTests')
    .option(
      '--assign <user:PermSet[,PermSet]>',
      'also assign permission sets (repeatable); the deploying user always gets Synthetic_Data_Admin',
      (value: string, all: string[]) => [...all, value],
      [] as string[]
    )
    .option('--wait <minutes>', 'how long to wait for the deploy or install', '60')
    .option('--json', 'print the deploy report as JSON')
    .action(async (options: DeployCommandOptions) => {
      const { runDeploy } = load<typeof import('../deploy/deploy-command')>(
        '../deploy/deploy-command'
      );
      result.code = await runDeploy(options, io);
    });

  program
    .command('setup')
    .description(
      'From nothing to a demo org: create a scratch org from config/project-scratch-def.json with a Dev Hub, deploy, assign permission sets and seed it. Fails fast when the Dev Hub is missing or not a Dev Hub.'
    )
    .option('--dev-hub <alias>', "the Dev Hub (an alias or username from the sf CLI's logins)")
    .option('--alias <name>', 'alias for the new scratch org', 'sdg-demo')
    .option('--days <n>', 'scratch org lifetime in days (1-30)', '7')
    .option('--count <n>', 'records to seed', '500')
    .option('--json', 'print each step as JSON')
    .action(async (options: SetupCommandOptions) => {
      const { runSetup } =
        load<typeof import('../deploy/setup-command')>('../deploy/setup-command');
      result.code = await runSetup(options, io);
    });

  program
    .command('scan')
    .description(
      "Scan media files for C2PA manifests and IPTC AI markers (every format c2pa-rs reads: JPEG, PNG, WebP, GIF, TIFF/DNG, SVG, HEIC/HEIF/AVIF, MP4/MOV/M4A, AVI, WAV, MP3, JPEG XL, PDF), reading only their metadata. With --target-org, scan the org's files the in-org scan left pending, too large or not scanned: each is downloaded once, streamed, and its verdict written back through the package's scan API, so the org applies its policy and audits it as an in-org scan. Exit 0 nothing flagged, 1 a file is AI-generated, stripped of its provenance, malformed or has a C2PA reference nobody could read (unreadable), 2 unreadable input (or a file the org refused)."
    )
    .argument('[paths...]', 'files or folders (folders are scanned recursively)')
    .option(
      '--json',
      'print a JSON array: per file {file, format, manifest, digitalSourceType, generator, verdict, reasons, bytesRead, size, notes} (with --target-org: {org, scanned, skipped, failed, flagged, files: [{id, …, applied}]})'
    )
    .option(
      '--verify',
      'also read embedded or unreadable manifests fully and validate their signatures with the C2PA reference implementation, whose answer wins (reads whole files)'
    )
    .option(
      '--target-org <alias>',
      "scan the files of an org (an alias or username from the sf CLI's logins) whose scan is pending, too large or not scanned"
    )
    .option(
      '--since <iso>',
      'with --target-org: only files uploaded at or after this time (ISO 8601)'
    )
    .option('--limit <n>', 'with --target-org: at most this many files in this run')
    .option(
      '--state-file <file>',
      'with --target-org: where the files already done are remembered, so a re-run resumes (default: .sdg/scan-<org>.json)'
    )
    .action(async (paths: string[], options: ScanCommandOptions & ScanOrgOptions) => {
      if (options.targetOrg !== undefined) {
        const { runScanOrg } = load<typeof import('../media/scan-org')>('../media/scan-org');
        result.code = await runScanOrg(paths, options, io);
        return;
      }
      if (!paths.length) {
        io.err('✖ Give the files or folders to scan, or --target-org <alias> to scan an org.');
        result.code = EXIT_USAGE;
        return;
      }
      const { runScan } = load<typeof import('../media/scan-command')>('../media/scan-command');
      result.code = await runScan(paths, options, io);
    });

  program
    .command('validate-payload')
    .description(
      'What the ingestion endpoint (/services/apexrest/synthetic/v1/records/<object>) would answer for a payload, offline: the same header parsing, body checks and policy engine. Exit 0 accepted or flagged, 1 quarantined or rejected, 2 malformed input.'
    )
    .argument('<payload.json>', 'the request body: one record, or {"records": [...]} (at most 200)')
    .requiredOption(
      '--object <SObject>',
      'the governed object: Lead, Contact, Account, Case or Opportunity'
    )
    .option(
      '--headers <file>',
      'the request headers as "Name: value" lines, exactly as HTTP sends them'
    )
    .option(
      '--policy <file>',
      "policy JSON to decide with (an export's policy.json; default: the package policy)"
    )
    .option('--now <iso>', 'decide as of this time (default: now)')
    .option(
      '--json',
      'print {decision, status, syntheticStatus, reasons, objectName, results, errors}; status is the HTTP status the endpoint would answer'
    )
    .action((payload: string, options: ValidatePayloadOptions) => {
      const { runValidatePayload } = load<typeof import('../ingestion/validate-payload-command')>(
        '../ingestion/validate-payload-command'
      );
      result.code = runValidatePayload(payload, options, io);
    });

  program
    .command('erase')
    .description(
      "Erase the personal data Synthetic Data Guard keeps beside one record (GDPR Art. 17): its audit notes (review reasons, evidence), recall backups and detector evidence, through the package's /synthetic/v1/erasures endpoint (Administer_Synthetic_Policy); the org appends an Erasure event and the chain still verifies. Exit 0 erased, 1 more remains (run again), 2 usage or org error."
    )
    .requiredOption('--target-org <alias>', "an alias or username from the sf CLI's logins")
    .requiredOption('--record <id>', 'the 15- or 18-character Id of the record')
    .option(
      '--json',
      'print {recordId, notesErased, backupsCleared, detectionsCleared, noteDigests, complete, eventKey}'
    )
    .action(async (options: EraseOptions) => {
      const { runErase } = load<typeof import('../erasure/erase-command')>(
        '../erasure/erase-command'
      );
      result.code = await runErase(options, io);
    });

  program
    .command('govern')
    .description(
      'Write the metadata to govern one more object (a custom object or a standard one such as Task) as a source folder to deploy next to the package: the provenance fields, a trigger calling the package handler, a policy record, a permission set, a Quarantined list view and a report type. Exit 0 written, 2 for an object that cannot be governed.'
    )
    .requiredOption('--object <ApiName>', 'the object API name, e.g. Invoice__c or Task')
    .option('--out <dir>', 'where the source folder goes (default: governed/<ApiName>)')
    .option(
      '--create-object',
      'for a custom object: also write a minimal object definition (otherwise it must exist in the org)'
    )
    .option('--json', 'print {object, out, files, fields, skipped, notes, deploy} as JSON')
    .action(async (options: GovernCommandOptions) => {
      const { runGovern } = load<typeof import('../govern/govern-command')>(
        '../govern/govern-command'
      );
      result.code = await runGovern(options, io);
    });

  program
    .command('sample')
    .description(
      'The main job (npm start): seed the built-in sample offline, audit it, write the reports and print a summary.'
    )
    .option('--out <dir>', 'where the sample export and the reports go', 'reports')
    .option('--json', 'print what was seeded and the audit result as JSON')
    .action(async (options: { out: string; json?: boolean }) => {
      const { runSample } =
        load<typeof import('../audit/sample-command')>('../audit/sample-command');
      result.code = await runSample(options.out, io, options.json);
    });

  addRecall(program, io, result);
  addAlerts(program, io, result);
  addMonitor(program, io, result);
  return program;
}

/** The version in package.json: `sdg --version` and the plugin's `sf plugins` line agree. */
function packageVersion(): string {
  const file = path.join(PROJECT_ROOT, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `sdg recall plan|apply|undo`: pull synthetic data back out, provably and reversibly. */
function addRecall(program: Command, io: CommandIo, result: { code: number }): void {
  const recall = program
    .command('recall')
    .description(
      'Recall synthetic data from an export or an org: plan (what would change), apply (backup, then change; in an org after a second person approves), undo (put it back). Exit 0 done, 1 some records failed, 2 bad input (nothing changed), 3 an org recall not finished (still waiting when --wait ran out, or cancelled).'
    );
  recall
    .command('plan')
    .description(
      'Write a sealed plan of the records a selector takes (criteria are ANDed; a repeated flag ORs its values). Nothing changes.'
    )
    .option(
      '--from <dir|zip>',
      'the export to plan on: a folder (object CSVs or sObject tree JSON), a Data Export zip, or the folder holding every zip of a Data Export set (one export; each zip sealed)'
    )
    .option(
      '--target-org <alias>',
      "the org to plan on (an alias or username from the sf CLI's logins)"
    )
    .option('--action <action>', 'quarantine, delete or restore')
    .option(
      '--model <model>',
      'AI_Model__c, case-insensitive; a trailing * matches a prefix (repeatable)',
      collect,
      []
    )
    .option('--source <source>', 'Provenance_Source__c, like --model (repeatable)', collect, [])
    .option('--batch <id>', 'Provenance_Batch__c: the import to take back')
    .option('--since <iso>', 'Generated_At__c at or after (ISO 8601)')
    .option('--until <iso>', 'Generated_At__c before (ISO 8601)')
    .option('--status <status>', 'Synthetic_Status__c (repeatable)', collect, [])
    .option(
      '--object <SObject>',
      'Lead, Contact, Account, Case or Opportunity (repeatable)',
      collect,
      []
    )
    .option('--reason <code>', 'a reason code in Synthetic_Reasons__c (repeatable)', collect, [])
    .option('--retention', 'plan what the retention job would take now, by the policy')
    .option(
      '--policy <file>',
      "policy JSON for --retention (default: the org's policy, else the export's policy.json, else the package policy)"
    )
    .option('--now <iso>', 'reference time (default: now)')
    .option('--out <plan.json>', 'where to write the plan (default: <recallId>.plan.json)')
    .option('--json', 'print {recallId, action, selector, counts, total, digest, out}')
    .action(async (options: RecallPlanOptions) => {
      const { runRecallPlan } = load<typeof import('../recall/recall-command')>(
        '../recall/recall-command'
      );
      result.code = await runRecallPlan(options, io);
    });
  recall
    .command('apply')
    .description(
      'Back up every affected record in full, then apply the plan; an interrupted apply resumes where it stopped and never applies twice.'
    )
    .argument('<plan.json>', 'a plan written by sdg recall plan')
    .option('--confirm <N>', "the plan's record count: nothing is applied unless it matches")
    .option(
      '--to <dir>',
      'export plans: write the changed export here, a new or empty folder (the same folder rewrites it in place); org plans: where recalls/<recallId>/ goes (default .)'
    )
    .option(
      '--force',
      'export plans: replace the content of a --to folder that already holds files'
    )
    .option('--target-org <alias>', "org plans: the org (default: the plan's)")
    .option(
      '--wait <minutes>',
      'org plans: how long to wait for approval and the batch (default 60)'
    )
    .option('--poll <seconds>', 'org plans: seconds between looks at the recall (default 10)')
    .option(
      '--json',
      'print {recallId, applied, failed, skipped, backup, changes, resumed} (org plans add org, notTaken, unplanned)'
    )
    .action(async (plan: string, options: RecallApplyOptions) => {
      const { runRecallApply } = load<typeof import('../recall/recall-command')>(
        '../recall/recall-command'
      );
      result.code = await runRecallApply(plan, options, io);
    });
  recall
    .command('undo')
    .description(
      'Put back everything a recall changed, from its backup; the undo is itself a recall that can be undone.'
    )
    .argument(
      '<recall folder>',
      '<dir>/recalls/<recallId>, as apply wrote it (with --target-org, also a Synthetic_Recall__c Id)'
    )
    .option(
      '--to <dir>',
      'write the restored export here (with --target-org: the undo results folder, default <recall folder>-undo)'
    )
    .option('--target-org <alias>', 'undo an org recall there (a second person approves the undo)')
    .option('--wait <minutes>', 'with --target-org: how long to wait (default 60)')
    .option('--poll <seconds>', 'with --target-org: seconds between looks (default 10)')
    .option('--now <iso>', 'reference time (default: now)')
    .option('--json', 'print {recallId, undoes, restored, to}')
    .action(async (folder: string, options: RecallUndoOptions) => {
      const { runRecallUndo } = load<typeof import('../recall/recall-command')>(
        '../recall/recall-command'
      );
      result.code = await runRecallUndo(folder, options, io);
    });
}

/** `sdg alerts test`: incident-response channels, tried for real. */
function addAlerts(program: Command, io: CommandIo, result: { code: number }): void {
  const alerts = program
    .command('alerts')
    .description('Alert channels (PagerDuty, Slack, Teams, ServiceNow, signed webhooks).');
  alerts
    .command('test')
    .description(
      "Send a sample alert to one channel for real, with the package's delivery policy: up to 5 attempts, exponential backoff, Retry-After honoured, 5 s per attempt, one webhook-id for every retry. Exit 0 delivered, 1 gave up (each attempt printed), 2 bad input."
    )
    .option('--channel <channel>', CHANNELS.join(', '))
    .option(
      '--url <url>',
      "the channel's endpoint (PagerDuty: https://events.pagerduty.com/v2/enqueue)"
    )
    .option(
      '--secret-file <file>',
      'webhook: the endpoint secret (whsec_ + base64); servicenow: user:password or a bearer token'
    )
    .option('--routing-key-file <file>', "pagerduty: the integration's routing key")
    .option('--json', 'print {delivered, attempts, status, tries, webhookId}')
    .action(async (options: AlertsTestOptions) => {
      const { runAlertsTest } = load<typeof import('../alerts/alerts-command')>(
        '../alerts/alerts-command'
      );
      result.code = await runAlertsTest(options, io);
    });
  alerts
    .command('replay')
    .description(
      "Which alerts an export would have raised: the package's shipped rules (or --rules) over its audit events, hourly volume per source, backlog, oldest quarantined age, disclosure rate and chain, deduplicated by each rule's window as the org does. Exit 0, 2 bad input (a malformed rule file names the file, rule and field)."
    )
    .option('--from <dir>', 'the export folder (object CSVs and Synthetic_Audit_Event__c.csv)')
    .option(
      '--rules <file>',
      'a JSON array of rule records with the fields of Synthetic_Alert_Rule__mdt (default: the shipped rules)'
    )
    .option('--now <iso>', 'reference time for the backlog age and disclosure (default: now)')
    .option(
      '--json',
      'print {alerts: [{rule, severity, dedupKey, count, records, reasonCodes, objectType, firstSeen, lastSeen}]}'
    )
    .action(async (options: ReplayOptions) => {
      const { runAlertsReplay } =
        load<typeof import('../alerts/alert-replay')>('../alerts/alert-replay');
      result.code = await runAlertsReplay(options, io);
    });
}

/** `sdg monitor`: several orgs and exports side by side. */
function addMonitor(program: Command, io: CommandIo, result: { code: number }): void {
  // One list for both flags keeps the order the user gave them in.
  const targets: MonitorTarget[] = [];
  program
    .command('monitor')
    .description(
      'Every org (--target-org) and export (--from) given, side by side: records by status, synthetic share, disclosure-compliance rate, quarantine backlog and oldest age, open alerts, audit chain head and whether it verifies. Exit 0, 1 when a threshold at or above --fail-on is crossed, 2 bad input.'
    )
    .option('--target-org <alias>', 'an org (repeatable)', (alias: string) => {
      targets.push({ kind: 'org', alias });
      return alias;
    })
    .option(
      '--from <dir>',
      "an export folder, Data Export zip, or folder of a Data Export set's zips (repeatable: one export each)",
      (dir: string) => {
        targets.push({ kind: 'export', dir });
        return dir;
      }
    )
    .option(
      '--fail-on <severity>',
      'critical, high, medium, low or info, the audit scale (error = high, warning = medium; default critical)'
    )
    .option('--sla-days <n>', 'oldest quarantined record allowed, in days (default 7)')
    .option('--disclosure-floor <rate>', 'lowest disclosure-compliance rate, 0 to 1 (default 0.95)')
    .option('--backlog-max <n>', 'largest quarantine backlog (default 100)')
    .option('--html <file>', 'also write the table as HTML')
    .option('--now <iso>', 'reference time for ages (default: now)')
    .option(
      '--json',
      'print {orgs: [{org, records, byStatus, synthetic, disclosureRate, quarantineBacklog, oldestQuarantineDays, openAlerts, chain}], crossed}'
    )
    .action(async (options: Omit<MonitorOptions, 'targets'>) => {
      const { runMonitor } = load<typeof import('../monitor/monitor-command')>(
        '../monitor/monitor-command'
      );
      result.code = await runMonitor({ ...options, targets }, io);
    });
}

/** Runs `sdg` with the given arguments (without `node` and the script) and returns the exit code. */
export async function runCli(argv: string[], io: CommandIo = processIo): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
        ? 0
        : EXIT_USAGE;
    }
    // Commands that do not catch their own user errors still exit 2 for them.
    if (isUserError(error)) {
      io.err(`✖ ${pathErrorMessage(error) ?? error.message}`);
      return EXIT_USAGE;
    }
    return reportInternalError(error, io);
  }
}
