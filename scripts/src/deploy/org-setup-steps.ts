import fs from 'node:fs';
import path from 'node:path';
import { PERMISSION_SETS, POLICY_TYPE } from '../provenance-model/schema';
import type { SalesforceApi } from '../org/salesforce-api';

/** A `--assign user:PermSet` request. */
export interface Assignment {
  username: string;
  permissionSet: string;
}

/** Parses `--assign` values: `user@example.com:Synthetic_Data_Reviewer[,Other]`. */
export function parseAssignments(values: string[]): Assignment[] | string {
  const known = Object.values(PERMISSION_SETS) as string[];
  const out: Assignment[] = [];
  for (const value of values) {
    const colon = value.lastIndexOf(':');
    const username = value.slice(0, colon).trim();
    const sets = value
      .slice(colon + 1)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (colon < 1 || !sets.length)
      return `--assign takes user:PermissionSet (e.g. jo@acme.com:${PERMISSION_SETS.reviewer}), got "${value}".`;
    const unknown = sets.filter((s) => !known.includes(s));
    if (unknown.length)
      return `--assign: ${unknown.join(', ')} is not a Synthetic Data Guard permission set (${known.join(', ')}).`;
    for (const permissionSet of sets) out.push({ username, permissionSet });
  }
  return out;
}

/** Result of assigning permission sets. */
export interface AssignmentReport {
  assigned: Assignment[];
  alreadyAssigned: Assignment[];
  failed: (Assignment & { reason: string })[];
}

const quoted = (values: string[]) => values.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(', ');

/** Assigns permission sets, skipping the ones users already hold; one query per kind, one insert. */
export async function assignPermissionSets(
  api: SalesforceApi,
  wanted: Assignment[]
): Promise<AssignmentReport> {
  const report: AssignmentReport = { assigned: [], alreadyAssigned: [], failed: [] };
  if (!wanted.length) return report;
  const usernames = [...new Set(wanted.map((w) => w.username))];
  const names = [...new Set(wanted.map((w) => w.permissionSet))];
  const users = new Map(
    (
      await api.queryAll(
        `SELECT Id, Username FROM User WHERE Username IN (${quoted(usernames)}) AND IsActive = true`
      )
    ).map((r) => [r.fields.Username?.toLowerCase() ?? '', r.fields.Id ?? ''])
  );
  const sets = new Map(
    (await api.queryAll(`SELECT Id, Name FROM PermissionSet WHERE Name IN (${quoted(names)})`)).map(
      (r) => [r.fields.Name ?? '', r.fields.Id ?? '']
    )
  );
  // SOQL refuses an empty IN () (MALFORMED_QUERY): with no user or no set, nothing is held.
  const existing = new Set(
    users.size && sets.size
      ? (
          await api.queryAll(
            `SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId IN (${quoted([...users.values()])}) AND PermissionSetId IN (${quoted([...sets.values()])})`
          )
        ).map((r) => `${r.fields.AssigneeId}|${r.fields.PermissionSetId}`)
      : []
  );
  const toInsert: { assignment: Assignment; AssigneeId: string; PermissionSetId: string }[] = [];
  for (const w of wanted) {
    const userId = users.get(w.username.toLowerCase());
    const setId = sets.get(w.permissionSet);
    if (!userId) report.failed.push({ ...w, reason: 'no active user with this username' });
    else if (!setId)
      report.failed.push({ ...w, reason: 'permission set not in the org (deploy first)' });
    else if (existing.has(`${userId}|${setId}`)) report.alreadyAssigned.push(w);
    else toInsert.push({ assignment: w, AssigneeId: userId, PermissionSetId: setId });
  }
  for (let i = 0; i < toInsert.length; i += 200) {
    const chunk = toInsert.slice(i, i + 200);
    const results: { success: boolean; errors?: { message: string }[] }[] = await api.json(
      'POST',
      '/composite/sobjects',
      {
        allOrNone: false,
        records: chunk.map((c) => ({
          attributes: { type: 'PermissionSetAssignment' },
          AssigneeId: c.AssigneeId,
          PermissionSetId: c.PermissionSetId
        }))
      }
    );
    chunk.forEach((c, j) => {
      const r = results[j];
      if (r?.success) report.assigned.push(c.assignment);
      else
        report.failed.push({
          ...c.assignment,
          reason: r?.errors?.[0]?.message ?? 'no result returned'
        });
    });
  }
  return report;
}

/** The package's default policy records (`Synthetic_Policy.<Name>.md-meta.xml`). */
export function defaultPolicyFiles(projectRoot: string): Map<string, string> {
  const dir = path.join(projectRoot, 'force-app', 'main', 'policy', 'customMetadata');
  return new Map(
    fs
      .readdirSync(dir)
      .filter((f) => f.startsWith('Synthetic_Policy.'))
      .map((f) => [f.split('.')[1] ?? '', path.join(dir, f)])
  );
}

/** Default policy records the org lacks (by DeveloperName). */
export async function missingPolicies(api: SalesforceApi, projectRoot: string): Promise<string[]> {
  const present = new Set(
    (await api.queryAll(`SELECT DeveloperName FROM ${POLICY_TYPE.name} LIMIT 200`)).map(
      (r) => r.fields.DeveloperName ?? ''
    )
  );
  return [...defaultPolicyFiles(projectRoot).keys()].filter((name) => !present.has(name));
}

/** The package's triggers, from the source (every one must be Active after a deploy). */
export function packageTriggers(projectRoot: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.trigger')) found.push(entry.name.replace(/\.trigger$/, ''));
    }
  };
  walk(path.join(projectRoot, 'force-app', 'main'));
  return found.sort();
}

/** Smoke check: each package trigger exists in the org and is Active (Tooling API). */
export async function checkTriggers(
  api: SalesforceApi,
  triggers: string[]
): Promise<{ name: string; status: string }[]> {
  if (!triggers.length) return [];
  const rows = await api.queryAll(
    `SELECT Name, Status FROM ApexTrigger WHERE Name IN (${quoted(triggers)})`,
    { tooling: true }
  );
  const status = new Map(rows.map((r) => [r.fields.Name ?? '', r.fields.Status ?? '']));
  return triggers.map((name) => ({ name, status: status.get(name) ?? 'Missing' }));
}
