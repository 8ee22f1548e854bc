import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BROKEN_ROOT, PROJECT_ROOT } from './broken-samples';
import { formatFinding, sortFindings } from './finding';
import { Output, runQualityCheck } from './run';

function capture(): Output & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line), error: (line) => lines.push(line) };
}

describe('runQualityCheck', () => {
  it('prints usage and exits 2 for an unknown check', async () => {
    const out = capture();
    expect(await runQualityCheck('spelling', PROJECT_ROOT, out)).toBe(2);
    expect(out.lines[0]).toContain('apex|pmd|metadata|references|build');
  });

  it('exits 1 and prints file:line findings when a check finds problems', async () => {
    const out = capture();
    expect(await runQualityCheck('apex', BROKEN_ROOT, out)).toBe(1);
    expect(out.lines.some((line) => /UnknownField\.cls:10:9 {2}apex-ls\/Missing/.test(line))).toBe(
      true
    );
    expect(out.lines.at(-1)).toMatch(/✖ Apex semantics \(apex-ls\): 5 finding\(s\)\./);
  });

  it('exits 1 on the padded and wrapped text values of the broken samples', async () => {
    const out = capture();
    expect(await runQualityCheck('metadata', BROKEN_ROOT, out)).toBe(1);
    expect(out.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /CustomLabels\.labels-meta\.xml:8:9 {2}metadata\/text-padded {2}<value>/
        ),
        expect.stringMatching(
          /Sample_Setting\.Padded\.md-meta\.xml:13:9 {2}metadata\/text-line-break/
        ),
        expect.stringMatching(
          /Sample_Setting\.Padded\.md-meta\.xml:7:9 {2}metadata\/record-validation/
        ),
        expect.stringMatching(/CustomLabels\.labels-meta\.xml:19:5 {2}metadata\/duplicate-name/)
      ])
    );
    expect(out.lines.at(-1)).toMatch(/✖ Metadata schema, references and text values: \d+ finding/);
  });

  it('exits 1 for the broken samples under the metadata build', async () => {
    expect(await runQualityCheck('build', BROKEN_ROOT, capture())).toBe(1);
  });

  // PMD starts a JVM over the whole package: a guard against a hang, not a speed target.
  it('exits 0 when PMD finds nothing gated in the real package', async () => {
    expect(await runQualityCheck('pmd', PROJECT_ROOT, capture())).toBe(0);
  }, 300_000);

  it('exits 0 on the real project and says where the deploy zip is', async () => {
    const out = capture();
    expect(await runQualityCheck('build', PROJECT_ROOT, out)).toBe(0);
    expect(out.lines[0]).toMatch(/^Wrote dist\/deploy\.zip with \d+ components\.$/);
  });

  it('exits 2 with the reason when the check itself cannot run', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-run-'));
    const out = capture();
    expect(await runQualityCheck('pmd', empty, out)).toBe(2);
    expect(out.lines[0]).toMatch(/could not run: Cannot read .*sfdx-project\.json/);
  });
});

describe('findings', () => {
  it('sort by file, line and column and print as file:line:column', () => {
    const sorted = sortFindings([
      { file: 'b.cls', line: 1, rule: 'r', message: 'm' },
      { file: 'a.cls', line: 9, column: 2, rule: 'r', message: 'm' },
      { file: 'a.cls', line: 9, rule: 'r', message: 'm' },
      { file: 'a.cls', line: 2, rule: 'r', message: 'm' }
    ]);
    expect(sorted.map(formatFinding)).toEqual([
      'a.cls:2  r  m',
      'a.cls:9  r  m',
      'a.cls:9:2  r  m',
      'b.cls:1  r  m'
    ]);
  });
});
