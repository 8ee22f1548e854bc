import { Alert, clip, WireSeverity, wireSeverity } from './alert';
import { isPlaybookLink } from './playbook-link';

/** Channels an alert can go to over HTTP (e-mail and Case are in-org only). */
export const CHANNELS = ['pagerduty', 'slack', 'teams', 'servicenow', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a builder needs besides the alert. */
export interface PayloadOptions {
  /** PagerDuty: the integration's routing key. */
  routingKey?: string;
}

const PRODUCT = 'Synthetic Data Guard';

const headline = (alert: Alert) =>
  `${alert.action === 'resolve' ? 'RESOLVED' : wireSeverity(alert.severity).toUpperCase()}: ${alert.ruleLabel}`;

const links = (alert: Alert) =>
  [
    alert.recordUrl ? { href: alert.recordUrl, text: 'Open the record' } : null,
    alert.playbookUrl && isPlaybookLink(alert.playbookUrl)
      ? { href: alert.playbookUrl, text: 'Playbook' }
      : null
  ].filter((l): l is { href: string; text: string } => l !== null);

/** A relative playbook path (no base URL set) as text: never where a channel expects a URL. */
const playbookNote = (alert: Alert): string | null =>
  alert.playbookUrl && !isPlaybookLink(alert.playbookUrl) ? `Playbook: ${alert.playbookUrl}` : null;

/** The facts every human-facing channel lists, in order. */
function facts(alert: Alert): [string, string][] {
  return [
    ['Severity', wireSeverity(alert.severity)],
    ['Object', alert.objectType ?? '—'],
    ['Records', alert.recordIds.length ? alert.recordIds.join(', ') : '—'],
    ['Reasons', alert.reasonCodes.length ? alert.reasonCodes.join(', ') : '—'],
    ['Occurrences', String(alert.count)],
    ['First seen', alert.firstSeen],
    ['Last seen', alert.lastSeen],
    ['Org', alert.org],
    ['Dedupe key', alert.dedupKey]
  ];
}

/** PagerDuty Events API v2 (Apex twin: `PagerDutyAlertPayload`): trigger, or resolve by dedup_key. */
export function pagerDutyPayload(alert: Alert, options: PayloadOptions): Record<string, unknown> {
  const base = {
    routing_key: options.routingKey ?? '',
    event_action: alert.action,
    dedup_key: alert.dedupKey
  };
  if (alert.action === 'resolve') return base;
  return {
    ...base,
    payload: {
      summary: clip(alert.summary, 1024),
      source: alert.org,
      severity: wireSeverity(alert.severity),
      timestamp: alert.lastSeen,
      component: alert.objectType,
      group: alert.rule,
      class: alert.reasonCodes.join(', '),
      custom_details: {
        rule: alert.ruleLabel,
        occurrences: alert.count,
        first_seen: alert.firstSeen,
        last_seen: alert.lastSeen,
        records: alert.recordIds,
        reason_codes: alert.reasonCodes,
        ...(playbookNote(alert) ? { playbook: alert.playbookUrl } : {})
      }
    },
    links: links(alert),
    client: PRODUCT
  };
}

/** Slack incoming webhook, Block Kit (Apex twin: `SlackAlertPayload`). */
export function slackPayload(alert: Alert): Record<string, unknown> {
  const note = playbookNote(alert);
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(headline(alert), 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(alert.summary, 3000) } },
    {
      type: 'section',
      fields: facts(alert)
        .slice(0, 8)
        .map(([name, value]) => ({ type: 'mrkdwn', text: clip(`*${name}*\n${value}`, 2000) }))
    },
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `${PRODUCT} · ${alert.dedupKey}` },
        ...(note ? [{ type: 'mrkdwn', text: clip(note, 3000) }] : [])
      ]
    }
  ];
  const buttons = links(alert).map((l) => ({
    type: 'button',
    text: { type: 'plain_text', text: l.text },
    url: l.href
  }));
  if (buttons.length) blocks.push({ type: 'actions', elements: buttons });
  return { text: clip(`${headline(alert)}: ${alert.summary}`, 3000), blocks };
}

/** Microsoft Teams incoming webhook (Workflows), an Adaptive Card (Apex twin: `TeamsAlertPayload`). */
export function teamsPayload(alert: Alert): Record<string, unknown> {
  const colour: Record<WireSeverity, string> = {
    critical: 'attention',
    error: 'attention',
    warning: 'warning',
    info: 'accent'
  };
  const note = playbookNote(alert);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              size: 'Large',
              weight: 'Bolder',
              wrap: true,
              color: alert.action === 'resolve' ? 'good' : colour[wireSeverity(alert.severity)],
              text: headline(alert)
            },
            { type: 'TextBlock', wrap: true, text: alert.summary },
            {
              type: 'FactSet',
              facts: facts(alert).map(([title, value]) => ({ title, value }))
            },
            ...(note ? [{ type: 'TextBlock', wrap: true, text: note }] : [])
          ],
          actions: links(alert).map((l) => ({ type: 'Action.OpenUrl', title: l.text, url: l.href }))
        }
      }
    ]
  };
}

/** ServiceNow Table API incident (Apex twin: `ServiceNowAlertPayload`). */
export function serviceNowPayload(alert: Alert): Record<string, unknown> {
  const level: Record<WireSeverity, string> = {
    critical: '1',
    error: '2',
    warning: '3',
    info: '3'
  };
  const wire = wireSeverity(alert.severity);
  const note = playbookNote(alert);
  if (alert.action === 'resolve')
    return {
      correlation_id: alert.dedupKey,
      state: '6',
      close_code: 'Resolved by caller',
      close_notes: clip(`${PRODUCT}: ${alert.ruleLabel} cleared. ${alert.summary}`, 4000)
    };
  return {
    short_description: clip(`[${wire}] ${alert.ruleLabel}: ${alert.summary}`, 160),
    description: [
      alert.summary,
      '',
      ...facts(alert).map(([name, value]) => `${name}: ${value}`),
      ...links(alert).map((l) => `${l.text}: ${l.href}`),
      ...(note ? [note] : [])
    ].join('\n'),
    impact: level[wire],
    urgency: level[wire],
    category: 'Security',
    correlation_id: alert.dedupKey,
    correlation_display: PRODUCT
  };
}

/**
 * A generic webhook event in the Standard Webhooks payload structure (type, timestamp, data);
 * the delivery signs it (Apex twin: `WebhookAlertPayload`).
 */
export function webhookPayload(alert: Alert): Record<string, unknown> {
  return {
    type: `synthetic_data.alert.${alert.action === 'resolve' ? 'resolved' : 'triggered'}`,
    timestamp: alert.lastSeen,
    data: { ...alert, severity: wireSeverity(alert.severity) }
  };
}

/** The body a channel receives for an alert. */
export function payloadFor(
  channel: Channel,
  alert: Alert,
  options: PayloadOptions = {}
): Record<string, unknown> {
  switch (channel) {
    case 'pagerduty':
      return pagerDutyPayload(alert, options);
    case 'slack':
      return slackPayload(alert);
    case 'teams':
      return teamsPayload(alert);
    case 'servicenow':
      return serviceNowPayload(alert);
    case 'webhook':
      return webhookPayload(alert);
  }
}
