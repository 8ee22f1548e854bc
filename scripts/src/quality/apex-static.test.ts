import path from 'node:path';
import { LogLevel } from '@salesforce/code-analyzer-core';
import { checkApexStatic, isGated, processingErrorFinding } from './apex-static';
import { BROKEN_PACKAGE, PROJECT_ROOT } from './broken-samples';
import { QualityToolError } from './finding';

const CONFIG = path.join(PROJECT_ROOT, 'code-analyzer.yml');

describe('checkApexStatic (PMD through Code Analyzer)', () => {
  let findings: Awaited<ReturnType<typeof checkApexStatic>>;

  // PMD starts a JVM per run: the timeouts guard against a hang, they are not speed targets.
  beforeAll(async () => {
    findings = await checkApexStatic([BROKEN_PACKAGE], CONFIG, PROJECT_ROOT);
  }, 300_000);

  it('reports SOQL inside a loop as a Performance violation on the query line', () => {
    const loop = findings.find((f) => f.file.endsWith('SoqlInLoop.cls'));
    expect(loop).toMatchObject({ line: 13 });
    expect(loop?.rule).toMatch(/^pmd\/OperationWithLimitsInLoop .*Performance/);
  });

  it('reports a file PMD cannot parse instead of skipping it', () => {
    const parse = findings.find((f) => f.file.endsWith('SyntaxError.cls'));
    expect(parse?.rule).toBe('pmd/ProcessingError');
    expect(parse?.message).toContain('PMD could not analyse this file');
  });

  it('passes the real package clean', async () => {
    const packageDir = path.join(PROJECT_ROOT, 'force-app');
    expect(await checkApexStatic([packageDir], CONFIG, PROJECT_ROOT)).toEqual([]);
  }, 300_000);

  it('fails clearly when the configuration file is missing', async () => {
    await expect(checkApexStatic([BROKEN_PACKAGE], '/nowhere/code-analyzer.yml')).rejects.toThrow(
      QualityToolError
    );
  });
});

describe('isGated', () => {
  it('gates severities 1-3 and any Security or Performance rule', () => {
    expect(isGated(1, ['Apex'])).toBe(true);
    expect(isGated(3, ['BestPractices'])).toBe(true);
    expect(isGated(4, ['Documentation'])).toBe(false);
    expect(isGated(4, ['Performance'])).toBe(true);
    expect(isGated(5, ['Security'])).toBe(true);
  });
});

describe('processingErrorFinding', () => {
  it('ignores log lines that are not processing errors', () => {
    expect(
      processingErrorFinding({ logLevel: LogLevel.Warn, message: 'x' } as never, '/')
    ).toBeUndefined();
    expect(
      processingErrorFinding({ logLevel: LogLevel.Error, message: 'boom' } as never, '/')
    ).toBeUndefined();
  });

  it('takes the line number from the parser message when there is one', () => {
    const finding = processingErrorFinding(
      {
        logLevel: LogLevel.Error,
        message: "PMD issued a processing error for file '/p/A.cls':\n ParseException at line 7"
      } as never,
      '/p'
    );
    expect(finding).toMatchObject({ file: 'A.cls', line: 7, rule: 'pmd/ProcessingError' });
  });
});
