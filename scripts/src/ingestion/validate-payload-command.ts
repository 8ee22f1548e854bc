import fs from 'node:fs';
import type { CommandIo } from '../cli/io';
import { PROJECT_ROOT } from '../project-root';
import { loadPackagePolicy, type PolicySet } from '../policy/package-policy';
import { canonicalReasons, type ReasonCode } from '../policy/reason-codes';
import type { HeaderLines } from './disclosure-headers';
import { evaluateRequest, type IngestionResponse } from './ingestion-service';

export interface ValidatePayloadOptions {
  object: string;
  headers?: string;
  policy?: string;
  now?: string;
  json?: boolean;
}

/** Exit codes of `sdg validate-payload`. */
export const VALIDATE_EXIT = { ACCEPTED: 0, HELD: 1, MALFORMED: 2 } as const;

const SEVERITY = ['ACCEPT', 'FLAG', 'QUARANTINE', 'REJECT'] as const;

/** A headers file that is not `Name: value` lines; the message names the line. */
class HeadersFileError extends Error {}

/**
 * Reads `Name: value` lines exactly as HTTP sends them. Blank lines end nothing and are skipped;
 * a line starting with space or tab continues the previous value (obsolete line folding, still
 * seen in hand-written files).
 */
export function parseHeadersFile(text: string): HeaderLines {
  const lines: [string, string][] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const last = lines[lines.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last[1] = `${last[1]} ${line.trim()}`;
      return;
    }
    const match = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):(.*)$/.exec(line);
    if (!match)
      throw new HeadersFileError(
        `line ${index + 1} is not "Name: value" (got "${line.slice(0, 60)}")`
      );
    lines.push([match[1]!, match[2]!.trim()]);
  });
  return lines;
}

function summaryOf(response: IngestionResponse) {
  const worst = response.results.reduce<IngestionResponse['results'][number] | null>(
    (acc, r) =>
      acc === null ||
      SEVERITY.indexOf(r.decision ?? 'ACCEPT') > SEVERITY.indexOf(acc.decision ?? 'ACCEPT')
        ? r
        : acc,
    null
  );
  return {
    decision: worst?.decision ?? null,
    status: response.status,
    syntheticStatus: worst?.syntheticStatus ?? null,
    reasons: canonicalReasons(response.results.flatMap((r) => r.reasons as ReasonCode[])),
    objectName: response.objectName,
    results: response.results,
    errors: response.errors
  };
}

function printHuman(response: IngestionResponse, io: CommandIo): void {
  if (response.status === 400) {
    io.err(`✖ The endpoint would refuse this request (HTTP 400):`);
    for (const e of response.errors) {
      const where = [
        e.header && `header ${e.header}`,
        e.index !== undefined && `record ${e.index}`,
        e.field
      ]
        .filter(Boolean)
        .join(', ');
      io.err(`  ${e.code}${where ? ` (${where})` : ''}: ${e.message}`);
    }
    return;
  }
  io.out(`${response.objectName}: HTTP ${response.status}, ${response.results.length} record(s)`);
  for (const r of response.results) {
    const mark = r.status === 422 ? '✖' : r.status === 202 ? '⚠' : '✔';
    const reasons = r.reasons.length ? `  ${r.reasons.join(', ')}` : '';
    io.out(
      `  ${mark} record ${r.index}: ${r.decision} → ${r.syntheticStatus ?? 'no status'} (HTTP ${r.status})${reasons}`
    );
  }
}

/**
 * `sdg validate-payload <payload.json> --object <SObject> [--headers <file>] [--json]`: what the
 * ingestion endpoint would answer, offline, with the package's (or a given) policy. Exit 0 when
 * every record would be accepted or flagged, 1 when one would be quarantined or rejected, 2 when
 * the request is malformed (the endpoint's 400) or a file cannot be read.
 */
export function runValidatePayload(
  payloadFile: string,
  options: ValidatePayloadOptions,
  io: CommandIo
): number {
  let body: string;
  let headers: HeaderLines = [];
  let policy: PolicySet;
  try {
    body = fs.readFileSync(payloadFile, 'utf8');
    if (options.headers) headers = parseHeadersFile(fs.readFileSync(options.headers, 'utf8'));
    policy = options.policy
      ? (JSON.parse(fs.readFileSync(options.policy, 'utf8')) as PolicySet)
      : loadPackagePolicy(PROJECT_ROOT);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const file = code === 'ENOENT' ? ` (${(error as { path?: string }).path})` : '';
    io.err(
      `✖ Cannot read the input${file}: ${(error as Error).message}. Check the payload, --headers and --policy paths.`
    );
    return VALIDATE_EXIT.MALFORMED;
  }
  const now = options.now ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(now))) {
    io.err(`✖ --now "${options.now}" is not an ISO 8601 date-time.`);
    return VALIDATE_EXIT.MALFORMED;
  }
  const response = evaluateRequest({ objectName: options.object, headers, body }, { policy, now });
  if (options.json) io.out(JSON.stringify(summaryOf(response), null, 2));
  else printHuman(response, io);
  if (response.status === 400) return VALIDATE_EXIT.MALFORMED;
  return response.status === 422 || response.status === 202
    ? VALIDATE_EXIT.HELD
    : VALIDATE_EXIT.ACCEPTED;
}
