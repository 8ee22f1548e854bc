import fs from 'node:fs';
import path from 'node:path';
import { makeFolder } from '../cli/paths';
import { folderSource } from '../audit/audit-source';
import { escapeHtml } from '../audit/reports';
import { atLeast, Severity, SEVERITIES, severityOf } from '../audit/findings';
import { exitOnUserError, UsageError } from '../cli/errors';
import type { CommandIo } from '../cli/io';
import { SILENT_PROGRESS } from '../cli/progress';
import { DEFAULT_BULK_THRESHOLD, orgSource } from '../org/org-audit-source';
import { connectOrg, withOrgErrors } from '../org/org-connection';
import { readOrgPolicy } from '../org/org-policy';
import { OrgApiError, SalesforceApi } from '../org/salesforce-api';
import { loadPackagePolicy, PolicySet } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { EXPORT_FILES } from '../seed/export-layout';
import { loadPackageAlertRules } from '../alerts/alert-rule-source';
import type { AlertRule } from '../alerts/alert-rules';
import { measure, OPEN_ALERTS_SOQL, OrgMetrics } from './org-metrics';

/** A source to monitor, in the order given on the command line. */
export type MonitorTarget = { kind: 'org'; alias: string } | { kind: 'export'; dir: string };

/** Options of `sdg monitor`. */
export interface MonitorOptions {
  targets: MonitorTarget[];
  json?: boolean;
  failOn?: string;
  html?: string;
  slaDays?: string;
  disclosureFloor?: string;
  backlogMax?: string;
  now?: string;
}

/** A threshold one source crossed. */
export interface Crossing {
  org: string;
  threshold: string;
  severity: Severity;
  value: number | boolean;
  limit: number | boolean;
}

/** `sdg monitor --json`. */
export interface MonitorReport {
  orgs: OrgMetrics[];
  crossed: Crossing[];
}

function number(text: string | undefined, fallback: number, flag: string, max = Infinity): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > max)
    throw new UsageError(
      `${flag} must be a number from 0${max < Infinity ? ` to ${max}` : ''}, got "${text}".`
    );
  return n;
}

/**
 * The thresholds `sdg monitor` checks (the shipped alert rules' defaults), on the audit's
 * severity scale: a broken audit chain is critical, disclosure compliance below the floor high
 * (the alert rules' "error"), a backlog over its size or older than the SLA medium ("warning").
 */
export function crossings(
  m: OrgMetrics,
  limits: { sla: number; floor: number; backlog: number }
): Crossing[] {
  const out: Crossing[] = [];
  if (m.chain && !m.chain.intact)
    out.push({
      org: m.org,
      threshold: 'audit chain verifies',
      severity: 'critical',
      value: false,
      limit: true
    });
  if (m.disclosureRate !== null && m.disclosureRate < limits.floor)
    out.push({
      org: m.org,
      threshold: 'disclosure-compliance rate',
      severity: 'high',
      value: m.disclosureRate,
      limit: limits.floor
    });
  if (m.quarantineBacklog > limits.backlog)
    out.push({
      org: m.org,
      threshold: 'quarantine backlog',
      severity: 'medium',
      value: m.quarantineBacklog,
      limit: limits.backlog
    });
  if (m.oldestQuarantineDays !== null && m.oldestQuarantineDays > limits.sla)
    out.push({
      org: m.org,
      threshold: 'oldest quarantined (days)',
      severity: 'medium',
      value: m.oldestQuarantineDays,
      limit: limits.sla
    });
  return out;
}

const percent = (n: number | null) => (n === null ? '—' : `${(n * 100).toFixed(1)}%`);

function rows(report: MonitorReport): string[][] {
  const statuses = [...new Set(report.orgs.flatMap((o) => Object.keys(o.byStatus)))].sort();
  const cell = (m: OrgMetrics, name: string): string => {
    switch (name) {
      case 'records':
        return String(m.records);
      case 'synthetic':
        return `${m.synthetic} (${percent(m.syntheticShare)})`;
      case 'disclosure rate':
        return percent(m.disclosureRate);
      case 'quarantine backlog':
        return String(m.quarantineBacklog);
      case 'oldest quarantined (days)':
        return m.oldestQuarantineDays === null ? '—' : String(m.oldestQuarantineDays);
      case 'open alerts':
        return m.openAlerts === null ? '—' : String(m.openAlerts);
      case 'audit chain':
        return m.chain === null
          ? 'no events'
          : `${m.chain.intact ? 'verifies' : 'BROKEN'} (${m.chain.events} events)`;
      case 'chain head':
        return m.chain?.head ? m.chain.head.slice(0, 16) : '—';
      default:
        return String(m.byStatus[name.replace(/^status: /, '')] ?? 0);
    }
  };
  const names = [
    'records',
    'synthetic',
    ...statuses.map((s) => `status: ${s}`),
    'disclosure rate',
    'quarantine backlog',
    'oldest quarantined (days)',
    'open alerts',
    'audit chain',
    'chain head'
  ];
  return [
    ['', ...report.orgs.map((o) => o.org)],
    ...names.map((n) => [n, ...report.orgs.map((o) => cell(o, n))])
  ];
}

function table(report: MonitorReport): string[] {
  const grid = rows(report);
  const widths = grid[0]!.map((_, c) => Math.max(...grid.map((r) => r[c]!.length)));
  return grid.map((r) =>
    r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ')
  );
}

