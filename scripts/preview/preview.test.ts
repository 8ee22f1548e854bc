import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { readLabels, salesforceModules } from './salesforce-modules';
import { resolveFile, servePreview } from './serve';

describe('component preview', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-preview-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('bundles the package components with base components, without compiler warnings on ours', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'build.ts'), dir],
      { encoding: 'utf8' }
    );
    expect(JSON.parse(out)).toEqual([]);
    const app = fs.readFileSync(path.join(dir, 'app.js'), 'utf8');
    // The package's label text, not the label name, reaches the page.
    expect(app).toContain(JSON.stringify(readLabels().get('SDG_Queue_Title')));
    expect(app).toContain('lightning-datatable');
    expect(fs.existsSync(path.join(dir, 'index.html'))).toBe(true);
  });

  it('answers the org-only imports and refuses an unknown label', () => {
    const plugin = salesforceModules(new Map([['Known', 'Known text']]));
    const resolve = plugin.resolveId as (source: string) => string | null;
    const load = plugin.load as (this: { error(m: string): never }, id: string) => string | null;
    const context = {
      error(message: string): never {
        throw new Error(message);
      }
    };
    expect(resolve('@salesforce/label/LightningDatatable.sort')).toBeNull();
    const label = resolve('@salesforce/label/c.Known') ?? '';
    expect(load.call(context, label)).toBe('export default "Known text";');
    expect(
      load.call(context, resolve('@salesforce/customPermission/Review_Synthetic_Data') ?? '')
    ).toBe('export default true;');
    expect(load.call(context, resolve('@salesforce/apex/Ctl.method') ?? '')).toContain(
      'apexMethod("Ctl.method")'
    );
    expect(() => load.call(context, resolve('@salesforce/label/c.Missing') ?? '')).toThrow(
      /no custom label Missing/
    );
  });

  it('serves the page and SLDS assets on 127.0.0.1 and nothing outside them', async () => {
    fs.writeFileSync(path.join(dir, 'index.html'), '<p>preview</p>');
    expect(resolveFile('/../package.json', dir)).toBeUndefined();
    expect(resolveFile('/assets/../../package.json', dir)).toBeUndefined();
    const server = await servePreview(0, dir);
    try {
      const page = await fetch(server.url);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toBe('<p>preview</p>');
      const css = await fetch(
        `${server.url}assets/styles/salesforce-lightning-design-system.min.css`
      );
      expect(css.status).toBe(200);
      expect((await fetch(`${server.url}missing.js`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
