import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brokenSample, PROJECT_ROOT } from './broken-samples';

// The format and lint steps of `npm test` are the prettier and eslint CLIs with the project's
// configuration. These tests run the same CLIs on the broken samples (which `npm test` itself
// ignores) to prove that each step can fail.

function runBin(pkg: string, bin: string, args: string[]) {
  const script = path.join(PROJECT_ROOT, 'node_modules', pkg, bin);
  return spawnSync(process.execPath, [script, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' });
}

describe('ESLint (npm run lint)', () => {
  it('reports the LWC lint sample: reassigning an @api property, at its line', () => {
    const result = runBin('eslint', 'bin/eslint.js', [
      '--no-ignore',
      '--format',
      'json',
      brokenSample('lwc/lintError/lintError.js')
    ]);
    expect(result.status).toBe(1);
    const [report] = JSON.parse(result.stdout) as {
      messages: { line: number; ruleId: string }[];
    }[];
    expect(report?.messages.map((m) => `${m.line} ${m.ruleId}`)).toContain(
      '8 @lwc/lwc/no-api-reassignments'
    );
  });
});

describe('prettier (npm run format:check)', () => {
  it('fails on the Apex syntax-error sample, naming the file and the parse error', () => {
    // .prettierignore skips samples/broken even when named; an empty ignore file lifts that.
    const noIgnore = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-ignore-')), '.ignore');
    fs.writeFileSync(noIgnore, '');
    const result = runBin('prettier', 'bin/prettier.cjs', [
      '--ignore-path',
      noIgnore,
      '--check',
      brokenSample('classes/SyntaxError.cls')
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/SyntaxError\.cls: Error: Missing ';'/);
  });

  it('fails on Apex that parses but is not formatted, and passes once formatted', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-format-'));
    const file = path.join(dir, 'Squashed.cls');
    fs.writeFileSync(
      file,
      'public with sharing class Squashed { public static Integer n() { return 1; } }'
    );
    const config = ['--config', path.join(PROJECT_ROOT, '.prettierrc')];
    expect(runBin('prettier', 'bin/prettier.cjs', [...config, '--check', file]).status).toBe(1);
    expect(runBin('prettier', 'bin/prettier.cjs', [...config, '--write', file]).status).toBe(0);
    expect(runBin('prettier', 'bin/prettier.cjs', [...config, '--check', file]).status).toBe(0);
  });
});
