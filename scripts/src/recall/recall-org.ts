import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli/errors';
import type { CommandIo } from '../cli/io';
import type { SalesforceApi } from '../org/salesforce-api';
import { RECALL, RECALL_ITEM } from '../provenance-model/schema';
import type { ApplySummary, RecordResult } from './recall-apply';
import { recallFolder } from './recall-apply';
import { rowsOf } from './recall-org-plan';
import { RecallPlan, writePlan } from './recall-plan';
import type { RecallSelector } from './recall-selector';
import { BufferedWriter } from './recall-rewrite';
import type { UndoSummary } from './recall-undo';

/** The package's recall API (Apex REST `SyntheticRecallResource`). */
export const RECALL_API = '/services/apexrest/synthetic/v1/recalls';

/** What the recall API answers. */
export interface OrgRecallView {
  id: string;
  name: string;
  action: string;
  state: string;
  plannedCount: number;
}

/** The org recall a local recall folder follows (`org-recall.json`). */
export interface OrgRecallRef {
  org: string;
  id: string;
  name: string;
  url: string;
  action: string;
}

/** How long to wait for the second person and the batch, and how often to look. */
export interface WaitOptions {
  waitMs: number;
  pollMs: number;
  sleep: (ms: number) => Promise<void>;
  clock: () => number;
}

/** An org recall's final state and counts. */
export interface OrgRecallState {
  state: string;
  applied: number;
  failed: number;
  skipped: number;
  summary: string;
}

/** `--json` of an org apply: the offline keys, plus the org's recall. */
export interface OrgApplySummary extends Omit<ApplySummary, 'changes'> {
  /** None: the org's batch made the changes. */
  changes: null;
  org: OrgRecallRef & { state: string };
  /** Planned records the org's batch did not take (changed or deleted since planning). */
  notTaken: number;
  /** Records the batch took that the plan did not list (new since planning). */
  unplanned: number;
}

/** `--json` of an org undo. */
export interface OrgUndoSummary extends UndoSummary {
  failed: number;
  org: OrgRecallRef & { state: string };
}

/** What an org recall ended in: finished (applied, partly or failed) or not (still waiting). */
export interface OrgOutcome<T> {
  summary: T;
  finished: boolean;
}

const FINAL_STATES = new Set(['Applied', 'Partially Applied', 'Failed', 'Cancelled']);
const ORG_RECALL_FILE = 'org-recall.json';

const capitalized = (action: string) => action.charAt(0).toUpperCase() + action.slice(1);

/** A selector as `Synthetic_Recall__c.Selector__c` holds it: the plan flags as keys. */
export function selectorJson(selector: RecallSelector): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== null && !(Array.isArray(value) && value.length === 0)) out[key] = value;
  };
  put('model', selector.models);
  put('source', selector.sources);
  put('batch', selector.batch);
  put('since', selector.since);
  put('until', selector.until);
  put('status', selector.statuses);
  put('object', selector.objects);
  put('reason', selector.reasons);
  return out;
}

function recordUrl(api: SalesforceApi, id: string): string {
  return `${api.session.instanceUrl}/lightning/r/${RECALL.name}/${id}/view`;
}

function refOf(api: SalesforceApi, view: OrgRecallView): OrgRecallRef {
  return {
    org: api.session.org,
    id: view.id,
    name: view.name,
    url: recordUrl(api, view.id),
    action: view.action
  };
}

/** Applied, partly or not at all: the batch ran (a cancelled recall never did). */
const ran = (state: OrgRecallState) => FINAL_STATES.has(state.state) && state.state !== 'Cancelled';

function readRef(folder: string): OrgRecallRef | null {
  const file = path.join(folder, ORG_RECALL_FILE);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as OrgRecallRef) : null;
}

function writeRef(folder: string, ref: OrgRecallRef): void {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, ORG_RECALL_FILE), `${JSON.stringify(ref, null, 2)}\n`);
}

