import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BROKEN_PACKAGE, PROJECT_ROOT } from '../broken-samples';
import { PackageIndex } from '../package-index';
import { checkDuplicateNames } from './duplicate-names';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

function label(name: string, value: string): string {
  return `<labels><fullName>${name}</fullName><language>en_US</language><protected>false</protected><shortDescription>${name}</shortDescription><value>${value}</value></labels>`;
}

/** Writes a throwaway package from `relative path → content` and returns its directory. */
function packageOf(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-dup-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

function found(files: Record<string, string>): string[] {
  const root = packageOf(files);
  return checkDuplicateNames(PackageIndex.load([root]), root).map(
    (f) => `${f.file}:${f.line} ${f.rule} ${f.message}`
  );
}

describe('checkDuplicateNames', () => {
  it('reports a custom label named twice in one file, pointing at the first', () => {
    const findings = found({
      'labels/CustomLabels.labels-meta.xml': `<CustomLabels ${NS}>\n${label('Queue_Reason', 'Reason')}\n${label('Other', 'x')}\n${label('Queue_Reason', 'Reason')}\n</CustomLabels>`
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(
      /^labels\/CustomLabels\.labels-meta\.xml:4 metadata\/duplicate-name <labels> Queue_Reason is already defined at labels\/CustomLabels\.labels-meta\.xml:2: /
    );
  });

  it('reports a label repeated in a second labels file', () => {
    const findings = found({
      'a/labels/First.labels-meta.xml': `<CustomLabels ${NS}>${label('Shared', 'one')}</CustomLabels>`,
      'b/labels/Second.labels-meta.xml': `<CustomLabels ${NS}>${label('Shared', 'two')}</CustomLabels>`
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toContain('metadata/duplicate-name <labels> Shared is already defined');
  });

  it('accepts distinct names', () => {
    expect(
      found({
        'labels/CustomLabels.labels-meta.xml': `<CustomLabels ${NS}>${label('A', 'a')}${label('B', 'b')}</CustomLabels>`
      })
    ).toEqual([]);
  });

  it('reports the broken sample and finds nothing in the real package', () => {
    const broken = checkDuplicateNames(PackageIndex.load([BROKEN_PACKAGE]), PROJECT_ROOT);
    expect(broken.map((f) => `${path.basename(f.file)}:${f.line} ${f.rule}`)).toEqual([
      'CustomLabels.labels-meta.xml:19 metadata/duplicate-name'
    ]);
    expect(checkDuplicateNames(PackageIndex.load([path.join(PROJECT_ROOT, 'force-app')]))).toEqual(
      []
    );
  });
});
