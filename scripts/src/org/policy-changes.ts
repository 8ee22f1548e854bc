import type { Control, Finding } from '../audit/findings';
import { OrgApiError, SalesforceApi } from './salesforce-api';

/** The control only an org audit can check. */
export const POLICY_CHANGES_CONTROL: Control = {
  id: 'SDG-10',
  title: 'Changes to policy, settings and access are known (Setup Audit Trail)'
};

/** One Setup change that touched Synthetic Data Guard. */
export interface PolicyChange {
  id: string;
  at: string;
  by: string;
  delegate: string;
  action: string;
  section: string;
  display: string;
}

// Display is not filterable in SOQL, so the last 180 days are read and matched here.
export const SETUP_AUDIT_TRAIL_QUERY =
  'SELECT Id, Action, Section, Display, CreatedDate, CreatedBy.Username, DelegateUser FROM SetupAuditTrail WHERE CreatedDate = LAST_N_DAYS:180 ORDER BY CreatedDate DESC';

/** Names and labels of what the package governs with: policy metadata, settings, permission sets. */
const OURS =
  /Synthetic[ _]Policy|Trusted[ _]AI[ _]Source|Synthetic[ _](Guard|Audit)[ _]Settings|Synthetic[ _]Data[ _](Admin|Reviewer|User|Integration|Bypass)|Synthetic Data Enforcement Bypass|(Bypass|Review)[ _]Synthetic|Administer[ _]Synthetic/i;
const BYPASS = /Synthetic[ _]Data[ _]Bypass|Synthetic Data Enforcement Bypass|Bypass[ _]Synthetic/i;

/** The Setup changes read, or why the Setup Audit Trail could not be read. */
export interface PolicyChanges {
  changes: PolicyChange[];
  /** Set when the running user cannot see SetupAuditTrail: the control was skipped. */
  unreadable: string | null;
}

/**
 * Without "View Setup and Configuration" the API hides SetupAuditTrail: the query answers as if
 * the object did not exist (INVALID_TYPE) or refuses access.
 */
const NO_SETUP_ACCESS = new Set([
  'INVALID_TYPE',
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY'
]);

/**
 * Reads the Setup Audit Trail and keeps the changes to Synthetic Data Guard. A user who may not
 * see it gets the other controls and a finding that names the missing permission.
 */
export async function readPolicyChanges(api: SalesforceApi): Promise<PolicyChanges> {
  const changes: PolicyChange[] = [];
  try {
    await collectChanges(api, changes);
  } catch (error) {
    if (error instanceof OrgApiError && NO_SETUP_ACCESS.has(error.errorCode))
      return {
        changes: [],
        unreadable: `${api.session.username} cannot read the Setup Audit Trail (${error.errorCode}): it needs the "View Setup and Configuration" permission. Assign it (a permission set), then audit again to check ${POLICY_CHANGES_CONTROL.id}.`
      };
    throw error;
  }
  return { changes, unreadable: null };
}

async function collectChanges(api: SalesforceApi, changes: PolicyChange[]): Promise<void> {
  for await (const row of api.query(SETUP_AUDIT_TRAIL_QUERY)) {
    const f = row.fields;
    if (!OURS.test(`${f.Display ?? ''} ${f.Section ?? ''}`)) continue;
    changes.push({
      id: f.Id ?? '',
      at: f.CreatedDate ?? '',
      by: f['CreatedBy.Username'] ?? '',
      delegate: f.DelegateUser ?? '',
      action: f.Action ?? '',
      section: f.Section ?? '',
      display: f.Display ?? ''
    });
  }
}

function listed(changes: PolicyChange[]): string {
  const lines = changes
    .slice(0, 10)
    .map((c) => `${c.at} ${c.by}${c.delegate ? ` (as ${c.delegate})` : ''}: ${c.display}`);
  return `${lines.join('\n')}${changes.length > 10 ? `\n… and ${changes.length - 10} more` : ''}`;
}

/**
 * Who changed the rules and when: every change is reported (info), granting the bypass
 * permission and changes made while logged in as another user stand out (medium).
 */
export function policyChangeFindings({ changes, unreadable }: PolicyChanges): Finding[] {
  const base = {
    control: POLICY_CHANGES_CONTROL.id,
    object: 'SetupAuditTrail',
    query: SETUP_AUDIT_TRAIL_QUERY
  };
  const findings: Finding[] = [];
  if (unreadable)
    findings.push({
      ...base,
      severity: 'medium',
      title: 'The Setup Audit Trail could not be read: this control was not checked',
      count: 0,
      recordIds: [],
      detail: unreadable
    });
  const bypass = changes.filter((c) => BYPASS.test(c.display) && /assign/i.test(c.action));
  const delegated = changes.filter((c) => c.delegate);
  if (bypass.length)
    findings.push({
      ...base,
      severity: 'medium',
      title: 'The enforcement bypass permission was assigned or removed',
      count: bypass.length,
      recordIds: bypass.slice(0, 50).map((c) => c.id),
      detail: `Records these users load skip enforcement (audited as Bypass). Confirm each was approved:\n${listed(bypass)}`
    });
  if (delegated.length)
    findings.push({
      ...base,
      severity: 'medium',
      title: 'Synthetic Data Guard settings changed while logged in as another user',
      count: delegated.length,
      recordIds: delegated.slice(0, 50).map((c) => c.id),
      detail: listed(delegated)
    });
  if (changes.length)
    findings.push({
      ...base,
      severity: 'info',
      title: 'Changes to Synthetic Data Guard policy, settings and permission sets (last 180 days)',
      count: changes.length,
      recordIds: changes.slice(0, 50).map((c) => c.id),
      detail: listed(changes)
    });
  return findings;
}
