import { EXPORT_FILES } from '../seed/export-layout';
import path from 'node:path';
import { ChainReport, ChainVerifier } from './chain-verifier';
import { ExportFormatError, readAuditExportBatches } from './export-reader';
import fs from 'node:fs';
import { loadVerificationKeys, VerificationKeys } from './signatures';
import type { CommandIo } from '../cli/io';
import { UsageError } from '../cli/errors';
import { CheckpointAnchors, CheckpointReport, TimestampSummary } from './checkpoint-anchors';
import { loadTsaTrust } from './timestamp-token';

/** Options of `sdg verify-chain`. */
export interface VerifyChainOptions {
  cert?: string;
  hmacKeyFile?: string;
  expectHead?: string;
  json?: boolean;
  /** PEM of the certificate(s) a checkpoint's timestamp authority must chain to. */
  tsaTrust?: string;
}

/**
 * The `--json` report: the chain verdict plus, per checkpoint, what anchors it (org signature,
 * RFC 3161 timestamp, both or neither) and the token counts.
 */
export interface VerifyChainReport extends ChainReport {
  checkpointAnchors: CheckpointReport[];
  timestamps: TimestampSummary;
}

/** Exit codes: the chain is intact, broken (or its times run backwards), or the input could not be read. */
export const EXIT_INTACT = 0;
export const EXIT_BROKEN = 1;
export const EXIT_UNREADABLE = 2;

/**
 * Loads `--cert` / `--hmac-key-file`, refusing an empty file: an empty HMAC key would check
 * every signature against the wrong key and report a valid chain as tampered.
 */
export function loadKeys(options: { cert?: string; hmacKeyFile?: string }): VerificationKeys {
  for (const [flag, file] of [
    ['--cert', options.cert],
    ['--hmac-key-file', options.hmacKeyFile]
  ] as const) {
    if (file === undefined) continue;
    if (
      file === '' ||
      (fs.existsSync(file) &&
        fs.statSync(file).isFile() &&
        fs.readFileSync(file, 'utf8').trim() === '')
    )
      throw new UsageError(
        `${flag} ${file || '""'} is empty; give the file holding the ${flag === '--cert' ? 'public certificate (PEM)' : "org's checkpoint HMAC key (base64, as Synthetic Audit Settings stores it)"}.`
      );
  }
  return loadVerificationKeys(options);
}

/** Verifies an export of the chain; streams it, so memory does not grow with its size. */
export async function verifyChainFile(
  file: string,
  options: VerifyChainOptions
): Promise<VerifyChainReport> {
  if (options.expectHead !== undefined && !/^[0-9a-f]{64}$/.test(options.expectHead)) {
    throw new ExportFormatError(
      `--expect-head must be a 64-character lowercase hex SHA-256, got "${options.expectHead}".`
    );
  }
  const keys = loadKeys(options);
  const verifier = new ChainVerifier(keys, options.expectHead);
  const anchors = new CheckpointAnchors(
    keys,
    options.tsaTrust === undefined ? undefined : loadTsaTrust(options.tsaTrust)
  );
  for await (const events of readAuditExportBatches(file))
    for (const event of events) {
      verifier.push(event);
      // Only checkpoints need the (async) token check; awaiting every event would cost a microtask each.
      if (event.eventType === 'Checkpoint') await anchors.push(event);
    }
  return { ...verifier.finish(), ...anchors.result() };
}

function describeAnchors(report: VerifyChainReport): string[] {
  const { timestamps } = report;
  const lines: string[] = [];
  if (report.checkpointAnchors.length > 0) {
    const counts = new Map<string, number>();
    for (const row of report.checkpointAnchors)
      counts.set(row.anchor, (counts.get(row.anchor) ?? 0) + 1);
    lines.push(
      `  Checkpoint anchors: ${[...counts].map(([anchor, count]) => `${count} ${anchor}`).join(', ')}.`
    );
  }
  for (const row of report.checkpointAnchors) {
    if (row.timestamp === 'valid')
      lines.push(`  Checkpoint ${row.sequence}: ${row.anchor}, TSA time ${row.genTime}.`);
    if (row.timestamp === 'invalid')
      lines.push(`✖ Checkpoint ${row.sequence}: timestamp token invalid: ${row.detail}.`);
  }
  if (timestamps.unchecked > 0)
    lines.push(
      `  ${timestamps.unchecked} timestamp token(s) not checked: pass --tsa-trust with the PEM of the timestamp authority's root certificate.`
    );
  return lines;
}