async function readState(api: SalesforceApi, id: string): Promise<OrgRecallState> {
  const f = RECALL.fields;
  const [row] = await api.queryAll(
    `SELECT Id, ${f.state}, ${f.appliedCount}, ${f.failedCount}, ${f.skippedCount}, ${f.resultSummary} FROM ${RECALL.name} WHERE Id = '${id}'`
  );
  if (!row)
    throw new UsageError(
      `Recall ${id} is not in ${api.session.org} (deleted, or not shared with ${api.session.username}).`
    );
  const n = (field: string) => Number(row.fields[field] || 0);
  return {
    state: row.fields[f.state] ?? '',
    applied: n(f.appliedCount),
    failed: n(f.failedCount),
    skipped: n(f.skippedCount),
    summary: row.fields[f.resultSummary] ?? ''
  };
}

const STATE_NOTES: Record<string, string> = {
  Requested:
    'waiting for a second person with the review permission to approve it on its record page (the requester cannot)',
  Approved: 'approved; the batch is queued',
  Running: 'the batch is backing up and changing records'
};

/** Polls the recall until it reaches a final state or the wait runs out, saying each change. */
async function waitFor(
  api: SalesforceApi,
  ref: OrgRecallRef,
  wait: WaitOptions,
  io: CommandIo
): Promise<OrgRecallState> {
  const deadline = wait.clock() + wait.waitMs;
  let seen = '';
  for (;;) {
    const state = await readState(api, ref.id);
    if (state.state !== seen) {
      seen = state.state;
      io.err(`${ref.name}: ${seen}${STATE_NOTES[seen] ? ` (${STATE_NOTES[seen]})` : ''}.`);
    }
    if (FINAL_STATES.has(state.state) || wait.clock() >= deadline) return state;
    await wait.sleep(wait.pollMs);
  }
}

/**
 * Writes a finished recall's items locally: results.json (one line per record, streamed) and
 * backup/<Object>.jsonl (the full backup each item holds). Returns how many planned records the
 * batch did not take and how many it took that the plan did not list.
 */
async function downloadItems(
  api: SalesforceApi,
  ref: OrgRecallRef,
  state: OrgRecallState,
  folder: string,
  planned: Set<string> | null
): Promise<{ notTaken: number; unplanned: number }> {
  const f = RECALL_ITEM.fields;
  const backups = new Map<string, BufferedWriter>();
  const results = new BufferedWriter(path.join(folder, 'results.json.tmp'));
  results.write(
    JSON.stringify(
      {
        recallId: path.basename(folder),
        org: ref,
        action: ref.action.toLowerCase(),
        state: state.state,
        applied: state.applied,
        failed: state.failed,
        skipped: state.skipped
      },
      null,
      2
    ).replace(/\n}$/, ',\n  "records": [')
  );
  const taken = new Set<string>();
  let unplanned = 0;
  let first = true;
  const soql = `SELECT Id, ${f.objectType}, ${f.recordId}, ${f.result}, ${f.message}, ${f.changedFields}, ${f.backup} FROM ${RECALL_ITEM.name} WHERE ${f.recall} = '${ref.id}' ORDER BY Id`;
  for await (const row of rowsOf(api, soql)) {
    const object = row.fields[f.objectType] ?? '';
    const id = row.fields[f.recordId] ?? '';
    taken.add(id);
    if (planned && !planned.has(id)) unplanned++;
    const result: RecordResult = {
      object,
      id,
      action: ref.action.toLowerCase() as RecordResult['action'],
      result: (row.fields[f.result] ?? '').toLowerCase() as RecordResult['result'],
      ...(row.fields[f.message] ? { message: row.fields[f.message] } : {})
    };
    results.write(`${first ? '' : ','}\n    ${JSON.stringify(result)}`);
    first = false;
    if (row.fields[f.backup]) {
      let writer = backups.get(object);
      if (!writer) {
        writer = new BufferedWriter(path.join(folder, 'backup', `${object}.jsonl`));
        backups.set(object, writer);
      }
      writer.write(`${row.fields[f.backup]}\n`);
    }
  }
  results.write(`${first ? '' : '\n  '}]\n}\n`);
  results.close();
  for (const writer of backups.values()) writer.close();
  fs.renameSync(results.file, path.join(folder, 'results.json'));
  let notTaken = 0;
  for (const id of planned ?? []) if (!taken.has(id)) notTaken++;
  return { notTaken, unplanned };
}

async function post(api: SalesforceApi, route: string, body?: unknown): Promise<OrgRecallView> {
  return api.json<OrgRecallView>('POST', `${RECALL_API}${route}`, body ?? {});
}

