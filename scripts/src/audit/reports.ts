import { stringify } from 'csv-stringify/sync';
import fs from 'node:fs';
import path from 'node:path';
import { makeFolder } from '../cli/paths';
import type { AuditResult } from './export-auditor';
import { atLeast, Finding, NOT_RUN_SEVERITY, NotRun, Severity } from './findings';

/** Report formats `sdg audit --format` accepts. */
export const REPORT_FORMATS = ['html', 'json', 'md', 'junit', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** File name of each format in the output folder. */
export const REPORT_FILES: Record<ReportFormat, string> = {
  html: 'audit-report.html',
  json: 'audit-report.json',
  md: 'audit-summary.md',
  junit: 'audit-junit.xml',
  csv: 'audit-findings.csv'
};

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * An ISO 8601 instant as people read it, with the time zone named: "1 June 2026, 12:00:00 UTC".
 * Always UTC, so a report reads the same wherever it is opened; the ISO text stays in the
 * `<time datetime>` attribute for machines. Text that is not an instant is returned as is.
 */
export function readableTime(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const date = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC'
  }).format(at);
  const time = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC'
  }).format(at);
  return `${date}, ${time} UTC`;
}

/** A `<time>` element: readable text, the exact instant in `datetime`. */
export function timeElement(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(readableTime(iso))}</time>`;
}

function escapeXml(text: string): string {
  return escapeHtml(text).replace(/'/g, '&apos;');
}

const STATUS_COLOURS: Record<string, string> = {
  '(blank)': '#c9c9c9',
  Authentic: '#2e844a',
  Disclosed: '#0176d3',
  Unreviewed: '#8e8e8e',
  Flagged: '#dd7a01',
  Quarantined: '#ba0517',
  Released: '#45c65a',
  Rejected: '#3e3e3c'
};

/** Stacked horizontal bars of records by status, one bar per object. */
function statusChart(result: AuditResult): string {
  const objects = Object.entries(result.objects);
  const max = Math.max(1, ...objects.map(([, s]) => s.records));
  const rowHeight = 34;
  const bars = objects
    .map(([object, stats], i) => {
      let x = 120;
      const segments = Object.entries(stats.byStatus)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([status, n]) => {
          const width = (n / max) * 440;
          const rect = `<rect x="${x.toFixed(1)}" y="${i * rowHeight + 8}" width="${width.toFixed(1)}" height="20" fill="${STATUS_COLOURS[status] ?? '#747474'}"><title>${escapeHtml(`${object}: ${n} ${status}`)}</title></rect>`;
          x += width;
          return rect;
        })
        .join('');
      return `<text x="0" y="${i * rowHeight + 23}">${escapeHtml(object)}</text>${segments}<text x="${(x + 6).toFixed(1)}" y="${i * rowHeight + 23}">${stats.records}</text>`;
    })
    .join('');
  const legend = Object.entries(STATUS_COLOURS)
    .map(
      ([status, colour], i) =>
        `<rect x="${(i % 4) * 150}" y="${objects.length * rowHeight + 16 + Math.floor(i / 4) * 22}" width="12" height="12" fill="${colour}"/><text x="${(i % 4) * 150 + 18}" y="${objects.length * rowHeight + 27 + Math.floor(i / 4) * 22}">${escapeHtml(status)}</text>`
    )
    .join('');
  const height = objects.length * rowHeight + 70;
  return `<svg role="img" aria-labelledby="status-title" viewBox="0 0 640 ${height}" width="640" height="${height}" class="chart"><title id="status-title">Records by synthetic status and object</title>${bars}${legend}</svg>`;
}

/** Vertical bars of quarantined records by age. */
function ageChart(result: AuditResult): string {
  const buckets = Object.entries(result.quarantineAges);
  const max = Math.max(1, ...buckets.map(([, n]) => n));
  const bars = buckets
    .map(([label, n], i) => {
      const height = (n / max) * 140;
      return `<rect x="${20 + i * 100}" y="${160 - height}" width="60" height="${height}" fill="#ba0517"><title>${escapeHtml(`${n} quarantined ${label}`)}</title></rect><text x="${50 + i * 100}" y="${152 - height}" text-anchor="middle">${n}</text><text x="${50 + i * 100}" y="180" text-anchor="middle">${escapeHtml(label)}</text>`;
    })
    .join('');
  return `<svg role="img" aria-labelledby="age-title" viewBox="0 0 640 190" width="640" height="190" class="chart"><title id="age-title">Quarantined records by age</title>${bars}</svg>`;
}

function findingRows(findings: Finding[]): string {
  if (findings.length === 0) return '<p>No findings.</p>';
  const rows = findings
    .map(
      (f) =>
        `<tr><td><span class="sev sev-${f.severity}">${f.severity}</span></td><td>${f.control}</td><td>${escapeHtml(f.title)}<div class="detail">${escapeHtml(f.detail)}</div>${f.recordIds.length ? `<details><summary>${f.recordIds.length} of ${f.count} record ids</summary><code>${f.recordIds.map(escapeHtml).join(' ')}</code></details>` : ''}</td><td class="num">${f.count}</td><td><code class="query">${escapeHtml(f.query)}</code></td></tr>`
    )
    .join('');
  return `<table><caption>Findings, most severe first</caption><thead><tr><th scope="col">Severity</th><th scope="col">Control</th><th scope="col">Finding</th><th scope="col">Records</th><th scope="col">Reproduce in the org (SOQL)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A single self-contained HTML page an auditor can open offline: no scripts, fonts or images from the network. */
