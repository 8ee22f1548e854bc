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

  it('formats metadata XML structure but never touches a text value', () => {
    // The Metadata API keeps whitespace inside values, so the formatter may move tags, not text.
    const longValue =
      `A label value well past the print width of one hundred characters. ${'More. '.repeat(20)}`.trim();
    const input = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<CustomLabels xmlns="http://soap.sforce.com/2006/04/metadata">',
      '<labels><fullName>Long</fullName>',
      `        <value>${longValue}</value></labels>`,
      '  <labels><fullName>Padded</fullName><value> kept as written </value></labels>',
      '</CustomLabels>',
      ''
    ].join('\n');
    const result = spawnSync(
      process.execPath,
      [
        path.join(PROJECT_ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs'),
        '--stdin-filepath',
        'CustomLabels.labels-meta.xml'
      ],
      { cwd: PROJECT_ROOT, encoding: 'utf8', input }
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`\n    <value>${longValue}</value>\n`);
    expect(result.stdout).toContain('\n    <value> kept as written </value>\n');
    expect(result.stdout).toContain('\n  <labels>\n    <fullName>Padded</fullName>\n');
  });
});
