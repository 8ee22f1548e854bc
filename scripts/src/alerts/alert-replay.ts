import type { AuditSource } from '../audit/audit-source';
import { folderSource } from '../audit/audit-source';
import { field } from '../audit/record-reader';
import { exitOnUserError, UsageError } from '../cli/errors';
import type { CommandIo } from '../cli/io';
import { measure } from '../monitor/org-metrics';
import { loadPackagePolicy, PolicySet } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { PROVENANCE_FIELDS } from '../provenance-model/schema';
import { OBJECT_ORDER } from '../seed/export-layout';
import { loadPackageAlertRules, readRuleFile } from './alert-rule-source';
import { AlertFolder, AlertRule, crosses, evaluateThresholds, RaisedAlert } from './alert-rules';

/** Options of `sdg alerts replay`. */
export interface ReplayOptions {
  from?: string;
  rules?: string;
  json?: boolean;
  now?: string;
}

/** `sdg alerts replay --json`. */
export interface ReplayReport {
  from: string;
  /** The rule file, or "package" for the shipped rule records. */
  rules: string;
  now: string;
  events: number;
  alerts: RaisedAlert[];
}

const HOUR_MS = 3_600_000;

/**
 * Which alerts an export would have raised, deduplicated as the org does: Event rules over the
 * audit events in chain order; the hourly volume per source over the records' CreatedDate; the
 * backlog, its oldest age and the disclosure rate as of `now`; chain-break rules if the chain
 * does not verify. Streams the export; memory grows with hours × sources, not with records.
 */
export async function replay(
  source: AuditSource,
  rules: AlertRule[],
  policy: PolicySet,
  now: string
): Promise<{ events: number; alerts: RaisedAlert[] }> {
  const folder = new AlertFolder(rules);
  let events = 0;
  const stream = source.events();
  if (stream)
    for await (const event of stream) {
      events++;
      folder.push(event);
    }

  const volumeRules = rules.filter(
    (r) => r.active && r.kind === 'Threshold' && r.metric === 'Synthetic_Per_Source_Hour'
  );
  if (volumeRules.length) {
    const perHour = new Map<number, Map<string, number>>();
    for (const object of OBJECT_ORDER) {
      const rows = source.records(object);
      if (!rows) continue;
      for await (const row of rows) {
        if (field(row, PROVENANCE_FIELDS.syntheticData).toLowerCase() !== 'true') continue;
        const created = Date.parse(field(row, 'CreatedDate'));
        if (Number.isNaN(created)) continue;
        const hour = Math.floor(created / HOUR_MS) * HOUR_MS;
        const sources = perHour.get(hour) ?? new Map<string, number>();
        const name = field(row, PROVENANCE_FIELDS.provenanceSource).trim() || 'unknown';
        sources.set(name, (sources.get(name) ?? 0) + 1);
        perHour.set(hour, sources);
      }
    }
    for (const hour of [...perHour.keys()].sort((a, b) => a - b)) {
      const at = new Date(hour).toISOString();
      for (const [name, count] of [...(perHour.get(hour) ?? [])].sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0
      ))
        for (const rule of volumeRules)
          if (crosses(rule, count))
            folder.add(rule, `${rule.name}:${name}`, at, null, { codes: [] });
    }
  }

  const metrics = await measure(source.label, source, policy, now);
  if (metrics.chain && !metrics.chain.intact) folder.chainBroken(now);
  const stateRules = rules.filter((r) => r.metric !== 'Synthetic_Per_Source_Hour');
  const changes = evaluateThresholds(
    stateRules,
    {
      perSourceHour: {},
      quarantineBacklog: metrics.quarantineBacklog,
      oldestQuarantineDays: metrics.oldestQuarantineDays,
      // The rules write the floor in percent; the monitor measures a share.
      disclosureRate:
        metrics.disclosureRate === null ? null : Math.round(metrics.disclosureRate * 10_000) / 100
    },
    new Set()
  );
  for (const change of changes) folder.add(change.rule, change.dedupKey, now, null, { codes: [] });
  return { events, alerts: folder.alerts };
}

function recordsText(records: string[]): string {
  if (!records.length) return '—';
  const shown = records.slice(0, 3).join(', ');
  return records.length > 3 ? `${shown} … ${records.length - 3} more` : shown;
}

/** `sdg alerts replay`: exit 0 (alerts or not), 2 bad input. */
export async function runAlertsReplay(options: ReplayOptions, io: CommandIo): Promise<number> {
  return exitOnUserError(io, async () => {
    if (!options.from) throw new UsageError('--from <export dir> is required.');
    const now = options.now ?? new Date().toISOString();
    if (Number.isNaN(Date.parse(now)))
      throw new UsageError(`--now must be an ISO 8601 time, got "${options.now}".`);
    const rules = options.rules ? readRuleFile(options.rules) : loadPackageAlertRules(PROJECT_ROOT);
    const source = folderSource(options.from);
    const result = await replay(source, rules, loadPackagePolicy(PROJECT_ROOT), now);
    const report: ReplayReport = {
      from: options.from,
      rules: options.rules ?? 'package',
      now,
      events: result.events,
      alerts: result.alerts
    };
    if (options.json) {
      io.out(JSON.stringify(report, null, 2));
      return 0;
    }
    const active = rules.filter((r) => r.active).length;
    io.out(
      `Replayed ${active} active rule(s) from ${report.rules === 'package' ? 'the package' : report.rules} over ${options.from} (${result.events} audit events, as of ${now}): ${result.alerts.length} alert(s) would have fired.`
    );
    for (const alert of result.alerts)
      io.out(
        `  ${alert.severity.toUpperCase().padEnd(8)} ${alert.dedupKey}  ×${alert.count}  ${alert.firstSeen}${alert.lastSeen !== alert.firstSeen ? ` → ${alert.lastSeen}` : ''}  records: ${recordsText(alert.records)}`
      );
    return 0;
  });
}
