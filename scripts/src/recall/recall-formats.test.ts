import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { captureIo } from '../../test/capture-io';
import { runCli } from '../cli/program';
import type { RecallPlan } from './recall-plan';

const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures', 'exports');
const NOW = '2026-12-01T00:00:00.000Z';
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-recall-formats-'));

async function sdg(...args: string[]) {
  const { io, out, err } = captureIo();
  const code = await runCli(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const copyOf = (fixture: string) => {
  const dir = tmp();
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
};

describe('sdg recall plan reads what sdg audit reads', () => {
  it('a Data Loader extract under any name: the object from the Id prefix, said in the plan', async () => {
    const from = copyOf('data-loader');
    const plan = path.join(tmp(), 'plan.json');
    const planned = await sdg(
      'recall',
      'plan',
      '--from',
      from,
      '--model',
      'openai/*',
      '--action',
      'quarantine',
      '--now',
      NOW,
      '--out',
      plan
    );
    expect(planned.code).toBe(0);
    expect(planned.out).toMatch(/Read extract\.csv: Lead \(by Id prefix 00Q\)\./);
    const sealed = JSON.parse(fs.readFileSync(plan, 'utf8')) as RecallPlan;
    expect(sealed.records).toEqual({ Lead: ['00Q5g00000AbCdFAAV'] });
    expect(sealed.files).toEqual([
      { rel: 'extract.csv', object: 'Lead', format: 'csv', how: 'Id prefix 00Q' }
    ]);
    expect(Object.keys(sealed.inputs ?? {})).toEqual(['extract.csv']);

    const to = path.join(tmp(), 'out');
    const applied = await sdg('recall', 'apply', plan, '--confirm', '1', '--to', to);
    expect(applied.code).toBe(0);
    const lines = fs.readFileSync(path.join(to, 'extract.csv'), 'utf8').split('\n');
    const original = fs.readFileSync(path.join(from, 'extract.csv'), 'utf8').split('\n');
    // Upper-case headers, quoting, CRLF and the other records stay byte for byte.
    expect(lines[0]).toBe(original[0]);
    expect(lines[1]).toBe(original[1]);
    expect(lines[3]).toBe(original[3]);
    expect(lines[2]).toMatch(/"Quarantined","MISSING_SOURCE;RECALLED"\r$/);
  });

  it('--object FILE=Object names a file whose name and Ids do not say it; a bare --object still selects', async () => {
    const from = tmp();
    fs.writeFileSync(
      path.join(from, 'leads.csv'),
      'Id,LastName,Synthetic_Data__c,AI_Model__c,Synthetic_Status__c,Synthetic_Reasons__c\nL-1,Nair,true,openai/gpt-4o,Accepted,\nL-2,Moss,false,,,\n'
    );
    const out = path.join(tmp(), 'plan.json');
    const refused = await sdg(
      'recall',
      'plan',
      '--from',
      from,
      '--model',
      'openai/*',
      '--action',
      'quarantine',
      '--now',
      NOW,
      '--out',
      out
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/--object FILE=Object/);
    const planned = await sdg(
      'recall',
      'plan',
      '--from',
      from,
      '--model',
      'openai/*',
      '--action',
      'quarantine',
      '--object',
      'leads.csv=Lead',
      '--object',
      'Lead',
      '--now',
      NOW,
      '--out',
      out
    );
    expect(planned.code).toBe(0);
    expect(planned.out).toMatch(/Read leads\.csv: Lead \(by --object\)\./);
    const sealed = JSON.parse(fs.readFileSync(out, 'utf8')) as RecallPlan;
    expect(sealed.records).toEqual({ Lead: ['L-1'] });
    expect(sealed.selector?.objects).toEqual(['Lead']);
  });

  it('refuses --object FILE=Object without an export', async () => {
    const run = await sdg(
      'recall',
      'plan',
      '--target-org',
      'x',
      '--model',
      'a',
      '--action',
      'quarantine',
      '--object',
      'leads.csv=Lead'
    );
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/use it with --from/);
  });
});
