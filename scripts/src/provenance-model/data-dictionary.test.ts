import fs from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier/standalone';
import * as markdown from 'prettier/plugins/markdown';
import { PROJECT_ROOT } from '../quality/broken-samples';
import { PackageIndex } from '../quality/package-index';
import { DATA_DICTIONARY_PATH, renderDataDictionary } from './data-dictionary';

describe('docs/data-dictionary.md', () => {
  it('is up to date with force-app (run `npm run docs:data-dictionary` then `npm run format`)', async () => {
    const index = PackageIndex.load([path.join(PROJECT_ROOT, 'force-app')]);
    const expected = await prettier.format(renderDataDictionary(index), {
      parser: 'markdown',
      plugins: [markdown],
      printWidth: 100,
      singleQuote: true,
      trailingComma: 'none'
    });
    expect(fs.readFileSync(path.join(PROJECT_ROOT, DATA_DICTIONARY_PATH), 'utf8')).toBe(expected);
  });

  it('documents each provenance field with its sensitivity and who may edit it', () => {
    const text = renderDataDictionary(PackageIndex.load([path.join(PROJECT_ROOT, 'force-app')]));
    expect(text).toMatch(
      /\| `Synthetic_Status__c` \| Synthetic Status \| Picklist \|.*\| Internal \| tracked \| Synthetic_Data_Admin, Synthetic_Data_Reviewer \|/
    );
    expect(text).toMatch(/\| `Sequence__c` \|.*\| nobody \(read-only\) \|/);
  });

  it('documents the Flow bypass allow-list and the detector public keys', () => {
    const text = renderDataDictionary(PackageIndex.load([path.join(PROJECT_ROOT, 'force-app')]));
    expect(text).toContain('## Flows allowed to bypass enforcement (`Synthetic_Bypass_Flow__mdt`');
    expect(text).toMatch(/\| `Flow_Api_Name__c` \|/);
    expect(text).toContain('## Detector public keys (`Synthetic_Detector_Key__mdt`');
  });
});
