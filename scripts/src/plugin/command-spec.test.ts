import fs from 'node:fs';
import { buildProgram } from '../cli/program';
import { commandSpec, firstSentence, PLUGIN_COMMANDS, sdgArgv } from './command-spec';
import { messagesFile, messagesMarkdown } from './messages';

describe('sf sdg command specs, read from the sdg program', () => {
  it('ships every sdg command but the npm start sample, govern included', () => {
    const program = buildProgram({ out: () => {}, err: () => {} }, { code: 0 });
    const tops = new Set(PLUGIN_COMMANDS.map((p) => p[0]));
    expect(program.commands.map((c) => c.name()).filter((n) => !tops.has(n))).toEqual(['sample']);
    expect(tops.has('govern')).toBe(true);
  });

  it('maps sdg options to sf flags: --json is the envelope, --dev-hub is --target-dev-hub', () => {
    const audit = commandSpec(['audit']);
    expect(audit.id).toBe('sdg:audit');
    expect(audit.flags.map((f) => f.name)).not.toContain('json');
    expect(audit.flags.find((f) => f.name === 'target-org')).toMatchObject({
      org: true,
      multiple: false,
      kind: 'string'
    });
    expect(audit.flags.find((f) => f.name === 'object')).toMatchObject({ multiple: true });
    expect(audit.flags.find((f) => f.name === 'queries')).toMatchObject({ kind: 'boolean' });
    expect(audit.flags.find((f) => f.name === 'fail-on')?.summary).toContain('(default: high)');
    expect(commandSpec(['setup']).flags.find((f) => f.name === 'dev-hub')?.sfName).toBe(
      'target-dev-hub'
    );
    expect(commandSpec(['monitor']).flags.find((f) => f.name === 'target-org')?.multiple).toBe(
      true
    );
    expect(commandSpec(['validate-payload']).flags.find((f) => f.name === 'object')).toMatchObject({
      required: true
    });
    expect(commandSpec(['scan']).args).toEqual([
      expect.objectContaining({ name: 'paths', variadic: true })
    ]);
  });

  it('turns parsed sf flags back into the same sdg command line', () => {
    const spec = commandSpec(['audit']);
    expect(
      sdgArgv(
        spec,
        { from: 'x', object: ['a=Lead', 'b=Case'], queries: false, 'target-org': undefined },
        [],
        true
      )
    ).toEqual(['audit', '--from', 'x', '--object', 'a=Lead', '--object', 'b=Case', '--json']);
    const setup = commandSpec(['setup']);
    expect(sdgArgv(setup, { 'target-dev-hub': 'hub' }, [], false)).toEqual([
      'setup',
      '--dev-hub',
      'hub'
    ]);
    expect(sdgArgv(commandSpec(['recall', 'apply']), { confirm: '3' }, ['p.json'], false)).toEqual([
      'recall',
      'apply',
      'p.json',
      '--confirm',
      '3'
    ]);
  });

  it('summarises with the first sentence', () => {
    expect(firstSentence('One thing. Then more.')).toBe('One thing.');
    expect(firstSentence('No full stop')).toBe('No full stop');
    expect(commandSpec(['audit']).summary.length).toBeLessThan(200);
  });

  it.each(PLUGIN_COMMANDS.map((p) => [p.join(' '), p]))(
    'messages/sdg.%s.md is up to date (npx tsx scripts/src/plugin/messages.ts writes it)',
    (_name, path) => {
      const spec = commandSpec(path);
      const text = messagesMarkdown(spec);
      expect(text).toContain('# examples\n\n- ');
      expect(fs.readFileSync(messagesFile(spec), 'utf8')).toBe(text);
    }
  );
});
