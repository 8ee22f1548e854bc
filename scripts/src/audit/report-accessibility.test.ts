/**
 * The HTML audit report (the page a compliance lead hands an auditor) and the monitor page,
 * opened in Debian's Chromium with axe-core: no contrast or structure violation (WCAG 2.1 A/AA and
 * axe's best practices), severity pills readable, times readable with the time zone named.
 * Skipped, saying why, only where Chromium is not installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM, chromiumMissing } from '../../preview/chromium';
import { runCli } from '../cli/program';
import { readableTime } from './reports';

const missing = chromiumMissing();
const describeInChromium = missing ? describe.skip : describe;
if (missing) console.warn(`report-accessibility.test.ts skipped: ${missing}`);

const AXE = require.resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

async function violations(page: Page, file: string): Promise<string[]> {
  await page.goto(pathToFileURL(file).href);
  await page.addScriptTag({ path: AXE });
  // Strings run in the page: the tooling compiles without the DOM library.
  const found = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} } }).then((r) => r.violations)`
  );
  return found.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary}`)
  );
}

const quiet = { out: () => {}, err: () => {} };

describe('readableTime', () => {
  it('names the day, month, year, time and the time zone', () => {
    expect(readableTime('2026-06-01T12:00:00.000Z')).toBe('1 June 2026, 12:00:00 UTC');
    expect(readableTime('2026-12-31T23:59:59+02:00')).toBe('31 December 2026, 21:59:59 UTC');
    expect(readableTime('not a time')).toBe('not a time');
  });
});

describeInChromium('the HTML audit report and the monitor page in Chromium, checked by axe', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-axe-'));
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    expect(await runCli(['sample', '--out', dir], quiet)).toBe(0);
    await runCli(
      [
        'monitor',
        '--from',
        path.join(dir, 'sample-export'),
        '--html',
        path.join(dir, 'monitor.html')
      ],
      quiet
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the audit report has no contrast or structure violation', async () => {
    expect(await violations(page, path.join(dir, 'audit-report.html'))).toEqual([]);
  }, 60_000);

  it('severity pills in the Controls list keep their own colours, not the fail colour', async () => {
    await page.goto(pathToFileURL(path.join(dir, 'audit-report.html')).href);
    const pills = await page.evaluate<{ text: string; color: string; background: string }[]>(
      `[...document.querySelectorAll('ul.controls .sev')].map((s) => ({ text: s.textContent, color: getComputedStyle(s).color, background: getComputedStyle(s).backgroundColor }))`
    );
    expect(pills.length).toBeGreaterThan(0);
    for (const pill of pills) expect(pill.color).toBe('rgb(255, 255, 255)');
    const backgrounds = new Map(pills.map((p) => [p.text, p.background]));
    expect(backgrounds.get('high')).not.toBe(backgrounds.get('medium'));
  }, 60_000);

  it('shows times readably with the time zone named, the ISO instant kept for machines', async () => {
    await page.goto(pathToFileURL(path.join(dir, 'audit-report.html')).href);
    const times = await page.evaluate<{ text: string; datetime: string }[]>(
      `[...document.querySelectorAll('time')].map((t) => ({ text: t.textContent, datetime: t.getAttribute('datetime') }))`
    );
    expect(times[0]).toEqual({ text: '1 June 2026, 12:00:00 UTC', datetime: expect.any(String) });
    for (const time of times)
      expect(time.text).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}:\d{2} UTC$/);
    expect(await page.textContent('p.meta')).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  }, 60_000);

  it('the monitor page has no contrast or structure violation', async () => {
    expect(await violations(page, path.join(dir, 'monitor.html'))).toEqual([]);
  }, 60_000);
});
