import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { displayPath, Finding, QualityToolError } from './finding';
import { analyzerJarDirectory, findJava } from './java';

interface ApexLsMessage {
  start: { line: number; offset: number };
  category: string;
  message: string;
}

interface ApexLsReport {
  files: { path: string; messages: ApexLsMessage[] }[];
}

/** apex-ls exits 4 when it reports issues and 0 when it finds none; anything else is a crash. */
const EXIT_CLEAN = 0;
const EXIT_ISSUES = 4;

/** ANTLR lists every token it expected after a syntax error; the first part is the useful part. */
const MAX_MESSAGE_LENGTH = 200;

function truncate(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
}

/** Parses apex-ls `-f json` output into findings. Exported for tests of odd output. */
export function parseApexLsReport(stdout: string, cwd = process.cwd()): Finding[] {
  const trimmed = stdout.trim();
  if (trimmed === '') return [];
  let report: ApexLsReport;
  try {
    report = JSON.parse(trimmed) as ApexLsReport;
  } catch {
    throw new QualityToolError(
      `apex-ls printed output that is not JSON:\n${trimmed.slice(0, 500)}`
    );
  }
  return (report.files ?? []).flatMap((file) =>
    file.messages.map((message) => ({
      file: displayPath(file.path, cwd),
      line: message.start.line,
      column: message.start.offset + 1,
      rule: `apex-ls/${message.category}`,
      message: truncate(message.message)
    }))
  );
}

/**
 * Semantic check of every Apex class and trigger in an SFDX project: unknown types, fields and
 * methods, type errors and syntax errors, resolved against the project's own metadata and the
 * platform's standard objects. apex-ls does not check SOQL field lists; Apex tests must.
 */
export function checkApexSemantics(projectRoot: string): Finding[] {
  const java = findJava();
  const classpath = path.join(analyzerJarDirectory(), '*');
  const result = spawnSync(
    java,
    [
      '-cp',
      classpath,
      'io.github.apexdevtools.apexls.CheckForIssues',
      '--nocache',
      '--workspace',
      path.resolve(projectRoot),
      '--format',
      'json'
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }
  );
  if (result.status !== EXIT_CLEAN && result.status !== EXIT_ISSUES) {
    throw new QualityToolError(
      `apex-ls failed (exit ${result.status ?? result.signal}):\n${(result.stderr || result.stdout).slice(0, 2000)}`
    );
  }
  const findings = parseApexLsReport(result.stdout);
  if (result.status === EXIT_ISSUES && findings.length === 0) {
    throw new QualityToolError(
      `apex-ls reported issues but printed none it could parse:\n${result.stdout.slice(0, 2000)}`
    );
  }
  return findings;
}