function describe(report: VerifyChainReport): string[] {
  const lines: string[] = [];
  const { checkpoints } = report;
  if (report.intact) {
    lines.push(
      `✔ Audit chain intact: ${report.events} events, head ${report.head ?? '(empty chain)'}.`
    );
  } else if (report.firstBreak) {
    lines.push(
      `✖ Audit chain broken at event ${report.firstBreak.sequence} (${report.firstBreak.kind}): ${report.firstBreak.detail}.`
    );
    lines.push(`  ${report.events} events read.`);
  }
  // After a break the verifier stops: the count is of the checkpoints before it, and says so.
  const where = report.intact ? 'Checkpoints' : 'Checkpoints before the break';
  const unchecked = checkpoints.unchecked
    ? `, ${checkpoints.unchecked} not checked: pass --cert or --hmac-key-file`
    : '';
  lines.push(
    `  ${where}: ${checkpoints.total} (${checkpoints.valid} signature-verified, ${checkpoints.unsigned} unsigned${unchecked}).`
  );
  const { timeOrder } = report;
  if (timeOrder.reversals > 0) {
    const first = timeOrder.examples[0]!;
    lines.push(
      `✖ Event times run backwards ${timeOrder.reversals} time(s) beyond the ${timeOrder.toleranceSeconds} s tolerance: event ${first.sequence} occurred at ${first.occurredAt}, ${first.backwardsSeconds} s before event ${first.sequence - 1} (${first.previousOccurredAt}). Check the org's import or the export's time column; --json lists up to 20 of them.`
    );
  }
  if (report.purgedThrough !== null)
    lines.push(`  Events 1..${report.purgedThrough} were removed by an attested retention purge.`);
  lines.push(...describeAnchors(report));
  if (checkpoints.total === 0 || checkpoints.unsigned === checkpoints.total) {
    lines.push(
      '  No signed checkpoint: the chain proves internal consistency only. Anchor the head (--expect-head) or configure signing.'
    );
  }
  return lines;
}

/**
 * The audit events of an export folder (`sdg seed --out`, or a folder of CSVs saved from the
 * export queries): its Synthetic_Audit_Event__c.csv, or .json. A file is taken as given.
 */
export function eventsFileOf(target: string): string {
  if (!fs.existsSync(target) || !fs.statSync(target).isDirectory()) return target;
  const found = [EXPORT_FILES.auditEvents, 'Synthetic_Audit_Event__c.json']
    .map((name) => path.join(target, name))
    .find((candidate) => fs.existsSync(candidate));
  if (!found)
    throw new ExportFormatError(
      `${target} is a folder without ${EXPORT_FILES.auditEvents} (or .json): give the export of Synthetic_Audit_Event__c, or the folder holding it.`
    );
  return found;
}

/** `sdg verify-chain <export> [--cert <pem> | --hmac-key-file <file>] [--tsa-trust <pem>] [--expect-head <hash>] [--json]`. */
export async function runVerifyChain(
  file: string,
  options: VerifyChainOptions,
  io: CommandIo
): Promise<number> {
  try {
    const report = await verifyChainFile(eventsFileOf(file), options);
    if (report.events === 0)
      throw new ExportFormatError(
        `${file}: no audit events, so nothing was verified. Export Synthetic_Audit_Event__c with its records (sdg audit --queries prints the query).`
      );
    if (options.json) io.out(JSON.stringify(report, null, 2));
    else describe(report).forEach((line) => io.out(line));
    // Times running backwards, and a token that does not attest its checkpoint, are findings like
    // a break: the exit code says the chain needs a look.
    return report.intact && report.timeOrder.reversals === 0 && report.timestamps.invalid === 0
      ? EXIT_INTACT
      : EXIT_BROKEN;
  } catch (error) {
    if (error instanceof ExportFormatError || error instanceof UsageError) {
      if (options.json) io.out(JSON.stringify({ error: error.message }));
      io.err(`✖ ${error.message}`);
      return EXIT_UNREADABLE;
    }
    throw error;
  }
}
