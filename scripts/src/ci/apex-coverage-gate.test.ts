import { evaluateApexCoverage } from './apex-coverage-gate';

function run(
  outcome: string,
  failing: number,
  coverage: { name: string; coveredPercent: number; totalLines?: number }[]
) {
  return {
    status: 0,
    result: {
      summary: { outcome, testsRan: 12, failing, orgWideCoverage: '93%' },
      coverage: { coverage }
    }
  };
}

describe('evaluateApexCoverage', () => {
  it('passes when every test passed and every class reaches the minimum', () => {
    const verdict = evaluateApexCoverage(
      run('Passed', 0, [{ name: 'ProvenancePolicy', coveredPercent: 97 }]),
      90
    );
    expect(verdict.passed).toBe(true);
    expect(verdict.lines).toEqual([
      '✔ 12 Apex tests, org-wide coverage 93%, 1 classes checked against 90%.'
    ]);
  });

  it('names each class below the minimum even when org-wide coverage is high', () => {
    const verdict = evaluateApexCoverage(
      run('Passed', 0, [
        { name: 'ProvenancePolicy', coveredPercent: 100 },
        { name: 'QuarantineService', coveredPercent: 41 }
      ]),
      90
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.lines[0]).toBe('QuarantineService: 41% covered, below 90%.');
  });

  it('fails on failing tests and on a report without coverage', () => {
    const verdict = evaluateApexCoverage(run('Failed', 2, []), 90);
    expect(verdict.passed).toBe(false);
    expect(verdict.lines).toEqual(
      expect.arrayContaining([
        'Apex tests: Failed, 2 failing of 12.',
        'No code coverage in the report: run the tests with --code-coverage.'
      ])
    );
  });

  it('ignores classes without executable lines and explains an unreadable report', () => {
    expect(
      evaluateApexCoverage(
        run('Passed', 0, [
          { name: 'Labels', coveredPercent: 0, totalLines: 0 },
          { name: 'A', coveredPercent: 90 }
        ]),
        90
      ).passed
    ).toBe(true);
    expect(evaluateApexCoverage({}, 90).lines[0]).toMatch(/no result.summary/);
  });
});
