import fs from 'node:fs';

/** The parts of `sf apex run test --code-coverage --json` output the gate reads. */
interface ApexTestRunJson {
  status?: number;
  result?: {
    summary?: { outcome?: string; testsRan?: number; failing?: number; orgWideCoverage?: string };
    coverage?: { coverage?: { name: string; coveredPercent?: number; totalLines?: number }[] };
  };
}

/** What the gate decided, and every line it will print. */
export interface CoverageVerdict {
  passed: boolean;
  lines: string[];
}

/**
 * Fails the on-org CI job unless every Apex test passed and every class of ours with executable
 * lines is covered at least `minimumPercent`. Org-wide coverage alone hides a class at 40%.
 */
export function evaluateApexCoverage(
  report: ApexTestRunJson,
  minimumPercent: number
): CoverageVerdict {
  const lines: string[] = [];
  const summary = report.result?.summary;
  if (!summary) {
    return {
      passed: false,
      lines: [
        'The test-run JSON has no result.summary: was it written by `sf apex run test --json`?'
      ]
    };
  }
  let passed = true;
  if ((summary.failing ?? 0) > 0 || summary.outcome !== 'Passed') {
    passed = false;
    lines.push(
      `Apex tests: ${summary.outcome ?? 'unknown outcome'}, ${summary.failing ?? '?'} failing of ${summary.testsRan ?? '?'}.`
    );
  }
  const classes = (report.result?.coverage?.coverage ?? []).filter((c) => (c.totalLines ?? 1) > 0);
  if (classes.length === 0) {
    passed = false;
    lines.push('No code coverage in the report: run the tests with --code-coverage.');
  }
  for (const cls of classes) {
    const percent = cls.coveredPercent ?? 0;
    if (percent < minimumPercent) {
      passed = false;
      lines.push(`${cls.name}: ${percent}% covered, below ${minimumPercent}%.`);
    }
  }
  lines.push(
    `${passed ? '✔' : '✖'} ${summary.testsRan ?? 0} Apex tests, org-wide coverage ${summary.orgWideCoverage ?? 'unknown'}, ` +
      `${classes.length} classes checked against ${minimumPercent}%.`
  );
  return { passed, lines };
}

/* istanbul ignore next -- process entry point, exercised by the on-org CI job */
if (require.main === module) {
  const [file, minimum = '90'] = process.argv.slice(2);
  if (!file) {
    console.error('Usage: apex-coverage-gate.ts <sf-apex-test-result.json> [minimum-percent]');
    process.exit(2);
  }
  const verdict = evaluateApexCoverage(
    JSON.parse(fs.readFileSync(file, 'utf8')) as ApexTestRunJson,
    Number(minimum)
  );
  verdict.lines.forEach((line) => console.log(line));
  process.exit(verdict.passed ? 0 : 1);
}
