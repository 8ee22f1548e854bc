import { checkApexSemantics, parseApexLsReport } from './apex-semantics';
import { BROKEN_ROOT, PROJECT_ROOT } from './broken-samples';
import { QualityToolError } from './finding';

describe('checkApexSemantics (apex-ls)', () => {
  it('reports each broken Apex sample with file, line and category', () => {
    const findings = checkApexSemantics(BROKEN_ROOT);
    const located = findings.map((f) => `${f.file.split('/').pop()}:${f.line} ${f.rule}`);
    expect(located).toEqual(
      expect.arrayContaining([
        'UnknownField.cls:10 apex-ls/Missing',
        'TypeMismatch.cls:10 apex-ls/Error',
        'SyntaxError.cls:10 apex-ls/Syntax'
      ])
    );
    const unknown = findings.find((f) => f.file.endsWith('UnknownField.cls'));
    expect(unknown?.message).toContain("Unknown field 'Shoe_Size__c'");
    expect(unknown?.column).toBe(9);
  });

  it('passes the real package clean', () => {
    expect(checkApexSemantics(PROJECT_ROOT)).toEqual([]);
  });

  it('keeps the first part of very long parser messages', () => {
    const long = 'expecting ' + 'x'.repeat(1000);
    const [finding] = parseApexLsReport(
      JSON.stringify({
        files: [
          {
            path: '/a/B.cls',
            messages: [{ start: { line: 3, offset: 0 }, category: 'Syntax', message: long }]
          }
        ]
      }),
      '/a'
    );
    expect(finding).toMatchObject({ file: 'B.cls', line: 3, column: 1, rule: 'apex-ls/Syntax' });
    expect(finding?.message.length).toBeLessThan(210);
  });

  it('treats empty output as no findings and rejects output that is not JSON', () => {
    expect(parseApexLsReport('  \n')).toEqual([]);
    expect(() => parseApexLsReport('Exception in thread "main"')).toThrow(QualityToolError);
  });
});
