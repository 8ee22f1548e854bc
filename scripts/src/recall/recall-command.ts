import fs from 'node:fs';
import path from 'node:path';
import { exitOnUserError, UsageError } from '../cli/errors';
import type { CommandIo } from '../cli/io';
import { connectOrg, withOrgErrors } from '../org/org-connection';
import { readOrgPolicy } from '../org/org-policy';
import type { SalesforceApi } from '../org/salesforce-api';
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
import { applyToOrg, OrgOutcome, undoInOrg, WaitOptions } from './recall-org';
import { planFromOrg } from './recall-org-plan';
import { parseSelector, SelectorOptions } from './recall-selector';
import { GOVERNED_OBJECTS, governedObjectsOf } from '../provenance-model/schema';
import { readCascadeChildren, readOrgGoverned } from '../org/org-governed';
import { undoExport, UndoSummary } from './recall-undo';

/**
 * Exit codes of `sdg recall`: done, partial failure, bad input (nothing changed), and for an org
 * recall, not finished (still waiting for approval or the batch when --wait ran out, or cancelled
 * in the org).
 */
export const RECALL_EXIT = { DONE: 0, PARTIAL: 1, BAD_INPUT: 2, NOT_FINISHED: 3 } as const;

/** Opens an org (tests pass a fake). */
export type Connect = (org: string) => Promise<SalesforceApi>;

/** Options of the org steps that wait for the second person and the batch. */
export interface OrgWaitOptions {
  targetOrg?: string;
  /** Minutes to wait for approval and the batch (default 60; 0 returns once requested). */
  wait?: string;
  /** Seconds between looks at the recall (default 10). */
  poll?: string;
}

/** Options of `sdg recall plan`. */
export interface RecallPlanOptions extends SelectorOptions {
  from?: string;
  targetOrg?: string;
  action?: string;
  retention?: boolean;
  policy?: string;
  now?: string;
  out?: string;
  json?: boolean;
}

/** Options of `sdg recall apply`. */
export interface RecallApplyOptions extends OrgWaitOptions {
  confirm?: string;
  to?: string;
  json?: boolean;
  /** Write into a non-empty --to folder, replacing its content. */
  force?: boolean;
  /** Test hook: stop after this many files, as a crash would. */
  interruptAfterFiles?: number;
}

/** Options of `sdg recall undo`. */
export interface RecallUndoOptions extends OrgWaitOptions {
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

function waitOf(options: OrgWaitOptions): WaitOptions {
  const number = (text: string | undefined, fallback: number, flag: string) => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0)
      throw new UsageError(
        `${flag} must be a number of ${flag === '--wait' ? 'minutes' : 'seconds'} (0 or more), got "${text}".`
      );
    return value;
  };
  return {
    waitMs: number(options.wait, 60, '--wait') * 60_000,
    pollMs: number(options.poll, 10, '--poll') * 1000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    clock: () => Date.now()
  };
}

