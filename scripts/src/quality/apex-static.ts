import {
  CodeAnalyzer,
  CodeAnalyzerConfig,
  EngineLogEvent,
  EventType,
  LogLevel,
  Violation
} from '@salesforce/code-analyzer-core';
import * as pmdEngine from '@salesforce/code-analyzer-pmd-engine';
import fs from 'node:fs';
import path from 'node:path';
import { displayPath, Finding, QualityToolError } from './finding';

/** Categories that fail the gate at any severity: CRUD/FLS, injection, sharing, limits in loops. */
const ALWAYS_GATED_TAGS = new Set(['Security', 'Performance']);
/** Severities 1 (critical) to 3 (moderate) fail the gate; 4 and 5 are advice. */
const MAX_GATED_SEVERITY = 3;

/** Whether a violation fails the gate under the project's policy. */
export function isGated(severity: number, tags: readonly string[]): boolean {
  return severity <= MAX_GATED_SEVERITY || tags.some((tag) => ALWAYS_GATED_TAGS.has(tag));
}

function toFinding(violation: Violation, cwd: string): Finding {
  const rule = violation.getRule();
  const location = violation.getPrimaryLocation();
  return {
    file: displayPath(location.getFile() ?? '', cwd),
    line: location.getStartLine() ?? 1,
    column: location.getStartColumn(),
    rule: `pmd/${rule.getName()} (severity ${rule.getSeverityLevel()}, ${rule.getTags().join(', ')})`,
    message: violation.getMessage()
  };
}

/**
 * Runs Code Analyzer's PMD engine over the Apex in `targets`, configured by `configFile`
 * (`code-analyzer.yml`), and returns the violations the gate fails on.
 */
export async function checkApexStatic(
  targets: string[],
  configFile: string,
  cwd = process.cwd()
): Promise<Finding[]> {
  if (!fs.existsSync(configFile)) {
    throw new QualityToolError(`Code Analyzer configuration ${configFile} is missing.`);
  }
  const config = CodeAnalyzerConfig.fromFile(configFile);
  const analyzer = new CodeAnalyzer(config);
  // PMD skips a file it cannot parse and only logs it; a file nobody analysed must not pass.
  const processingErrors: Finding[] = [];
  analyzer.onEvent(EventType.EngineLogEvent, (event: EngineLogEvent) => {
    const finding = processingErrorFinding(event, cwd);
    if (finding) processingErrors.push(finding);
  });
  await analyzer.addEnginePlugin(pmdEngine.createEnginePlugin());
  const workspace = await analyzer.createWorkspace(targets.map((target) => path.resolve(target)));
  const selection = await analyzer.selectRules(['pmd:Apex'], { workspace });
  const results = await analyzer.run(selection, { workspace });
  const violations = results
    .getViolations()
    .filter((violation) =>
      isGated(violation.getRule().getSeverityLevel(), violation.getRule().getTags())
    )
    .map((violation) => toFinding(violation, cwd));
  return [...processingErrors, ...violations];
}

/** Turns PMD's "processing error for file '…'" log lines into findings. */
export function processingErrorFinding(event: EngineLogEvent, cwd: string): Finding | undefined {
  if (event.logLevel !== LogLevel.Error) return undefined;
  const match = /processing error for file '([^']+)':\s*([\s\S]*)/.exec(event.message);
  if (!match) return undefined;
  const [, file = '', detail = ''] = match;
  const line = /line (\d+)/i.exec(detail)?.[1];
  return {
    file: displayPath(file, cwd),
    line: line ? Number(line) : 1,
    rule: 'pmd/ProcessingError',
    message: `PMD could not analyse this file: ${detail.split('\n')[0]?.trim() ?? ''}`.slice(0, 300)
  };
}
