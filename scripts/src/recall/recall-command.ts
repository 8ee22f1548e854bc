import fs from 'node:fs';
import path from 'node:path';
import { ExportFormatError } from '../audit-chain/export-format-error';
import { UsageError } from '../cli/errors';
import type { CommandIo } from '../cli/io';
import { loadPackagePolicy, PolicySet } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { EXPORT_FILES } from '../seed/export-layout';
import { applyToExport, ApplySummary } from './recall-apply';
import {
  PlanSummary,
  planFromExport,
  readPlan,
  RECALL_ACTIONS,
  RecallAction,
  RecallPlan,
  writePlan
} from './recall-plan';
import { parseSelector, SelectorOptions } from './recall-selector';
import { undoExport, UndoSummary } from './recall-undo';

/** Exit codes of `sdg recall`: done, partial failure, bad input (nothing changed). */
export const RECALL_EXIT = { DONE: 0, PARTIAL: 1, BAD_INPUT: 2 } as const;

/** Options of `sdg recall plan`. */
export interface RecallPlanOptions extends SelectorOptions {
  from?: string;
  action?: string;
  retention?: boolean;
  policy?: string;
  now?: string;
  out?: string;
  json?: boolean;
}

/** Options of `sdg recall apply`. */
export interface RecallApplyOptions {
  confirm?: string;
  to?: string;
  json?: boolean;
  /** Test hook: stop after this many files, as a crash would. */
  interruptAfterFiles?: number;
}

/** Options of `sdg recall undo`. */
export interface RecallUndoOptions {
  to?: string;
  now?: string;
  json?: boolean;
}

function nowOf(text: string | undefined): string {
  if (text === undefined) return new Date().toISOString();
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed))
    throw new UsageError(`--now must be an ISO 8601 date-time, got "${text}".`);
  return new Date(parsed).toISOString();
}

function retentionPolicy(options: RecallPlanOptions): PolicySet {
  const file =
    options.policy ?? (options.from ? path.join(options.from, EXPORT_FILES.policy) : undefined);
  if (file && fs.existsSync(file)) {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as PolicySet;
    } catch (error) {
      throw new UsageError(`${file}: not a policy file (${(error as Error).message}).`);
    }
  }
  if (options.policy) throw new UsageError(`${options.policy}: no such policy file.`);
  return loadPackagePolicy(PROJECT_ROOT);
}

async function guarded(io: CommandIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UsageError || error instanceof ExportFormatError) {
      io.err(`✖ ${error.message}`);
      return RECALL_EXIT.BAD_INPUT;
    }
    throw error;
  }
}

/** `sdg recall plan`: what a recall would change, written to a sealed plan file. */
export function runRecallPlan(options: RecallPlanOptions, io: CommandIo): Promise<number> {
  return guarded(io, async () => {
    if (!options.from) throw new UsageError('Give the export to plan on with --from <dir>.');
    const now = nowOf(options.now);
    let plan: RecallPlan;
    if (options.retention) {
      if (options.action)
        throw new UsageError('--retention takes its actions from the policy; drop --action.');
      plan = await planFromExport(options.from, {
        action: 'retention',
        selector: null,
        policy: retentionPolicy(options),
        now
      });
    } else {
      if (!options.action || !RECALL_ACTIONS.includes(options.action as RecallAction))
        throw new UsageError(
          `--action must be one of ${RECALL_ACTIONS.join(', ')}${options.action ? `, got "${options.action}"` : ''}.`
        );
      plan = await planFromExport(options.from, {
        action: options.action as RecallAction,
        selector: parseSelector(options),
        now
      });
    }
    const out = options.out ?? `${plan.recallId}.plan.json`;
    writePlan(out, plan);
    const summary: PlanSummary = {
      recallId: plan.recallId,
      action: plan.action,
      selector: plan.selector,
      counts: plan.counts,
      total: plan.total,
      digest: plan.digest,
      out: path.resolve(out)
    };
    if (options.json) io.out(JSON.stringify(summary, null, 2));
    else {
      io.out(`Recall ${plan.recallId}: ${plan.action} ${plan.total} record(s) of ${options.from}`);
      for (const [object, count] of Object.entries(plan.counts)) {
        const cascaded = plan.cascaded[object]
          ? ` (${plan.cascaded[object]} with a deleted parent)`
          : '';
        io.out(`  ${object.padEnd(12)} ${String(count).padStart(8)}${cascaded}`);
      }
      io.out(`Plan written to ${out}. Nothing has changed yet.`);
      if (plan.total > 0)
        io.out(`Apply it with: sdg recall apply ${out} --confirm ${plan.total} --to <folder>`);
    }
    return RECALL_EXIT.DONE;
  });
}

/** `sdg recall apply`: backs up and applies a plan, after the count is confirmed. */
export function runRecallApply(
  planFile: string,
  options: RecallApplyOptions,
  io: CommandIo
): Promise<number> {
  return guarded(io, async () => {
    const plan = readPlan(planFile);
    const confirm = Number(options.confirm);
    if (options.confirm === undefined || !Number.isInteger(confirm) || confirm !== plan.total)
      throw new UsageError(
        `--confirm must be the plan's record count, ${plan.total}${options.confirm === undefined ? '' : ` (got "${options.confirm}")`}. Read the plan, then confirm.`
      );
    if (!options.to)
      throw new UsageError('Give the folder to write the changed export to with --to <dir>.');
    const summary: ApplySummary = await applyToExport(plan, {
      to: options.to,
      interruptAfterFiles: options.interruptAfterFiles
    });
    if (options.json) io.out(JSON.stringify(summary, null, 2));
    else {
      io.out(
        `Recall ${summary.recallId}${summary.resumed ? ' (resumed)' : ''}: ${summary.applied} applied, ${summary.failed} failed, ${summary.skipped} skipped.`
      );
      io.out(`Backup: ${summary.backup}`);
      io.out(`Changes for Data Loader / Bulk API 2.0: ${summary.changes}`);
      if (summary.failed) io.err(`✖ ${summary.failed} record(s) failed; see results.json.`);
    }
    return summary.failed > 0 ? RECALL_EXIT.PARTIAL : RECALL_EXIT.DONE;
  });
}

/** `sdg recall undo`: puts everything a recall changed back from its backup. */
export function runRecallUndo(
  recallDir: string,
  options: RecallUndoOptions,
  io: CommandIo
): Promise<number> {
  return guarded(io, async () => {
    if (!options.to)
      throw new UsageError('Give the folder to write the restored export to with --to <dir>.');
    const summary: UndoSummary = await undoExport(recallDir, options.to, nowOf(options.now));
    if (options.json) io.out(JSON.stringify(summary, null, 2));
    else {
      io.out(`Undid ${summary.undoes}: ${summary.restored} record(s) put back in ${summary.to}.`);
      io.out(`This undo is recall ${summary.recallId}; undo it the same way.`);
    }
    return RECALL_EXIT.DONE;
  });
}