export function renderHtml(result: AuditResult): string {
  const chain = result.chain
    ? result.chain.intact
      ? `Intact: ${result.chain.events} events, head <code>${result.chain.head ?? ''}</code>; ${result.chain.checkpoints.valid} of ${result.chain.checkpoints.total} checkpoints signature-verified.`
      : `<strong>Broken</strong> at event ${result.chain.firstBreak?.sequence} (${result.chain.firstBreak?.kind}).`
    : 'No audit events in this export.';
  const mark = { passed: '✔', failed: '✖', 'not-run': '○' } as const;
  const controls = result.controls
    .map((c) => {
      const status = c.status ?? (c.passed ? 'passed' : 'failed');
      const gaps = (c.notRun ?? [])
        .map((g) => `${g.object ?? 'export'}: ${g.reason}${g.allowed ? ' (allowed)' : ''}`)
        .join('; ');
      const tail =
        status === 'failed'
          ? ` — worst finding <span class="sev sev-${c.worst}">${c.worst}</span>`
          : status === 'not-run'
            ? ' — <strong>not run</strong>'
            : '';
      return `<li class="${status}"><span class="mark" aria-hidden="true">${mark[status]}</span> <strong>${c.id}</strong> ${escapeHtml(c.title)}${status === 'not-run' ? '' : ` <span class="status">(${status})</span>`}${tail}${gaps ? `<div class="detail">Not run on ${escapeHtml(gaps)}</div>` : ''}</li>`;
    })
    .join('');
  const records = Object.values(result.objects).reduce((n, o) => n + o.records, 0);
  const bare = Object.values(result.objects).reduce((n, o) => n + (o.withoutProvenance ?? 0), 0);
  const files = (result.files ?? [])
    .map(
      (f) =>
        `<tr><td><code>${escapeHtml(f.name)}</code></td><td>${escapeHtml(f.object ?? 'not read')}</td><td>${escapeHtml(f.object ? f.how : (f.note ?? ''))}</td></tr>`
    )
    .join('');
  const inventory = files
    ? `<h2>Export files</h2><table><caption>Each file and how its object was decided</caption><thead><tr><th scope="col">File</th><th scope="col">Object</th><th scope="col">Decided by</th></tr></thead><tbody>${files}</tbody></table>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Synthetic Data Guard audit report</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#181818;max-width:1200px}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.9rem}caption{text-align:left;font-weight:600;padding:.4rem 0}
th,td{border:1px solid #ddd;padding:.4rem;vertical-align:top;text-align:left}td.num{text-align:right}
.sev{display:inline-block;padding:.1rem .4rem;border-radius:.25rem;font-weight:600;font-size:.8rem;color:#fff;text-transform:uppercase;letter-spacing:.02em}
.sev-critical{background:#640103}.sev-high{background:#ba0517}.sev-medium{background:#8c4b02}.sev-low{background:#3e3e3c}.sev-info{background:#0b5cab}
.detail{color:#444;font-size:.85rem;margin-top:.2rem}code.query{font-size:.75rem;word-break:break-word}
ul.controls{list-style:none;padding:0}ul.controls li{padding:.2rem 0}.status{color:#444}
.passed .mark{color:#2e844a}.failed .mark{color:#ba0517}.not-run .mark{color:#8c4b02}
.chart text{font-size:12px;fill:#181818}.meta{color:#444}
</style></head><body><main>
<h1>Synthetic Data Guard audit report</h1>
<p class="meta">Source: <code>${escapeHtml(result.source)}</code> · ${result.rows} rows read · ages measured at ${timeElement(result.now)}${result.clock ? ` (${escapeHtml(result.clock)})` : ''} · generated ${timeElement(result.generatedAt)}</p>
<p>Provenance coverage: ${records - bare} of ${records} records carry provenance; ${bare} carry none.</p>
<h2>Controls</h2><ul class="controls">${controls}</ul>${inventory}
<h2>Audit chain</h2><p>${chain}</p>
<h2>Records by status</h2>${statusChart(result)}
<h2>Quarantine age</h2><p>Oldest quarantined record: ${result.oldestQuarantineDays ?? 'none'} days. ${escapeHtml(entrySourcesText(result))}</p>${ageChart(result)}
<h2>Findings</h2>${findingRows(result.findings)}
<p class="meta">No AI marker or signal is not proof that content is authentic.</p>
</main></body></html>
`;
}

