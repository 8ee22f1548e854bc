/**
 * `sdg scan --target-org <alias> [--since <iso>] [--limit N] [--json]`: the files the in-org
 * scan could not decide (pending, too-large over its 3 MiB limit, not-scanned on a budget or
 * error) are downloaded once each, streamed, scanned with the TypeScript engine, and their
 * verdicts written back through the package's scan API (`POST
 * /services/apexrest/synthetic/v1/media-scans`), which records them with the in-org scan's own
 * code: the org applies its policy to the file and its linked records and audits it, with
 * evidence naming sdg-cli, its version and the SHA-256 of the bytes. A re-run resumes: decided
 * files leave the query, and a verdict scanned but not yet acknowledged is kept in the state file
 * and sent again without a second download (the API answers a re-send without writing twice).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CommandIo } from '../cli/io';
import { exitOnUserError, UsageError } from '../cli/errors';
import { progressBar } from '../cli/progress';
import { PROJECT_ROOT } from '../project-root';
import { connectOrg, explainApiError, OrgConnectError } from '../org/org-connection';
import { OrgApiError, SalesforceApi } from '../org/salesforce-api';
import { MediaScanResult, scanFile } from './media-provenance-scanner';
import { verifyManifest } from './media-verify';
import { referenceAnswer, SCAN_EXIT } from './scan-command';
import { downloadVersion } from './scan-org-download';

export interface ScanOrgOptions {
  targetOrg?: string;
  since?: string;
  limit?: string;
  stateFile?: string;
  json?: boolean;
  verify?: boolean;
}

/** The package's write-back API (MediaScanResultResource). */
export const SCAN_API = '/services/apexrest/synthetic/v1/media-scans';
/** Verdicts of files whose scan is still open in the org. */
export const OPEN_VERDICTS = ['pending', 'too-large', 'not-scanned'] as const;
/** A pending file younger than this may still be in its upload's scan job (MediaScanJob.SWEEP_AFTER_MINUTES). */
export const PENDING_GRACE_MINUTES = 15;
/** Who the evidence says scanned the file. */
export const SCANNED_BY = 'sdg-cli';

const FLAGGED = new Set(['ai-generated', 'provenance-stripped', 'malformed', 'unreadable']);

/** One file the query found. */
export interface OrgFile {
  id: string;
  title: string;
  size: number;
  verdictBefore: string;
}

/** What the write-back sends for one version. */
export interface ScanSubmission extends MediaScanResult {
  contentVersionId: string;
  sha256: string;
  md5: string;
  scannedBy: string;
  scannerVersion: string;
}

/** The outcome of one file, as --json prints it. */
export interface OrgFileResult extends Partial<MediaScanResult> {
  id: string;
  title: string;
  verdictBefore: string;
  sha256?: string;
  /** true: this run recorded it; false: the org already had it (a re-send). */
  applied?: boolean;
  /** Synthetic_Status__c after the org's policy weighed the verdict. */
  syntheticStatus?: string | null;
  error?: { code: string; message: string };
}

/** The state file: verdicts scanned but not yet acknowledged, and files done. */
interface ScanState {
  org: string;
  pending: Record<string, ScanSubmission>;
  done: Record<string, { verdict: string; sha256: string }>;
}

/** The SOQL of the files to scan. */
export function candidateSoql(now: Date, since?: Date, limit?: number): string {
  const graceEnd = new Date(now.getTime() - PENDING_GRACE_MINUTES * 60_000).toISOString();
  const open = OPEN_VERDICTS.map((v) => `'${v}'`).join(', ');
  const where = [
    `Media_Scan_Verdict__c IN (${open})`,
    `(Media_Scan_Verdict__c != 'pending' OR CreatedDate < ${soqlDateTime(graceEnd)})`,
    ...(since ? [`CreatedDate >= ${soqlDateTime(since.toISOString())}`] : [])
  ];
  return `SELECT Id, Title, ContentSize, Media_Scan_Verdict__c, CreatedDate FROM ContentVersion WHERE ${where.join(' AND ')} ORDER BY CreatedDate${limit ? ` LIMIT ${limit}` : ''}`;
}

// SOQL DateTime literals are unquoted ISO 8601 in UTC, without milliseconds.
const soqlDateTime = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');