async function planOf(options: RecallPlanOptions, connect: Connect): Promise<RecallPlan> {
  if (options.from && options.targetOrg)
    throw new UsageError('Plan on an export (--from) or an org (--target-org), not both.');
  if (!options.from && !options.targetOrg)
    throw new UsageError(
      'Give the records to plan on: an export with --from <dir, Data Export zip, or folder of a Data Export set>, or an org with --target-org <alias>.'
    );
  const now = nowOf(options.now);
  if (options.retention && options.action)
    throw new UsageError('--retention takes its actions from the policy; drop --action.');
  if (
    !options.retention &&
    (!options.action || !RECALL_ACTIONS.includes(options.action as RecallAction))
  )
    throw new UsageError(
      `--action must be one of ${RECALL_ACTIONS.join(', ')}${options.action ? `, got "${options.action}"` : ''}.`
    );
  const action = options.retention ? 'retention' : (options.action as RecallAction);
  // --object FILE=Object names a file's object, as for sdg audit; a bare object selects records.
  const fileObjects = (options.object ?? []).filter((v) => v.includes('='));
  if (fileObjects.length && !options.from)
    throw new UsageError('--object FILE=Object names a file of an export: use it with --from.');
  const selectorOptions = {
    ...options,
    object: (options.object ?? []).filter((v) => !v.includes('='))
  };
  if (options.from) {
    // An export's policy names the objects it governs beyond the five (sdg govern adds them).
    const governed = governedObjectsOf(retentionPolicy(options));
    const selector = options.retention ? null : parseSelector(selectorOptions, governed);
    return planFromExport(options.from, {
      action,
      selector,
      now,
      fileObjects,
      governed,
      ...(options.retention ? { policy: retentionPolicy(options) } : {})
    });
  }
  // An org's policy records name the objects it governs; a bad flag is refused before connecting.
  if (!options.retention) parseSelector(selectorOptions, selectorOptions.object);
  const org = options.targetOrg!;
  const api = await connect(org);
  return withOrgErrors(org, async () => {
    const orgPolicy = await readOrgPolicy(api);
    const configured = await readOrgGoverned(api, orgPolicy);
    const governed = [...GOVERNED_OBJECTS, ...configured.map((g) => g.object)];
    const selector = options.retention ? null : parseSelector(selectorOptions, governed);
    return planFromOrg(api, {
      action,
      selector,
      now,
      governed,
      children: await readCascadeChildren(api, governed),
      ...(options.retention
        ? { policy: options.policy ? retentionPolicy(options) : orgPolicy }
        : {})
    });
  });
}

/** `sdg recall plan`: what a recall would change, written to a sealed plan file. */
export function runRecallPlan(
  options: RecallPlanOptions,
  io: CommandIo,
  connect: Connect = connectOrg
): Promise<number> {
  return exitOnUserError(io, async () => {
    const plan = await planOf(options, connect);
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
    const where = plan.source.kind === 'org' ? `org ${plan.source.org}` : options.from;
    if (options.json) io.out(JSON.stringify(summary, null, 2));
    else {
      io.out(`Recall ${plan.recallId}: ${plan.action} ${plan.total} record(s) of ${where}`);
      for (const [object, count] of Object.entries(plan.counts)) {
        const cascaded = plan.cascaded[object]
          ? ` (${plan.cascaded[object]} with a deleted parent)`
          : '';
        io.out(`  ${object.padEnd(12)} ${String(count).padStart(8)}${cascaded}`);
      }
      for (const file of plan.files ?? [])
        io.out(`  Read ${file.rel}: ${file.object}${file.how ? ` (by ${file.how})` : ''}.`);
      io.out(`Plan written to ${out}. Nothing has changed yet.`);
      if (plan.total > 0 && plan.source.kind === 'export')
        io.out(`Apply it with: sdg recall apply ${out} --confirm ${plan.total} --to <folder>`);
      else if (plan.total > 0 && plan.action === 'retention')
        io.out(
          'In an org, the nightly SyntheticRetentionJob applies retention (see docs/recall.md).'
        );
      else if (plan.total > 0)
        io.out(`Apply it with: sdg recall apply ${out} --confirm ${plan.total}`);
    }
    return RECALL_EXIT.DONE;
  });
}

function checkConfirm(plan: RecallPlan, confirm: string | undefined, file: string): void {
  const n = Number(confirm);
  // The message never prints the right count: a wrong --confirm pasted back would defeat the check.
  if (confirm === undefined || !Number.isInteger(n) || n !== plan.total)
    throw new UsageError(
      `--confirm must be the plan's record count${confirm === undefined ? '' : ` ("${confirm}" is not it)`}. Read it from the plan: "total" in ${file} (sdg recall plan printed it too), then confirm.`
    );
}

