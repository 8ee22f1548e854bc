import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { PROJECT_ROOT } from '../src/project-root';
import { buildPreview } from './build';
import { SHOTS } from './scenes';
import { servePreview } from './serve';
import { CHROMIUM, chromiumMissing } from './chromium';

const OUT = path.join(PROJECT_ROOT, 'docs', 'screenshots');

async function main(): Promise<void> {
  const missing = chromiumMissing();
  if (missing) {
    console.error(missing);
    process.exit(2);
  }
  const ownWarnings = await buildPreview();
  for (const warning of ownWarnings) console.warn(`warning: ${warning}`);
  const server = await servePreview();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const problems: string[] = [];
  try {
    fs.mkdirSync(OUT, { recursive: true });
    for (const shot of SHOTS) {
      const page = await browser.newPage({
        viewport: { width: shot.width, height: 800 },
        deviceScaleFactor: 1
      });
      page.on('pageerror', (error) => problems.push(`${shot.scene}: ${error.message}`));
      page.on('console', (message) => {
        if (process.env.DEBUG) console.log(shot.scene, message.type(), message.text());
        if (message.type() === 'error') problems.push(`${shot.scene}: ${message.text()}`);
      });
      await page.goto(`${server.url}#${shot.scene}`);
      await page.waitForSelector('body[data-ready]', { state: 'attached', timeout: 15000 });
      if ((await page.getAttribute('body', 'data-ready')) !== 'true')
        problems.push(`${shot.scene}: ${await page.textContent('#stage')}`);
      const file = path.join(OUT, shot.file);
      await page.locator(shot.clip).screenshot({ path: file, animations: 'disabled' });
      console.log(`${path.relative(PROJECT_ROOT, file)}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  if (problems.length) {
    for (const problem of problems) console.error(`error: ${problem}`);
    process.exit(1);
  }
}

void main();
