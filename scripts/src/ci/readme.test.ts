/**
 * The README is an on-ramp: its tables fit a page (no table line over 200 characters; the detail
 * lives in docs/), and its seed → audit recipe, run as written, gives what `npm start` gives.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../cli/program';
import { PROJECT_ROOT } from '../project-root';

const README = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const MAX_TABLE_LINE = 200;

/** Table lines longer than `max`, as "line N (length)". */
export function longTableLines(markdown: string, max = MAX_TABLE_LINE): string[] {
  let fenced = false;
  return markdown.split('\n').flatMap((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    return !fenced && /^\s*\|/.test(line) && [...line].length > max
      ? [`line ${index + 1} (${[...line].length})`]
      : [];
  });
}

function capture() {
  const stdout: string[] = [];
  return { stdout, out: (l: string) => stdout.push(l), err: () => {} };
}

describe('README', () => {
  it(`has no table line over ${MAX_TABLE_LINE} characters`, () => {
    expect(longTableLines(README)).toEqual([]);
  });

  it('finds a long table line, and ignores long lines that are not table rows', () => {
    const long = `| a | ${'x'.repeat(200)} |`;
    expect(longTableLines(`# t\n\n${long}\n`)).toEqual(['line 3 (208)']);
    expect(longTableLines(`${'x'.repeat(300)}\n\`\`\`\n${long}\n\`\`\`\n`)).toEqual([]);
  });

  it("runs the tour's seed → audit recipe as written and gets npm start's result", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-readme-'));
    const cwd = process.cwd();
    try {
      const commands = [...README.matchAll(/^npx sdg (seed|audit) (.*?)(?:\s+#.*)?$/gm)]
        .map((m) => [m[1]!, ...m[2]!.trim().split(/\s+/)])
        .filter((words) => words.includes('sample'));
      expect(commands.map((c) => c[0])).toEqual(['seed', 'audit']);
      const audit = commands[1]!;
      // The recipe must name the sample's HMAC key, or the checkpoints go unchecked.
      expect(audit).toEqual(expect.arrayContaining(['--hmac-key-file']));
      process.chdir(dir);
      expect(await runCli(commands[0]!, capture())).toBe(0);
      const recipe = capture();
      await runCli([...audit, '--out', 'recipe-reports', '--json'], recipe);
      const sample = capture();
      await runCli(['sample', '--out', 'sample-reports', '--json'], sample);
      const fromRecipe = JSON.parse(recipe.stdout.join('\n')) as Record<string, unknown>;
      const fromSample = JSON.parse(sample.stdout.join('\n')) as Record<string, unknown>;
      for (const key of ['findings', 'chain', 'controls', 'objects'])
        expect({ [key]: fromRecipe[key] }).toEqual({ [key]: fromSample[key] });
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
