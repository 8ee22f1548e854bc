import { createElement } from 'lwc';
import SyntheticAlertAdmin from 'c/syntheticAlertAdmin';
import getOverview from '@salesforce/apex/SyntheticAlertAdminController.getOverview';
import sendTestAlert from '@salesforce/apex/SyntheticAlertAdminController.sendTestAlert';
import { navigated } from 'lightning/navigation';

jest.mock(
  '@salesforce/apex/SyntheticAlertAdminController.getOverview',
  () => ({ default: jest.fn() }),
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/SyntheticAlertAdminController.sendTestAlert',
  () => ({ default: jest.fn() }),
  { virtual: true }
);

const deepfake = {
  id: 'a0A000000000001AAA',
  name: 'AL-000042',
  rule: 'Deepfake media quarantined',
  severity: 'critical',
  status: 'Open',
  summary: 'Deepfake media quarantined: 200 occurrence(s) on Lead (MEDIA_AI_MARKER)',
  occurrences: 200,
  lastSeen: '2026-11-20T09:30:00.000Z',
  deliveryStatus: 'Partially Failed',
  objectType: 'Lead',
  reviewRecordId: '00Q000000000001AAA',
  playbookUrl: 'https://example.com/docs/alerts.md#deepfake-media-quarantined',
  playbookIsLink: true,
  deliveries: [
    {
      id: 'a0B000000000001AAA',
      channel: 'PagerDuty',
      action: 'trigger',
      state: 'Delivered',
      attempts: 1,
      lastStatus: 202,
      lastError: null
    },
    {
      id: 'a0B000000000002AAA',
      channel: 'Slack',
      action: 'trigger',
      state: 'Failed',
      attempts: 5,
      lastStatus: 500,
      lastError: 'HTTP 500 from Slack'
    },
    {
      id: 'a0B000000000003AAA',
      channel: 'Teams',
      action: 'trigger',
      state: 'Skipped',
      attempts: 0,
      lastStatus: null,
      lastError: 'Alert channel Teams is not active'
    }
  ]
};
const backlog = {
  ...deepfake,
  id: 'a0A000000000002AAA',
  name: 'AL-000041',
  rule: 'Quarantine backlog',
  severity: 'warning',
  objectType: null,
  reviewRecordId: null,
  playbookUrl: null,
  deliveries: []
};
const channel = (name, active, extra = {}) => ({
  name,
  label: `${name} channel`,
  active,
  type: name,
  target: `Synthetic_Alert_${name}`,
  maxAttempts: 5,
  activeRules: 2,
  ...extra
});
const overview = (extra = {}) => ({
  alerts: [deepfake, backlog],
  channels: [channel('PagerDuty', true), channel('Slack', false)],
  rules: [
    {
      name: 'Deepfake_Media_Quarantined',
      label: 'Deepfake media quarantined',
      active: true,
      kind: 'Event',
      severity: 'critical',
      channels: 'PagerDuty, Slack, Incident_Case',
      dedupeWindowMinutes: 60,
      threshold: null,
      playbookUrl: 'https://example.com/docs/alerts.md#deepfake-media-quarantined',
      playbookIsLink: true
    },
    {
      name: 'Quarantine_Backlog',
      label: 'Quarantine backlog',
      active: false,
      kind: 'Threshold',
      severity: 'warning',
      channels: 'Slack',
      dedupeWindowMinutes: 1440,
      threshold: 'Quarantine_Backlog 500',
      playbookUrl: null
    }
  ],
  canSendTest: true,
  ...extra
});

// Several microtask turns: a mocked Apex promise, the component's await, then the re-render.
const flush = () =>
  [1, 2, 3, 4, 5].reduce((turn) => turn.then(() => Promise.resolve()), Promise.resolve());