/**
 * Where the quarantine ages were measured from: "Entry into quarantine dated by audit events 2,
 * CreatedDate 1; 1 not dated." (the review SLA runs from when a record entered its status).
 */
export function entrySourcesText(result: AuditResult): string {
  const sources = Object.entries(result.quarantineAgeSources ?? {}).map(([s, n]) => `${s} ${n}`);
  const unknown = result.quarantineAgeUnknown ?? 0;
  if (!sources.length && !unknown) return '';
  return `Entry into quarantine dated by ${sources.join(', ') || 'nothing'}${unknown ? `; ${unknown} not dated (no event or date field)` : ''}.`;
}

/** A Markdown summary for CI step summaries and pull requests. */
export function renderMarkdown(result: AuditResult, failOn: Severity): string {
  const failing = result.findings.filter((f) => atLeast(f.severity, failOn));
  const blocking = countsNotRun(failOn) ? result.notRun.filter((g) => !g.allowed) : [];
  const verdict =
    failing.length === 0 && blocking.length === 0
      ? '✅ passed'
      : `❌ ${failing.length} finding(s) at or above ${failOn}${blocking.length ? `, ${blocking.length} control gap(s) not run` : ''}`;
  const lines = [
    `## Synthetic Data Guard audit: ${verdict}`,
    '',
    `${result.rows} rows read from \`${result.source}\`. Audit chain: ${result.chain ? (result.chain.intact ? `intact (${result.chain.events} events)` : `**broken at event ${result.chain.firstBreak?.sequence} (${result.chain.firstBreak?.kind})**`) : 'not in export'}.`,
    '',
    ...(entrySourcesText(result) ? [entrySourcesText(result), ''] : []),
    '| Object | Records | Synthetic | Quarantined | Flagged |',
    '|---|---:|---:|---:|---:|',
    ...Object.entries(result.objects).map(
      ([o, s]) =>
        `| ${o} | ${s.records} | ${s.synthetic} | ${s.byStatus.Quarantined ?? 0} | ${s.byStatus.Flagged ?? 0} |`
    ),
    '',
    '| Severity | Control | Finding | Records |',
    '|---|---|---|---:|',
    ...result.findings.map(
      (f) => `| ${f.severity} | ${f.control} | ${f.title.replace(/\|/g, '\\|')} | ${f.count} |`
    ),
    '',
    ...(result.notRun.length
      ? [
          '| Not run | On | Why |',
          '|---|---|---|',
          ...result.notRun.map(
            (g) =>
              `| ${g.control} | ${g.object ?? 'export'} | ${g.reason.replace(/\|/g, '\\|')}${g.allowed ? ' (allowed)' : ''} |`
          ),
          ''
        ]
      : [])
  ];
  return lines.join('\n');
}

