// The `sdg` CLI as the recall tests drive it on real-format exports (zip, Data Export set).
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../src/cli/program';
import type { ApplySummary } from '../src/recall/recall-apply';
import { listFiles } from '../src/recall/recall-export';
import type { PlanSummary } from '../src/recall/recall-plan';
import type { UndoSummary } from '../src/recall/recall-undo';
import { captureIo } from './capture-io';

export type CliJson = PlanSummary & ApplySummary & UndoSummary;

/** Runs `sdg` in process: its exit code, output, errors and the JSON it printed, if any. */
export async function sdg(...args: string[]) {
  const { io, out, err } = captureIo();
  const code = await runCli(args, io);
  const text = out.join('\n');
  return {
    code,
    out: text,
    err: err.join('\n'),
    json: (text.startsWith('{') ? JSON.parse(text) : {}) as CliJson
  };
}

/** Every file of a folder by its relative path, byte for byte (latin1 keeps every byte). */
export function snapshot(dir: string): Map<string, string> {
  return new Map(
    listFiles(dir).map((rel) => [rel, fs.readFileSync(path.join(dir, rel), 'latin1')])
  );
}

/** The selector both recall suites plan with: quarantine what an OpenAI model generated. */
export const QUARANTINE_OPENAI = ['--action', 'quarantine', '--model', 'openai/*'];

/** `sdg recall plan --from <from> --now <now> --out <out> --json` with QUARANTINE_OPENAI. */
export function planRecall(from: string, out: string, now: string) {
  return sdg(
    'recall',
    'plan',
    '--from',
    from,
    '--now',
    now,
    '--out',
    out,
    '--json',
    ...QUARANTINE_OPENAI
  );
}