/**
 * Applies a plan made on an org: requests the recall through the package's API (the org counts
 * the selector again and the count must still be the plan's), then waits for a second person to
 * approve it and for the batch, and writes the results and backups locally. Run again after an
 * interruption, it follows the same org recall instead of requesting another.
 */
export async function applyToOrg(
  api: SalesforceApi,
  plan: RecallPlan,
  options: { to: string; wait: WaitOptions; io: CommandIo }
): Promise<OrgOutcome<OrgApplySummary>> {
  const folder = recallFolder(options.to, plan.recallId);
  let ref = readRef(folder);
  const resumed = ref !== null;
  if (!ref) {
    if (!plan.selector) throw new UsageError('This plan has no selector to recall with.');
    const selected = plan.total - Object.values(plan.cascaded).reduce((n, c) => n + c, 0);
    const view = await post(api, '', {
      action: capitalized(plan.action),
      selector: selectorJson(plan.selector)
    });
    if (view.plannedCount !== selected) {
      await post(api, `/${view.id}/cancel`);
      throw new UsageError(
        `${api.session.org} now has ${view.plannedCount} record(s) for this selector; the plan has ${selected}. The org's records changed since planning: recall ${view.name} was cancelled and nothing changed. Plan again.`
      );
    }
    ref = refOf(api, view);
    writePlan(path.join(folder, 'plan.json'), plan);
    writeRef(folder, ref);
    options.io.err(`Requested ${ref.name} in ${ref.org}: ${ref.url}`);
  } else options.io.err(`Following ${ref.name} in ${ref.org} (requested earlier): ${ref.url}`);
  const state = await waitFor(api, ref, options.wait, options.io);
  const finished = ran(state);
  const planned = new Set(Object.values(plan.records).flat());
  const drift = finished
    ? await downloadItems(api, ref, state, folder, planned)
    : { notTaken: 0, unplanned: 0 };
  return {
    finished,
    summary: {
      recallId: plan.recallId,
      applied: state.applied,
      failed: state.failed,
      skipped: state.skipped,
      backup: path.resolve(folder, 'backup'),
      changes: null,
      resumed,
      org: { ...ref, state: state.state },
      ...drift
    }
  };
}

/**
 * Undoes an org recall: requests its undo (itself a recall a second person approves), waits for
 * it, and writes its results beside the recall's folder (`<recallId>-undo`), from where it can be
 * undone in turn. `target` is the recall folder apply wrote, or a Synthetic_Recall__c Id.
 */
export async function undoInOrg(
  api: SalesforceApi,
  target: string,
  options: { to?: string; wait: WaitOptions; io: CommandIo }
): Promise<OrgOutcome<OrgUndoSummary>> {
  let undone: OrgRecallRef | null;
  let folder: string;
  if (fs.existsSync(target)) {
    undone = readRef(target);
    if (!undone)
      throw new UsageError(
        `${target} has no ${ORG_RECALL_FILE}: it is not an org recall. Undo an export's recall with --to <dir> and no --target-org.`
      );
    folder = options.to ?? `${target.replace(/[\\/]+$/, '')}-undo`;
  } else if (/^[a-zA-Z0-9]{15,18}$/.test(target)) {
    undone = { org: api.session.org, id: target, name: target, url: '', action: '' };
    folder = options.to ?? path.join('recalls', `${target}-undo`);
  } else
    throw new UsageError(
      `${target}: no such recall folder, and not a Synthetic_Recall__c Id. Give the folder sdg recall apply wrote.`
    );
  let ref = readRef(folder);
  if (!ref) {
    ref = refOf(api, await post(api, `/${undone.id}/undo`));
    writeRef(folder, ref);
    options.io.err(`Requested ${ref.name} (undo of ${undone.name}) in ${ref.org}: ${ref.url}`);
  } else options.io.err(`Following ${ref.name} in ${ref.org} (requested earlier): ${ref.url}`);
  const state = await waitFor(api, ref, options.wait, options.io);
  const finished = ran(state);
  if (finished) await downloadItems(api, ref, state, folder, null);
  return {
    finished,
    summary: {
      recallId: path.basename(folder),
      undoes: undone.name,
      restored: state.applied,
      failed: state.failed,
      to: path.resolve(folder),
      org: { ...ref, state: state.state }
    }
  };
}
