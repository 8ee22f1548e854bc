import { ZipTreeContainer } from '@salesforce/source-deploy-retrieve';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BROKEN_PACKAGE, PROJECT_ROOT } from './broken-samples';
import { buildMetadata, findMalformedXml } from './metadata-build';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-build-'));
}

const APEX_META = `<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>66.0</apiVersion>
    <status>Active</status>
</ApexClass>
`;

describe('metadata build (source-deploy-retrieve)', () => {
  it('reports the malformed -meta.xml sample with its line and writes no zip', async () => {
    const out = tempDir();
    const result = await buildMetadata([BROKEN_PACKAGE], out, 'deploy.zip', PROJECT_ROOT);
    expect(result.zipPath).toBeUndefined();
    expect(result.findings).toEqual([
      expect.objectContaining({
        file: 'samples/broken/force-app/main/default/classes/MalformedMeta.cls-meta.xml',
        line: 4,
        rule: 'xml/InvalidTag'
      })
    ]);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('converts well-formed source into a deploy zip listing every component', async () => {
    const source = tempDir();
    const classes = path.join(source, 'main', 'default', 'classes');
    fs.mkdirSync(classes, { recursive: true });
    fs.writeFileSync(path.join(classes, 'Hello.cls'), 'public with sharing class Hello {}\n');
    fs.writeFileSync(path.join(classes, 'Hello.cls-meta.xml'), APEX_META);
    const out = tempDir();

    const result = await buildMetadata([source], out);

    expect(result.findings).toEqual([]);
    expect(result.components).toEqual([{ type: 'ApexClass', fullName: 'Hello' }]);
    expect(result.zipPath).toBe(path.join(out, 'deploy.zip'));
    const zip = fs.readFileSync(result.zipPath ?? '');
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    expect(zip.includes(Buffer.from('classes/Hello.cls'))).toBe(true);
  });

  it('writes a package.xml without <fullName>, so a deploy creates no unmanaged package', async () => {
    const source = tempDir();
    const classes = path.join(source, 'main', 'default', 'classes');
    fs.mkdirSync(classes, { recursive: true });
    fs.writeFileSync(path.join(classes, 'Hello.cls'), 'public with sharing class Hello {}\n');
    fs.writeFileSync(path.join(classes, 'Hello.cls-meta.xml'), APEX_META);
    const result = await buildMetadata([source], tempDir());
    const zip = await ZipTreeContainer.create(fs.readFileSync(result.zipPath ?? ''));
    const manifest = (await zip.readFile('package.xml')).toString('utf8');
    expect(manifest).toContain('<members>Hello</members>');
    expect(manifest).not.toContain('<fullName>');
  });

  it('reports a file that belongs to no component instead of silently leaving it out', async () => {
    const source = tempDir();
    const classes = path.join(source, 'main', 'default', 'classes');
    fs.mkdirSync(classes, { recursive: true });
    // A class without its -meta.xml is not a deployable component.
    fs.writeFileSync(path.join(classes, 'Orphan.cls'), 'public with sharing class Orphan {}\n');

    const result = await buildMetadata([source], tempDir());

    expect(result.zipPath).toBeUndefined();
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: 'sdr/unresolved', file: path.join(classes, 'Orphan.cls') })
    ]);
    expect(result.findings[0]?.message).toContain('would not be deployed');
  });

  it('finds no malformed XML in the real package', () => {
    expect(findMalformedXml([path.join(PROJECT_ROOT, 'force-app')])).toEqual([]);
  });
});
