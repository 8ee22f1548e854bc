import lwc from '@lwc/rollup-plugin';
import nodeResolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import fs from 'node:fs';
import path from 'node:path';
import { rollup } from 'rollup';
import { PROJECT_ROOT } from '../src/project-root';
import { APP, LWC_DIRS, PLATFORM, PREVIEW_DIR } from './paths';
import { readLabels, salesforceModules } from './salesforce-modules';

const component = (dir: string, name: string) => ({
  name: `c/${name}`,
  path: path.join(dir, name, `${name}.js`)
});

/*
 * Bundles the preview page: the package's components compiled by the LWC compiler, run by the
 * LWC engine with synthetic shadow (as Lightning Experience does, so SLDS's global styles reach
 * inside components), with Salesforce's open-source base components (lightning-datatable,
 * lightning-combobox, …) from lightning-base-components.
 */
/** Builds the preview into `outDir`; answers the compiler's warnings about the package's own code. */
export async function buildPreview(outDir = PREVIEW_DIR): Promise<string[]> {
  const components = LWC_DIRS.flatMap((dir) =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => component(dir, entry.name))
  );
  const warnings: string[] = [];
  const bundle = await rollup({
    input: path.join(APP, 'main.js'),
    // Base components' own compiler warnings are Salesforce's to fix; the package's are ours.
    onwarn: (warning) => {
      if (warning.id?.startsWith(path.join(PROJECT_ROOT, 'force-app')))
        warnings.push(warning.message);
    },
    plugins: [
      salesforceModules(readLabels()),
      replace({
        preventAssignment: true,
        // Base components ask import.meta.env.SSR whether they run on a server.
        values: {
          'process.env.NODE_ENV': JSON.stringify('production'),
          'import.meta.env.SSR': 'false'
        }
      }),
      lwc({
        rootDir: APP,
        // lightning-datatable's sorting dialog uses lwc:is.
        enableDynamicComponents: true,
        modules: [
          ...components,
          { name: 'lightning/uiRecordApi', path: path.join(PLATFORM, 'uiRecordApi.js') },
          { name: 'lightning/uiObjectInfoApi', path: path.join(PLATFORM, 'uiObjectInfoApi.js') },
          { name: '@salesforce/apex', path: path.join(PLATFORM, 'salesforceApex.js') },
          {
            name: 'lightning/platformShowToastEvent',
            path: path.join(PLATFORM, 'platformShowToastEvent.js')
          },
          { name: 'lightning/confirm', path: path.join(PLATFORM, 'confirm.js') },
          { name: 'lightning/navigation', path: path.join(PLATFORM, 'navigation.js') },
          // The user's locale, the one base components format with (they keep theirs private).
          {
            name: '@salesforce/i18n/locale',
            path: require.resolve('lightning-base-components/scopedImports/@salesforce-i18n-locale.js')
          },
          {
            name: '@salesforce/gate/bc.260.enableComboboxElementInternals',
            path: path.join(PLATFORM, 'gateClosed.js')
          },
          { npm: 'lightning-base-components' }
        ]
      }),
      nodeResolve()
    ]
  });
  try {
    fs.mkdirSync(outDir, { recursive: true });
    await bundle.write({
      file: path.join(outDir, 'app.js'),
      format: 'iife',
      inlineDynamicImports: true
    });
  } finally {
    await bundle.close();
  }
  fs.copyFileSync(path.join(APP, 'index.html'), path.join(outDir, 'index.html'));
  return warnings;
}

// `tsx scripts/preview/build.ts <dir>`: builds there and prints the warnings as JSON (the jest
// test runs the build this way, because @lwc/rollup-plugin ships as ES modules only).
if (require.main === module) {
  buildPreview(process.argv[2]).then(
    (warnings) => console.log(JSON.stringify(warnings)),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    }
  );
}
