import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './broken-samples';
import { QualityToolError } from './finding';
import { readSfdxProject } from './sfdx-project';

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

  it.each([
    ['a missing file', undefined, /Cannot read/],
    ['invalid JSON', '{', /Cannot read/],
    ['no package directories', '{"packageDirectories": []}', /lists no packageDirectories/],
    [
      'a package directory that does not exist',
      '{"packageDirectories": [{"path": "nope"}]}',
      /"nope", which does not exist/
    ]
  ])('rejects %s with a clear message', (_case, content, message) => {
    expect(() => readSfdxProject(projectWith(content))).toThrow(QualityToolError);
    expect(() => readSfdxProject(projectWith(content))).toThrow(message);
  });
});