/** JUnit XML: one test case per control, failed when a finding at or above `failOn` belongs to it. */
export function renderJunit(result: AuditResult, failOn: Severity): string {
  const cases = result.controls.map((control) => {
    const failing = result.findings.filter(
      (f) => f.control === control.id && atLeast(f.severity, failOn)
    );
    const gaps = result.notRun.filter((g) => g.control === control.id && g.object === null);
    const skipped =
      !failing.length && gaps.length
        ? `<skipped message="${escapeXml(`not run: ${gaps.map((g) => `${g.reason}${g.allowed ? ' (allowed)' : ''}`).join('; ')}`)}"/>`
        : '';
    const body = skipped
      ? skipped
      : failing.length
        ? `<failure message="${escapeXml(failing.map((f) => `${f.severity}: ${f.title} (${f.count})`).join('; '))}">${escapeXml(failing.map((f) => `${f.title}\n${f.detail}\n${f.query}`).join('\n\n'))}</failure>`
        : '';
    return `  <testcase classname="SyntheticDataGuard.${control.id}" name="${escapeXml(control.title)}">${body}</testcase>`;
  });
  const failures = cases.filter((c) => c.includes('<failure')).length;
  const skipped = cases.filter((c) => c.includes('<skipped')).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="Synthetic Data Guard audit" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" timestamp="${result.generatedAt}">\n${cases.join('\n')}\n</testsuite>\n`;
}

/** Findings as CSV, one row per finding. */
export function renderCsv(result: AuditResult): string {
  const notRun = (g: NotRun) => [
    'not-run',
    g.control,
    g.object ?? '',
    `${g.title}: not run`,
    '',
    '',
    '',
    `${g.reason}${g.allowed ? ' (allowed with --allow-missing)' : ''}`
  ];
  return stringify(
    [
      ...result.findings.map((f) => [
        f.severity,
        f.control,
        f.object ?? '',
        f.title,
        f.count,
        f.recordIds.join(' '),
        f.query,
        f.detail
      ]),
      ...result.notRun.map(notRun)
    ],
    {
      header: true,
      columns: ['severity', 'control', 'object', 'title', 'count', 'record_ids', 'query', 'detail']
    }
  );
}

/** Whether controls not run count against `failOn` (they count as high). */
export function countsNotRun(failOn: Severity): boolean {
  return atLeast(NOT_RUN_SEVERITY, failOn);
}

/** Writes the chosen formats into `dir`; returns the paths written. */
export function writeReports(
  result: AuditResult,
  dir: string,
  formats: ReportFormat[],
  failOn: Severity
): string[] {
  makeFolder(dir);
  const render: Record<ReportFormat, () => string> = {
    html: () => renderHtml(result),
    json: () => `${JSON.stringify(result, null, 2)}\n`,
    md: () => renderMarkdown(result, failOn),
    junit: () => renderJunit(result, failOn),
    csv: () => renderCsv(result)
  };
  return formats.map((format) => {
    const file = path.join(dir, REPORT_FILES[format]);
    fs.writeFileSync(file, render[format]());
    return file;
  });
}
