import { LightningElement, api } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getOverview from '@salesforce/apex/SyntheticAlertAdminController.getOverview';
import sendTestAlert from '@salesforce/apex/SyntheticAlertAdminController.sendTestAlert';
import TITLE from '@salesforce/label/c.SDG_Alerts_Admin_Title';
import REFRESH from '@salesforce/label/c.SDG_Alerts_Admin_Refresh';
import LOADING from '@salesforce/label/c.SDG_Alerts_Admin_Loading';
import LOAD_ERROR from '@salesforce/label/c.SDG_Alerts_Admin_Load_Error';
import RECENT from '@salesforce/label/c.SDG_Alerts_Admin_Recent';
import NO_ALERTS from '@salesforce/label/c.SDG_Alerts_Admin_No_Alerts';
import CHANNELS from '@salesforce/label/c.SDG_Alerts_Admin_Channels';
import NO_CHANNELS from '@salesforce/label/c.SDG_Alerts_Admin_No_Channels';
import RULES from '@salesforce/label/c.SDG_Alerts_Admin_Rules';
import NO_RULES from '@salesforce/label/c.SDG_Alerts_Admin_No_Rules';
import ACTIVE from '@salesforce/label/c.SDG_Alerts_Admin_Active';
import INACTIVE from '@salesforce/label/c.SDG_Alerts_Admin_Inactive';
import SEND_TEST from '@salesforce/label/c.SDG_Alerts_Admin_Send_Test';
import SEND_TEST_HINT from '@salesforce/label/c.SDG_Alerts_Admin_Send_Test_Hint';
import TEST_SENT from '@salesforce/label/c.SDG_Alerts_Admin_Test_Sent';
import TEST_FAILED from '@salesforce/label/c.SDG_Alerts_Admin_Test_Failed';
import REVIEW from '@salesforce/label/c.SDG_Alerts_Admin_Review';
import PLAYBOOK from '@salesforce/label/c.SDG_Alerts_Admin_Playbook';
import COL_ALERT from '@salesforce/label/c.SDG_Alerts_Admin_Col_Alert';
import COL_SEVERITY from '@salesforce/label/c.SDG_Alerts_Admin_Col_Severity';
import COL_STATUS from '@salesforce/label/c.SDG_Alerts_Admin_Col_Status';
import COL_SUMMARY from '@salesforce/label/c.SDG_Alerts_Admin_Col_Summary';
import COL_OCCURRENCES from '@salesforce/label/c.SDG_Alerts_Admin_Col_Occurrences';
import COL_LAST_SEEN from '@salesforce/label/c.SDG_Alerts_Admin_Col_Last_Seen';
import COL_DELIVERIES from '@salesforce/label/c.SDG_Alerts_Admin_Col_Deliveries';
import COL_CHANNEL from '@salesforce/label/c.SDG_Alerts_Admin_Col_Channel';
import COL_TYPE from '@salesforce/label/c.SDG_Alerts_Admin_Col_Type';
import COL_TARGET from '@salesforce/label/c.SDG_Alerts_Admin_Col_Target';
import COL_RULES_USING from '@salesforce/label/c.SDG_Alerts_Admin_Col_Rules_Using';
import COL_MAX_ATTEMPTS from '@salesforce/label/c.SDG_Alerts_Admin_Col_Max_Attempts';
import COL_RULE from '@salesforce/label/c.SDG_Alerts_Admin_Col_Rule';
import COL_KIND from '@salesforce/label/c.SDG_Alerts_Admin_Col_Kind';
import COL_CHANNELS from '@salesforce/label/c.SDG_Alerts_Admin_Col_Channels';
import COL_WINDOW from '@salesforce/label/c.SDG_Alerts_Admin_Col_Window';
import COL_THRESHOLD from '@salesforce/label/c.SDG_Alerts_Admin_Col_Threshold';
import DELIVERY_ONE from '@salesforce/label/c.SDG_Alerts_Admin_Delivery_One';
import DELIVERY_MANY from '@salesforce/label/c.SDG_Alerts_Admin_Delivery_Many';
import {
  CARD_ICONS,
  DATE_TIME,
  format,
  formatNumber,
  plural,
  severityLabel
} from 'c/syntheticDisplay';

const SEVERITY_THEME = {
  critical: 'slds-badge slds-theme_error',
  error: 'slds-badge slds-theme_error',
  warning: 'slds-badge slds-theme_warning',
  info: 'slds-badge slds-badge_lightest'
};
const STATE_THEME = {
  Delivered: 'slds-badge slds-theme_success',
  Failed: 'slds-badge slds-theme_error',
  Retrying: 'slds-badge slds-theme_warning',
  Pending: 'slds-badge',
  Skipped: 'slds-badge slds-badge_lightest'
};
/** The review queue's tab (console/tabs/Synthetic_Review_Queue). */
const REVIEW_QUEUE_TAB = 'Synthetic_Review_Queue';

const activeBadge = (active) => ({
  text: active ? ACTIVE : INACTIVE,
  className: active ? 'slds-badge slds-theme_success' : 'slds-badge slds-badge_lightest'
});

/**
 * The alert admin page: the recent alerts with every channel's delivery (and, for alerts about
 * a governed record, a link that opens it in the review queue), the channels with a test alert
 * each, and the rules. Rules and channels are custom metadata, edited in Setup; this page shows
 * what is in force. Sending a test alert needs Administer_Synthetic_Policy; the server checks it.
 */