function html(report: MonitorReport): string {
  const [head, ...body] = rows(report);
  // The first column names the measure: a row header, so screen readers announce it per cell.
  const headRow = `<tr><th scope="col">measure</th>${head!
    .slice(1)
    .map((c) => `<th scope="col">${escapeHtml(c)}</th>`)
    .join('')}</tr>`;
  const bodyRows = body
    .map(
      ([name, ...cells]) =>
        `<tr><th scope="row">${escapeHtml(name!)}</th>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`
    )
    .join('');
  const crossed = report.crossed.length
    ? `<h2>Thresholds crossed</h2><ul>${report.crossed.map((c) => `<li><span class="sev sev-${c.severity}">${c.severity}</span> ${escapeHtml(c.org)}: ${escapeHtml(c.threshold)} is ${escapeHtml(String(c.value))} (limit ${escapeHtml(String(c.limit))})</li>`).join('')}</ul>`
    : '<p>No threshold crossed.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Synthetic Data Guard monitor</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#181818}table{border-collapse:collapse}caption{text-align:left;font-weight:600;padding:.4rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}th[scope=row],thead th:first-child{text-align:left}
.sev{display:inline-block;padding:.1rem .4rem;border-radius:.25rem;font-weight:600;font-size:.8rem;color:#fff;text-transform:uppercase}
.sev-critical{background:#640103}.sev-high{background:#ba0517}.sev-medium{background:#8c4b02}.sev-low{background:#3e3e3c}.sev-info{background:#0b5cab}</style></head>
<body><main><h1>Synthetic Data Guard monitor</h1>
<table><caption>Each org and export, side by side</caption><thead>${headRow}</thead><tbody>${bodyRows}</tbody></table>
${crossed}
</main></body></html>
`;
}

function exportPolicy(dir: string): PolicySet {
  const file = path.join(dir, EXPORT_FILES.policy);
  return fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as PolicySet)
    : loadPackagePolicy(PROJECT_ROOT);
}

/** The org's open alerts, or null when it has no alert object yet (an older package version). */
async function openAlerts(api: SalesforceApi): Promise<number | null> {
  try {
    return await api.count(OPEN_ALERTS_SOQL);
  } catch (error) {
    if (error instanceof OrgApiError && error.errorCode === 'INVALID_TYPE') return null;
    throw error;
  }
}

/**
 * The limits the shipped alert rules set (Quarantine_SLA, Disclosure_Below_Floor,
 * Quarantine_Backlog): the monitor's defaults, so the CLI and the org page at the same point.
 */
export function shippedLimits(rules: AlertRule[]): { sla: number; floor: number; backlog: number } {
  const limit = (metric: string, fallback: number) =>
    rules.find((r) => r.active && r.kind === 'Threshold' && r.metric === metric)?.threshold ??
    fallback;
  return {
    sla: limit('Oldest_Quarantine_Days', 7),
    floor: limit('Disclosure_Rate', 95) / 100,
    backlog: limit('Quarantine_Backlog', 100)
  };
}

/**
 * `sdg monitor`: every org and export given, side by side, in the order given; exit 1 when a
 * threshold at or above --fail-on is crossed, so a scheduler can page on it.
 */
export async function runMonitor(
  options: MonitorOptions,
  io: CommandIo,
  connect: (org: string) => Promise<SalesforceApi> = connectOrg
): Promise<number> {
  return exitOnUserError(io, async () => {
    if (!options.targets.length)
      throw new UsageError(
        'Give what to monitor: --target-org <alias> and/or --from <export dir>, each repeatable.'
      );
    const failOn = severityOf(options.failOn ?? 'critical');
    if (!failOn)
      throw new UsageError(
        `--fail-on must be one of ${SEVERITIES.join(', ')} (error and warning are accepted for high and medium), got "${options.failOn}".`
      );
    const shipped = shippedLimits(loadPackageAlertRules(PROJECT_ROOT));
    const limits = {
      sla: number(options.slaDays, shipped.sla, '--sla-days'),
      floor: number(options.disclosureFloor, shipped.floor, '--disclosure-floor', 1),
      backlog: number(options.backlogMax, shipped.backlog, '--backlog-max')
    };
    const now = options.now ?? new Date().toISOString();
    if (Number.isNaN(Date.parse(now)))
      throw new UsageError(`--now must be an ISO 8601 date-time, got "${now}".`);
    const report: MonitorReport = { orgs: [], crossed: [] };
    for (const target of options.targets) {
      const metrics =
        target.kind === 'export'
          ? await measure(target.dir, folderSource(target.dir), exportPolicy(target.dir), now)
          : await withOrgErrors(target.alias, async () => {
              const api = await connect(target.alias);
              const source = await orgSource(api, {
                bulkThreshold: DEFAULT_BULK_THRESHOLD,
                progress: SILENT_PROGRESS
              });
              const metrics = await measure(target.alias, source, await readOrgPolicy(api), now);
              metrics.openAlerts = await openAlerts(api);
              return metrics;
            });
      report.orgs.push(metrics);
      report.crossed.push(...crossings(metrics, limits));
    }
    if (options.html) {
      makeFolder(path.dirname(path.resolve(options.html)));
      fs.writeFileSync(options.html, html(report));
    }
    if (options.json) io.out(JSON.stringify(report, null, 2));
    else {
      for (const line of table(report)) io.out(line);
      for (const c of report.crossed)
        io.out(
          `${c.severity.toUpperCase()}: ${c.org}: ${c.threshold} is ${String(c.value)} (limit ${String(c.limit)})`
        );
      if (options.html) io.out(`HTML: ${options.html}`);
    }
    return report.crossed.some((c) => atLeast(c.severity, failOn)) ? 1 : 0;
  });
}
