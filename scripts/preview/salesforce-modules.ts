import fs from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'rollup';
import { childText, parseXmlTree } from '../src/quality/metadata-schema/xml-tree';
import { PROJECT_ROOT } from '../src/project-root';
import { PLATFORM } from './paths';

const LABELS = path.join(
  PROJECT_ROOT,
  'force-app',
  'main',
  'labels',
  'labels',
  'CustomLabels.labels-meta.xml'
);

/** The package's custom labels, name to text, so the preview shows the words users will read. */
export function readLabels(file = LABELS): Map<string, string> {
  const root = parseXmlTree(fs.readFileSync(file, 'utf8'));
  return new Map(
    root.children
      .filter((c) => c.name === 'labels')
      .map((c) => [childText(c, 'fullName') ?? '', childText(c, 'value') ?? ''])
  );
}

const VIRTUAL = '\0sdg-preview:';
/** The previewing user (app/fixtures.js names the recall requesters as other people). */
export const PREVIEW_USER_ID = '0055g00000PreviewAA';

/**
 * The org-only imports, answered in the browser: `@salesforce/label/c.*` from the package's
 * labels file, `@salesforce/apex/*` from the scene fixtures, `@salesforce/customPermission/*` as
 * granted (the preview shows a reviewer), `@salesforce/schema/*` as the field references the
 * platform gives, `@salesforce/user/Id` as a reviewer who did not request the recall shown. Base components' own `@salesforce/label/Lightning*`
 * imports are left to lightning-base-components, which ships them.
 */
export function salesforceModules(labels: Map<string, string>): Plugin {
  return {
    name: 'sdg-salesforce-modules',
    resolveId(source) {
      if (/^@salesforce\/(label\/c\.|apex\/|customPermission\/|schema\/|user\/Id$)/.test(source))
        return VIRTUAL + source;
      return null;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL)) return null;
      const source = id.slice(VIRTUAL.length);
      const [, kind, name = ''] = /^@salesforce\/([^/]+)\/(.+)$/.exec(source) ?? [];
      if (kind === 'label') {
        const label = name.replace(/^c\./, '');
        if (!labels.has(label)) this.error(`${source}: no custom label ${label} in ${LABELS}`);
        return `export default ${JSON.stringify(labels.get(label))};`;
      }
      if (kind === 'apex') {
        const platform = JSON.stringify(path.join(PLATFORM, 'apex.js'));
        return `import { apexMethod } from ${platform};\nexport default apexMethod(${JSON.stringify(name)});`;
      }
      if (kind === 'schema') {
        const [objectApiName, ...field] = name.split('.');
        return `export default ${JSON.stringify({ objectApiName, fieldApiName: field.join('.') })};`;
      }
      if (kind === 'user') return `export default ${JSON.stringify(PREVIEW_USER_ID)};`;
      return 'export default true;';
    }
  };
}
