import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './broken-samples';
import { QualityToolError } from './finding';
import { checkedDirectories, readSfdxProject } from './sfdx-project';

function projectWith(content: string | undefined): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-project-'));
  if (content !== undefined) fs.writeFileSync(path.join(root, 'sfdx-project.json'), content);
  return root;
}

describe('readSfdxProject', () => {
  it('reads the real project: one package directory and API 66.0', () => {
    const project = readSfdxProject(PROJECT_ROOT);
    expect(project.packageDirectories).toEqual([path.join(PROJECT_ROOT, 'force-app')]);
    expect(project.sourceApiVersion).toBe('66.0');
  });

  it('keeps the Experience Cloud test source out of what ships, and checks it with the package', () => {
    const project = readSfdxProject(PROJECT_ROOT);
    const unpackaged = path.join(PROJECT_ROOT, 'unpackaged', 'experience-cloud');
    expect(project.unpackagedDirectories).toEqual([unpackaged]);
    expect(project.packageDirectories).not.toContain(unpackaged);
    expect(checkedDirectories(project)).toEqual([path.join(PROJECT_ROOT, 'force-app'), unpackaged]);
    // apex-ls reads its own list (plugins.apex-ls.unpackagedMetadata): the same folders.
    const raw = JSON.parse(
      fs.readFileSync(path.join(PROJECT_ROOT, 'sfdx-project.json'), 'utf8')
    ) as {
      plugins: { 'apex-ls': { unpackagedMetadata: string[] } };
    };
    expect(
      raw.plugins['apex-ls'].unpackagedMetadata.map((dir) => path.join(PROJECT_ROOT, dir))
    ).toEqual(project.unpackagedDirectories);
    // The test needs a Customer Community licence: shipped, it would fail every install without one.
    expect(
      fs.existsSync(path.join(unpackaged, 'classes', 'SyntheticBadgeExternalUserTest.cls'))
    ).toBe(true);
    expect(
      fs.existsSync(
        path.join(
          PROJECT_ROOT,
          'force-app',
          'test',
          'console',
          'classes',
          'SyntheticBadgeExternalUserTest.cls'
        )
      )
    ).toBe(false);
  });

  it.each([
    ['a missing file', undefined, /Cannot read/],
    ['invalid JSON', '{', /Cannot read/],
    ['no package directories', '{"packageDirectories": []}', /lists no packageDirectories/],
    [
      'a package directory that does not exist',
      '{"packageDirectories": [{"path": "nope"}]}',
      /"nope", which does not exist/
    ],
    [
      'an unpackagedMetadata directory that does not exist',
      '{"packageDirectories": [{"path": ".", "unpackagedMetadata": {"path": "gone"}}]}',
      /unpackagedMetadata directory "gone", which does not exist/
    ]
  ])('rejects %s with a clear message', (_case, content, message) => {
    expect(() => readSfdxProject(projectWith(content))).toThrow(QualityToolError);
    expect(() => readSfdxProject(projectWith(content))).toThrow(message);
  });
});
