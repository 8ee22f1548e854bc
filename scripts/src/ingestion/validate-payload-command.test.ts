import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { runCli } from '../cli/program';
import type { CommandIo } from '../cli/io';
import { loadIngestionVectors } from './ingestion-vectors';
import { parseHeadersFile } from './validate-payload-command';

function capture(): CommandIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

const NOW = '2026-06-01T12:00:00Z';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-validate-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function validate(...args: string[]) {
  const io = capture();
  const code = await runCli(['validate-payload', ...args], io);
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

describe('sdg validate-payload', () => {
  const disclosed = write(
    'disclosed.json',
    JSON.stringify({ LastName: 'Ng', Company: 'Acme', Source_Record_Id__c: 'crm:1' })
  );
  const headers = write(
    'headers.txt',
    [
      'X-Provenance-Source: LeadGen Copilot',
      'AI-Disclosure: mode=ai-originated, model="gpt-4o", provider="OpenAI",',
      '  date=@1780311600',
      ''
    ].join('\r\n')
  );

  it('exits 0 for an accepted payload and prints the decision per record', async () => {
    const run = await validate(disclosed, '--object', 'Lead', '--headers', headers, '--now', NOW);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/record 0: ACCEPT → Disclosed \(HTTP 201\)/);
  });

  it('exits 1 for a quarantined payload and --json gives decision, status and reasons', async () => {
    const ai = write('ai.txt', 'AI-Disclosure: mode=ai-originated\n');
    const run = await validate(
      disclosed,
      '--object',
      'Lead',
      '--json',
      '--now',
      NOW,
      '--headers',
      ai
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout) as Record<string, unknown>).toMatchObject({
      decision: 'QUARANTINE',
      status: 202,
      syntheticStatus: 'Quarantined',
      reasons: ['MISSING_MODEL', 'MISSING_GENERATED_AT', 'MISSING_SOURCE'],
      objectName: 'Lead'
    });
  });

  it('exits 1 when a record would be rejected', async () => {
    const policy = write(
      'policy.json',
      JSON.stringify(loadIngestionVectors().payloadDefaults.policy)
    );
    const payload = write(
      'contact.json',
      JSON.stringify({ LastName: 'x', AI_Model__c: 'local/llama' })
    );
    const run = await validate(payload, '--object', 'Contact', '--policy', policy);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/REJECT/);
  });

  it('exits 2 for a malformed request, naming every problem', async () => {
    const payload = write('bad.json', '{"records":[{"LastName":1,"Nope":true}]}');
    const bad = write('bad-headers.txt', 'AI-Disclosure: mode="ai-originated"\n');
    const run = await validate(payload, '--object', 'Lead', '--headers', bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/HTTP 400/);
    expect(run.stderr).toMatch(/MALFORMED_HEADER \(header AI-Disclosure\)/);
    expect(run.stderr).toMatch(/INVALID_TYPE \(record 0, LastName\)/);
    expect(run.stderr).toMatch(/UNKNOWN_FIELD \(record 0, Nope\)/);
  });

  it('exits 2 with a clear message for unreadable input, never a stack trace', async () => {
    for (const args of [
      [path.join(dir, 'missing.json'), '--object', 'Lead'],
      [disclosed, '--object', 'Lead', '--headers', write('junk.txt', 'this is not a header\n')],
      [disclosed, '--object', 'Lead', '--now', 'yesterday']
    ]) {
      const run = await validate(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^✖ /);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('parseHeadersFile', () => {
  it('reads Name: value lines, folded continuations and repeated fields', () => {
    expect(parseHeadersFile('A: 1\n  continued\n\nB:2\nA: 3\n')).toEqual([
      ['A', '1 continued'],
      ['B', '2'],
      ['A', '3']
    ]);
  });
});

describe('signature vectors agree with the Standard Webhooks reference library', () => {
  it.each(loadIngestionVectors().signatures.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    if (v.expected === 'MISSING_HEADERS' || v.expected === 'STALE_TIMESTAMP') return;
    const reference = new Webhook(v.secret).sign(
      v.id,
      new Date(Number(v.timestamp) * 1000),
      v.body
    );
    const listed = v.signature.split(' ');
    expect(listed.includes(reference)).toBe(v.expected === 'VALID');
  });

  it('covers every verdict', () => {
    const verdicts = new Set(loadIngestionVectors().signatures.map((v) => v.expected));
    expect([...verdicts].sort()).toEqual([
      'BAD_SIGNATURE',
      'MISSING_HEADERS',
      'STALE_TIMESTAMP',
      'VALID'
    ]);
  });
});