function mount(props = {}) {
  const element = createElement('c-synthetic-alert-admin', { is: SyntheticAlertAdmin });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const text = (node) => node.textContent.replace(/\s+/g, ' ').trim();

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe('c-synthetic-alert-admin', () => {
  it('shows a spinner while the page loads', async () => {
    getOverview.mockReturnValue(new Promise(() => {}));
    const element = mount();
    expect($(element, 'lightning-spinner').alternativeText).toBe('c.SDG_Alerts_Admin_Loading');
    expect($(element, 'section')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('lists recent alerts with each channel delivery, channels and rules', async () => {
    getOverview.mockResolvedValue(overview());
    const element = mount({ alertLimit: 20 });
    await flush();
    expect(getOverview).toHaveBeenCalledWith({ alertLimit: 20 });
    expect($(element, 'lightning-spinner')).toBeNull();

    const rows = $$(element, '[data-id="alerts"] tbody tr');
    expect(rows.map((row) => row.dataset.alert)).toEqual([deepfake.id, backlog.id]);
    expect(rows[0].querySelector('a').getAttribute('href')).toBe(`/${deepfake.id}`);
    expect(rows[0].querySelector('td span').className).toContain('slds-theme_error');
    const deliveries = [...rows[0].querySelectorAll('li')].map(text);
    // Labels are their names in jest; a problem is its own line under the delivery's badge.
    // One attempt in the singular, five in the plural: never "attempt(s)".
    expect(deliveries).toEqual([
      'c.SDG_Alerts_Admin_Delivery_One',
      'c.SDG_Alerts_Admin_Delivery_ManyHTTP 500 from Slack',
      'Teams: SkippedAlert channel Teams is not active'
    ]);
    expect(text(rows[0].querySelector('td span'))).toBe('c.SDG_Severity_Critical');
    expect(rows[0].querySelector('li span').className).toContain('slds-theme_success');
    expect(rows[0].querySelector('a[target="_blank"]').getAttribute('href')).toBe(
      deepfake.playbookUrl
    );
    expect(rows[1].querySelector('lightning-button')).toBeNull();

    const channels = $$(element, '[data-id="channels"] tbody tr');
    expect(channels.map((row) => row.dataset.channel)).toEqual(['PagerDuty', 'Slack']);
    const [pagerDuty, slack] = channels.map((row) => row.querySelector('lightning-button'));
    expect(pagerDuty.disabled).toBe(false);
    expect(slack.disabled).toBe(true);
    expect(slack.title).toBe('c.SDG_Alerts_Admin_Send_Test_Hint');
    expect(text(channels[1])).toContain('c.SDG_Alerts_Admin_Inactive');

    const rules = $$(element, '[data-id="rules"] tbody tr');
    expect(rules.map((row) => row.dataset.rule)).toEqual([
      'Deepfake_Media_Quarantined',
      'Quarantine_Backlog'
    ]);
    expect(text(rules[1])).toContain('Quarantine_Backlog 500');
    expect(text(rules[1])).toContain('c.SDG_Alerts_Admin_Inactive');
    // API names stay in tooltips: the rule's and channel's labels are what people read.
    expect(text(rules[0])).not.toContain('Deepfake_Media_Quarantined');
    expect(rules[0].querySelector('th').title).toBe('Deepfake_Media_Quarantined');
    expect(text(channels[0].querySelector('th'))).toBe('PagerDuty channel');
    expect(channels[0].querySelector('th').title).toBe('PagerDuty');
    expect($(element, 'lightning-card').iconName).toBe('standard:incident');
    await expect(element).toBeAccessible();
  });

  it('names channels by their labels in deliveries and rules, and severities by label', async () => {
    getOverview.mockResolvedValue(
      overview({
        channels: [
          channel('PagerDuty', true),
          channel('Slack', false),
          channel('Incident_Case', true, { label: 'Case in the incident queue' })
        ]
      })
    );
    const element = mount();
    await flush();
    const rules = $$(element, '[data-id="rules"] tbody tr');
    expect(text(rules[0])).toContain(
      'PagerDuty channel, Slack channel, Case in the incident queue'
    );
    expect(text(rules[0])).not.toContain('Incident_Case');
    expect(text(rules[0])).toContain('c.SDG_Severity_Critical');
  });

  it('shows a relative playbook path as text, never as a link', async () => {
    const relative = 'docs/alerts.md#playbook-backlog';
    const base = overview();
    getOverview.mockResolvedValue({
      ...base,
      alerts: [{ ...backlog, playbookUrl: relative, playbookIsLink: false }],
      rules: [
        { ...base.rules[1], playbookUrl: relative, playbookIsLink: false },
        // A value the Apex twin did not call a link stays text even if it looks like one.
        {
          ...base.rules[0],
          playbookUrl: 'ftp://runbooks.example.org/backlog',
          playbookIsLink: false
        }
      ]
    });
    const element = mount();
    await flush();

    const [alertRow] = $$(element, '[data-id="alerts"] tbody tr');
    expect(alertRow.querySelector('a[target="_blank"]')).toBeNull();
    expect(text(alertRow.querySelector('[data-id="playbook-path"]'))).toBe(
      `c.SDG_Alerts_Admin_Playbook: ${relative}`
    );
    const rules = $$(element, '[data-id="rules"] tbody tr');
    expect(rules[0].querySelector('th a')).toBeNull();
    expect(text(rules[0].querySelector('th'))).toContain('Quarantine backlog');
    expect(text(rules[0].querySelector('[data-id="playbook-path"]'))).toBe(
      `c.SDG_Alerts_Admin_Playbook: ${relative}`
    );
    expect(rules[1].querySelector('th a')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('opens a critical alert record in the review queue', async () => {
    getOverview.mockResolvedValue(overview());
    const element = mount();
    await flush();
    const review = $(element, `tr[data-alert="${deepfake.id}"] lightning-button`);
    expect(review.label).toBe('c.SDG_Alerts_Admin_Review');
    expect(review.variant).toBe('brand');
    review.click();
    expect(navigated).toHaveBeenCalledWith({
      type: 'standard__navItemPage',
      attributes: { apiName: 'Synthetic_Review_Queue' },
      state: { c__recordId: deepfake.reviewRecordId, c__object: 'Lead' }
    });
  });

  it('sends a test alert on an active channel, says so and reloads', async () => {
    getOverview.mockResolvedValue(overview());
    sendTestAlert.mockResolvedValue({ id: 'a0A000000000009AAA', severity: 'info' });
    const element = mount();
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);
    await flush();
    $(element, 'tr[data-channel="PagerDuty"] lightning-button').click();
    await flush();
    expect(sendTestAlert).toHaveBeenCalledWith({ channelName: 'PagerDuty' });
    expect(toasts.mock.calls[0][0].detail).toMatchObject({
      variant: 'success',
      message: 'c.SDG_Alerts_Admin_Test_Sent'
    });
    expect(getOverview).toHaveBeenCalledTimes(2);
  });

  it('shows why a test alert was refused', async () => {
    getOverview.mockResolvedValue(overview());
    sendTestAlert.mockRejectedValue({ body: { message: 'Alert channel PagerDuty is not active' } });
    const element = mount();
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);
    await flush();
    $(element, 'tr[data-channel="PagerDuty"] lightning-button').click();
    await flush();
    expect(toasts.mock.calls[0][0].detail).toMatchObject({
      variant: 'error',
      title: 'c.SDG_Alerts_Admin_Test_Failed',
      message: 'Alert channel PagerDuty is not active'
    });
    expect($(element, 'tr[data-channel="PagerDuty"] lightning-button').disabled).toBe(false);
  });

  it('disables every test button for users who may not send one', async () => {
    getOverview.mockResolvedValue(overview({ canSendTest: false }));
    const element = mount();
    await flush();
    const buttons = $$(element, '[data-id="channels"] lightning-button');
    expect(buttons.map((button) => button.disabled)).toEqual([true, true]);
  });

  it('says what to do when there are no alerts, channels or rules', async () => {
    getOverview.mockResolvedValue({ alerts: [], channels: [], rules: [], canSendTest: true });
    const element = mount({ alertLimit: 'many' });
    await flush();
    expect(getOverview).toHaveBeenCalledWith({ alertLimit: 50 });
    expect(text($(element, '[data-id="no-alerts"]'))).toBe('c.SDG_Alerts_Admin_No_Alerts');
    expect(text($(element, '[data-id="no-channels"]'))).toBe('c.SDG_Alerts_Admin_No_Channels');
    expect(text($(element, '[data-id="no-rules"]'))).toBe('c.SDG_Alerts_Admin_No_Rules');
    expect($(element, 'table')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows the server error, then recovers on refresh', async () => {
    getOverview
      .mockRejectedValueOnce({ body: { message: 'Insufficient access to Synthetic_Alert__c' } })
      .mockResolvedValueOnce(overview());
    const element = mount();
    await flush();
    expect(text($(element, '[data-id="error"]'))).toBe('Insufficient access to Synthetic_Alert__c');
    expect($(element, 'section')).toBeNull();
    await expect(element).toBeAccessible();
    $(element, 'lightning-button-icon').click();
    await flush();
    expect($(element, '[data-id="error"]')).toBeNull();
    expect($$(element, '[data-id="alerts"] tbody tr')).toHaveLength(2);
  });

  it('falls back to a generic message for errors without a body', async () => {
    getOverview.mockRejectedValue(new Error('network'));
    const element = mount();
    await flush();
    expect(text($(element, '[data-id="error"]'))).toBe('c.SDG_Alerts_Admin_Load_Error');
  });
});