function parseOptions(paths: string[], options: ScanOrgOptions): { since?: Date; limit?: number } {
  if (paths.length)
    throw new UsageError(
      `Scan files or an org, not both: drop ${paths.join(' ')} or --target-org ${options.targetOrg}.`
    );
  let since: Date | undefined;
  if (options.since !== undefined) {
    since = new Date(options.since);
    if (!/^\d{4}-\d{2}-\d{2}/.test(options.since) || Number.isNaN(since.getTime()))
      throw new UsageError(
        `--since must be an ISO 8601 date or time such as 2026-06-01 or 2026-06-01T12:00:00Z, got "${options.since}".`
      );
  }
  let limit: number | undefined;
  if (options.limit !== undefined) {
    limit = Number(options.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError(
        `--limit must be a whole number of files, 1 or more, got "${options.limit}".`
      );
  }
  return { since, limit };
}

function packageVersion(): string {
  const file = path.join(PROJECT_ROOT, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

const stateFileOf = (org: string, given?: string) =>
  path.resolve(given ?? path.join('.sdg', `scan-${org.replace(/[^\w.@-]/g, '_')}.json`));

function readState(file: string, org: string): ScanState {
  if (!fs.existsSync(file)) return { org, pending: {}, done: {} };
  try {
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as ScanState;
    if (state.org !== org)
      throw new UsageError(
        `${file} is the scan state of ${state.org}, not ${org}: give another --state-file.`
      );
    return { org, pending: state.pending ?? {}, done: state.done ?? {} };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `${file} is not a scan state file (${(error as Error).message}): delete it or give another --state-file.`
    );
  }
}

// Written whole to a temporary file, then renamed: an interrupted run never leaves half a state.
function writeState(file: string, state: ScanState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

async function findFiles(api: SalesforceApi, soql: string): Promise<OrgFile[]> {
  // Only the Ids and titles are kept (the bytes never are): a query cursor left idle while
  // files download would expire.
  const files: OrgFile[] = [];
  for await (const row of api.query(soql))
    files.push({
      id: row.fields.Id ?? '',
      title: row.fields.Title ?? '',
      size: Number(row.fields.ContentSize ?? 0),
      verdictBefore: row.fields.Media_Scan_Verdict__c ?? ''
    });
  return files;
}

async function scanVersion(
  api: SalesforceApi,
  file: OrgFile,
  verify: boolean,
  scannerVersion: string
): Promise<ScanSubmission> {
  // A stream that broke off is fetched once more: the bytes of a version never change.
  const download = await downloadVersion(api, file.id, file.size).catch((error: unknown) => {
    if (error instanceof OrgApiError && error.errorCode === 'DOWNLOAD_INTERRUPTED')
      return downloadVersion(api, file.id, file.size);
    throw error;
  });
  try {
    let result = scanFile(download.file);
    if (verify && (result.manifest === 'embedded' || result.manifest === 'unreadable'))
      result = {
        ...result,
        ...referenceAnswer(result, await verifyManifest(download.file, result.format))
      };
    return {
      contentVersionId: file.id,
      sha256: download.sha256,
      md5: download.md5,
      scannedBy: SCANNED_BY,
      scannerVersion,
      ...result
    };
  } finally {
    download.remove();
  }
}

/** The scan result and digest of a submission, as the per-file report shows them. */
function scanOf(submission: ScanSubmission): Partial<OrgFileResult> {
  const { format, manifest, digitalSourceType, generator, verdict, reasons, bytesRead, size } =
    submission;
  return {
    format,
    manifest,
    digitalSourceType,
    generator,
    verdict,
    reasons,
    bytesRead,
    size,
    notes: submission.notes,
    sha256: submission.sha256
  };
}

interface WriteBackAnswer {
  applied?: boolean;
  verdict?: string;
  syntheticStatus?: string | null;
}

/** Errors after which no later call can succeed: the run stops and says what to do. */
function stopsTheRun(error: OrgApiError): boolean {
  return (
    error.status === 401 ||
    error.errorCode === 'REQUEST_LIMIT_EXCEEDED' ||
    error.errorCode === 'MISSING_PERMISSION' ||
    error.errorCode === 'UNREACHABLE' ||
    (error.status === 404 && error.errorCode === 'NOT_FOUND')
  );
}

/** What to tell the user when the run stops. */
export function explainScanError(error: OrgApiError, org: string): string {
  if (error.errorCode === 'MISSING_PERMISSION')
    return `${error.message} Assign the Synthetic_Data_Integration (or Synthetic_Data_Admin) permission set to the user sdg logs in as in ${org}: it grants Submit_External_Scan.`;
  if (error.status === 404 && error.errorCode === 'NOT_FOUND')
    return `${org} has no ${SCAN_API} (${error.message}): deploy this version of Synthetic Data Guard first (sdg deploy --target-org ${org}).`;
  return explainApiError(error, org);
}

/** Scans the open files of an org and writes their verdicts back. */
async function scanOrg(
  api: SalesforceApi,
  options: ScanOrgOptions,
  parsed: { since?: Date; limit?: number },
  io: CommandIo
): Promise<number> {
  const org = options.targetOrg ?? '';
  const stateFile = stateFileOf(org, options.stateFile);
  const state = readState(stateFile, org);
  const scannerVersion = packageVersion();
  const files = await findFiles(api, candidateSoql(new Date(), parsed.since, parsed.limit));
  const progress = progressBar(options.json);
  progress.start('Scanning org files', files.length);
  const results: OrgFileResult[] = [];
  let stopped: string | null = null;
  for (const file of files) {
    const result: OrgFileResult = {
      id: file.id,
      title: file.title,
      verdictBefore: file.verdictBefore
    };
    try {
      const submission =
        state.pending[file.id] ??
        (await scanVersion(api, file, options.verify ?? false, scannerVersion));
      state.pending[file.id] = submission;
      writeState(stateFile, state);
      Object.assign(result, scanOf(submission));
      const answer: WriteBackAnswer = await api.json('POST', SCAN_API, submission, {
        // The API answers a re-send of the same verdict for the same bytes without writing twice.
        idempotent: true
      });
      result.applied = answer.applied === true;
      result.syntheticStatus = answer.syntheticStatus ?? null;
      delete state.pending[file.id];
      state.done[file.id] = { verdict: submission.verdict, sha256: submission.sha256 };
      writeState(stateFile, state);
    } catch (error) {
      if (!(error instanceof OrgApiError)) throw error;
      result.error = { code: error.errorCode, message: error.message };
      if (stopsTheRun(error)) stopped = explainScanError(error, org);
      else if (error.status >= 400 && error.status < 500) {
        // Refused for this file (gone, decided otherwise, other bytes): a re-run scans it afresh.
        delete state.pending[file.id];
        writeState(stateFile, state);
      }
    }
    results.push(result);
    progress.tick();
    if (!options.json) io.out(describe(result));
    if (stopped) break;
  }
  progress.stop();
  return report(org, results, stopped, stateFile, options, io);
}

function describe(result: OrgFileResult): string {
  if (result.error)
    return `✖ ${result.id} ${result.title}: ${result.error.code}: ${result.error.message}`;
  const outcome = result.applied ? 'written back' : 'already recorded';
  const status = result.syntheticStatus ? `, file ${result.syntheticStatus}` : '';
  const mark = FLAGGED.has(result.verdict ?? '') ? '⚠' : '✔';
  return `${mark} ${result.id} ${result.title}: ${result.verdict} (was ${result.verdictBefore}; ${outcome}${status}) · ${result.format} · manifest ${result.manifest} · ${(result.bytesRead ?? 0).toLocaleString('en-US')} of ${(result.size ?? 0).toLocaleString('en-US')} bytes read`;
}

function report(
  org: string,
  results: OrgFileResult[],
  stopped: string | null,
  stateFile: string,
  options: ScanOrgOptions,
  io: CommandIo
): number {
  const failed = results.filter((r) => r.error).length;
  const flagged = results.filter((r) => !r.error && FLAGGED.has(r.verdict ?? '')).length;
  const applied = results.filter((r) => r.applied === true).length;
  const summary = {
    org,
    scanned: results.length - failed,
    applied,
    alreadyRecorded: results.length - failed - applied,
    failed,
    flagged,
    stopped,
    stateFile,
    files: results
  };
  if (options.json) io.out(JSON.stringify(summary, null, 2));
  else
    io.out(
      `\n${summary.scanned} file(s) of ${org} scanned and written back (${applied} new, ${summary.alreadyRecorded} already recorded), ${flagged} flagged, ${failed} failed.`
    );
  if (stopped) {
    io.err(`✖ Stopped: ${stopped} Run the same command again to resume.`);
    return SCAN_EXIT.INPUT_ERROR;
  }
  if (failed > 0) return SCAN_EXIT.INPUT_ERROR;
  return flagged > 0 ? SCAN_EXIT.FLAGGED : SCAN_EXIT.CLEAN;
}

/** `sdg scan --target-org …`: exit 0 nothing flagged, 1 flagged, 2 bad input or a file not written back. */
export async function runScanOrg(
  paths: string[],
  options: ScanOrgOptions,
  io: CommandIo,
  connect: (org: string) => Promise<SalesforceApi> = connectOrg
): Promise<number> {
  return exitOnUserError(io, async () => {
    const parsed = parseOptions(paths, options);
    const org = options.targetOrg ?? '';
    const api = await connect(org);
    try {
      return await scanOrg(api, options, parsed, io);
    } catch (error) {
      if (error instanceof OrgApiError) throw new OrgConnectError(explainScanError(error, org));
      throw error;
    }
  });
}