function orgExit(outcome: OrgOutcome<{ failed: number }>): number {
  if (!outcome.finished) return RECALL_EXIT.NOT_FINISHED;
  return outcome.summary.failed > 0 ? RECALL_EXIT.PARTIAL : RECALL_EXIT.DONE;
}

async function applyOrgPlan(
  plan: RecallPlan & { source: { kind: 'org'; org: string } },
  options: RecallApplyOptions,
  io: CommandIo,
  connect: Connect
): Promise<number> {
  if (plan.action === 'retention')
    throw new UsageError(
      "An org's retention is applied by the nightly SyntheticRetentionJob, not from a plan; this plan shows what its next run takes. Schedule the job (docs/recall.md) or recall by selector."
    );
  const org = options.targetOrg ?? plan.source.org;
  if (org !== plan.source.org)
    throw new UsageError(
      `This plan was made on ${plan.source.org}; apply it there (or plan again with --target-org ${org}).`
    );
  const wait = waitOf(options);
  const api = await connect(org);
  const outcome = await withOrgErrors(org, () =>
    applyToOrg(api, plan, { to: options.to ?? '.', wait, io })
  );
  const s = outcome.summary;
  if (options.json) io.out(JSON.stringify(s, null, 2));
  else if (!outcome.finished)
    io.out(
      `${s.org.name} is ${s.org.state}: ${s.org.state === 'Cancelled' ? 'cancelled in the org; nothing was applied.' : `not finished. Follow it at ${s.org.url}, or run this command again to keep waiting.`}`
    );
  else {
    io.out(
      `Recall ${s.org.name} (${s.recallId}): ${s.applied} applied, ${s.failed} failed, ${s.skipped} skipped.`
    );
    io.out(`Results and backups: ${path.dirname(s.backup)}`);
    if (s.notTaken || s.unplanned)
      io.out(
        `The org changed since planning: ${s.notTaken} planned record(s) not taken, ${s.unplanned} taken that the plan did not list (see results.json).`
      );
    if (s.failed) io.err(`✖ ${s.failed} record(s) failed; see results.json or the recall's items.`);
  }
  return orgExit(outcome);
}

/** `sdg recall apply`: backs up and applies a plan, after the count is confirmed. */
export function runRecallApply(
  planFile: string,
  options: RecallApplyOptions,
  io: CommandIo,
  connect: Connect = connectOrg
): Promise<number> {
  return exitOnUserError(io, async () => {
    const plan = readPlan(planFile);
    checkConfirm(plan, options.confirm, planFile);
    if (plan.source.kind === 'org')
      return applyOrgPlan({ ...plan, source: plan.source }, options, io, connect);
    if (options.targetOrg)
      throw new UsageError(
        `This plan was made on the export ${plan.source.path}; apply it with --to <dir>, or plan on the org with --target-org.`
      );
    if (!options.to)
      throw new UsageError('Give the folder to write the changed export to with --to <dir>.');
    const summary: ApplySummary = await applyToExport(plan, {
      to: options.to,
      force: options.force,
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
  io: CommandIo,
  connect: Connect = connectOrg
): Promise<number> {
  return exitOnUserError(io, async () => {
    if (options.targetOrg) {
      const wait = waitOf(options);
      const api = await connect(options.targetOrg);
      const outcome = await withOrgErrors(options.targetOrg, () =>
        undoInOrg(api, recallDir, { to: options.to, wait, io })
      );
      const s = outcome.summary;
      if (options.json) io.out(JSON.stringify(s, null, 2));
      else if (!outcome.finished)
        io.out(
          `${s.org.name} is ${s.org.state}: not finished. Follow it at ${s.org.url}, or run this command again to keep waiting.`
        );
      else {
        io.out(
          `Undid ${s.undoes} in ${s.org.org}: ${s.restored} record(s) put back, ${s.failed} failed (${s.org.name}).`
        );
        io.out(`Results: ${s.to}. This undo is ${s.org.name}; undo it the same way.`);
      }
      return orgExit(outcome);
    }
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
