import path from 'node:path';

/** One problem a quality check found, located precisely enough to jump to. */
export interface Finding {
  /** Path relative to the working directory when it lies under it, else absolute. */
  file: string;
  line: number;
  column?: number;
  /** Which check and rule reported it, e.g. `apex-ls/Missing` or `pmd/ApexCRUDViolation`. */
  rule: string;
  message: string;
}

/** Paths in findings are printed relative to where the developer runs the command. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** `file:line:column rule message` — the shape editors and CI annotations link from. */
export function formatFinding(finding: Finding): string {
  const where = `${finding.file}:${finding.line}${finding.column ? `:${finding.column}` : ''}`;
  return `${where}  ${finding.rule}  ${finding.message}`;
}

/** Stable order: by file, then line, then column. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0)
  );
}

/** A problem with the check itself (missing Java, unreadable project), not with the code it checks. */
export class QualityToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QualityToolError';
  }
}