export default class SyntheticAlertAdmin extends NavigationMixin(LightningElement) {
  /** App Builder: how many recent alerts to show (1-200). */
  @api alertLimit = 50;

  overview;
  loading = true;
  error;
  sending = null;

  labels = {
    title: TITLE,
    refresh: REFRESH,
    loading: LOADING,
    recent: RECENT,
    noAlerts: NO_ALERTS,
    channels: CHANNELS,
    noChannels: NO_CHANNELS,
    rules: RULES,
    noRules: NO_RULES,
    sendTest: SEND_TEST,
    sendTestHint: SEND_TEST_HINT,
    review: REVIEW,
    playbook: PLAYBOOK,
    colAlert: COL_ALERT,
    colSeverity: COL_SEVERITY,
    colStatus: COL_STATUS,
    colSummary: COL_SUMMARY,
    colOccurrences: COL_OCCURRENCES,
    colLastSeen: COL_LAST_SEEN,
    colDeliveries: COL_DELIVERIES,
    colChannel: COL_CHANNEL,
    colType: COL_TYPE,
    colTarget: COL_TARGET,
    colRulesUsing: COL_RULES_USING,
    colMaxAttempts: COL_MAX_ATTEMPTS,
    colRule: COL_RULE,
    colKind: COL_KIND,
    colChannels: COL_CHANNELS,
    colWindow: COL_WINDOW,
    colThreshold: COL_THRESHOLD
  };

  connectedCallback() {
    this.load();
  }

  get limit() {
    const n = Number(this.alertLimit);
    return Number.isInteger(n) && n > 0 ? Math.min(n, 200) : 50;
  }

  get errorText() {
    return this.error?.body?.message ?? LOAD_ERROR;
  }

  get cardIcon() {
    return CARD_ICONS.alertAdmin;
  }

  get dateTime() {
    return DATE_TIME;
  }

  // Channels by their labels: DeveloperNames such as Incident_Case stay in the tooltips.
  get channelLabels() {
    return new Map((this.overview?.channels ?? []).map((c) => [c.name, c.label || c.name]));
  }

  channelLabel(name) {
    return this.channelLabels.get(name) ?? name;
  }

  deliveryText(delivery) {
    const channel = this.channelLabel(delivery.channel);
    if (!delivery.attempts) return `${channel}: ${delivery.state}`;
    return format(
      plural(delivery.attempts, DELIVERY_ONE, DELIVERY_MANY),
      channel,
      delivery.state,
      formatNumber(delivery.attempts)
    );
  }

  get alerts() {
    return (this.overview?.alerts ?? []).map((alert) => ({
      ...alert,
      url: `/${alert.id}`,
      severityText: severityLabel(alert.severity),
      severityClass: SEVERITY_THEME[alert.severity] ?? 'slds-badge',
      reviewVariant: alert.severity === 'critical' ? 'brand' : 'neutral',
      deliveries: alert.deliveries.map((delivery) => ({
        ...delivery,
        className: STATE_THEME[delivery.state] ?? 'slds-badge',
        text: this.deliveryText(delivery),
        problem: delivery.state === 'Delivered' ? null : delivery.lastError
      }))
    }));
  }

  get channels() {
    const canSend = Boolean(this.overview?.canSendTest);
    return (this.overview?.channels ?? []).map((channel) => ({
      ...channel,
      state: activeBadge(channel.active),
      cannotSend: !canSend || !channel.active || this.sending !== null,
      hint: canSend && channel.active ? undefined : SEND_TEST_HINT
    }));
  }

  get rules() {
    return (this.overview?.rules ?? []).map((rule) => ({
      ...rule,
      channelText: String(rule.channels ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)
        .map((name) => this.channelLabel(name))
        .join(', '),
      severityText: severityLabel(rule.severity),
      state: activeBadge(rule.active),
      severityClass: SEVERITY_THEME[rule.severity] ?? 'slds-badge'
    }));
  }

  get hasAlerts() {
    return this.alerts.length > 0;
  }

  get hasChannels() {
    return this.channels.length > 0;
  }

  get hasRules() {
    return this.rules.length > 0;
  }

  async load() {
    this.loading = true;
    this.error = undefined;
    try {
      this.overview = await getOverview({ alertLimit: this.limit });
    } catch (error) {
      this.error = error;
    } finally {
      this.loading = false;
    }
  }

  handleRefresh() {
    this.load();
  }

  async handleSendTest(event) {
    const channelName = event.target.dataset.channel;
    this.sending = channelName;
    try {
      await sendTestAlert({ channelName });
      this.toast(format(TEST_SENT, this.channelLabel(channelName)), 'success', SEND_TEST);
      await this.load();
    } catch (error) {
      this.toast(error?.body?.message ?? LOAD_ERROR, 'error', TEST_FAILED);
    } finally {
      this.sending = null;
    }
  }

  handleReview(event) {
    const { record, object } = event.target.dataset;
    this[NavigationMixin.Navigate]({
      type: 'standard__navItemPage',
      attributes: { apiName: REVIEW_QUEUE_TAB },
      state: { c__recordId: record, c__object: object }
    });
  }

  toast(message, variant, title) {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
