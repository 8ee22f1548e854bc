// One place for what the console components show instead of codes: reason codes, audit event
// types, policy decisions and review statuses become custom labels (translatable, never raw), and
// numbers, percentages and dates are formatted in the user's Salesforce locale.
import LOCALE from '@salesforce/i18n/locale';
import AI_GENERATED from '@salesforce/label/c.SDG_Badge_AI_Generated';
import DISCLOSED from '@salesforce/label/c.SDG_Badge_Disclosed';
import UNREVIEWED from '@salesforce/label/c.SDG_Badge_Unreviewed';
import FLAGGED from '@salesforce/label/c.SDG_Badge_Flagged';
import QUARANTINED from '@salesforce/label/c.SDG_Badge_Quarantined';
import RELEASED from '@salesforce/label/c.SDG_Badge_Released';
import REJECTED from '@salesforce/label/c.SDG_Badge_Rejected';
import STATUS_OTHER from '@salesforce/label/c.SDG_Status_Other';
import SEVERITY_CRITICAL from '@salesforce/label/c.SDG_Severity_Critical';
import SEVERITY_ERROR from '@salesforce/label/c.SDG_Severity_Error';
import SEVERITY_WARNING from '@salesforce/label/c.SDG_Severity_Warning';
import SEVERITY_INFO from '@salesforce/label/c.SDG_Severity_Info';
import R_MISSING_MODEL from '@salesforce/label/c.SDG_Reason_Missing_Model';
import R_MISSING_GENERATED_AT from '@salesforce/label/c.SDG_Reason_Missing_Generated_At';
import R_MISSING_GENERATION_METHOD from '@salesforce/label/c.SDG_Reason_Missing_Generation_Method';
import R_MISSING_SOURCE from '@salesforce/label/c.SDG_Reason_Missing_Source';
import R_MISSING_CONFIDENCE from '@salesforce/label/c.SDG_Reason_Missing_Confidence';
import R_MISSING_HASH from '@salesforce/label/c.SDG_Reason_Missing_Hash';
import R_FUTURE_GENERATED_AT from '@salesforce/label/c.SDG_Reason_Future_Generated_At';
import R_UNTRUSTED_MODEL from '@salesforce/label/c.SDG_Reason_Untrusted_Model';
import R_UNTRUSTED_SOURCE from '@salesforce/label/c.SDG_Reason_Untrusted_Source';
import R_INVALID_CONFIDENCE from '@salesforce/label/c.SDG_Reason_Invalid_Confidence';
import R_HIGH_CONFIDENCE from '@salesforce/label/c.SDG_Reason_High_Confidence';
import R_REVIEW_CONFIDENCE from '@salesforce/label/c.SDG_Reason_Review_Confidence';
import R_UNDISCLOSED_AI_SIGNAL from '@salesforce/label/c.SDG_Reason_Undisclosed_Ai_Signal';
import R_DISCLOSURE_CONFLICT from '@salesforce/label/c.SDG_Reason_Disclosure_Conflict';
import R_MEDIA_AI_MARKER from '@salesforce/label/c.SDG_Reason_Media_Ai_Marker';
import R_MEDIA_PROVENANCE_STRIPPED from '@salesforce/label/c.SDG_Reason_Media_Provenance_Stripped';
import R_UNREADABLE_MEDIA_PROVENANCE from '@salesforce/label/c.SDG_Reason_Unreadable_Media_Provenance';
import R_BULK_INJECTION_LIMIT from '@salesforce/label/c.SDG_Reason_Bulk_Injection_Limit';
import R_STATUS_CHANGE_NOT_ALLOWED from '@salesforce/label/c.SDG_Reason_Status_Change_Not_Allowed';
import R_PROVENANCE_OVERWRITE from '@salesforce/label/c.SDG_Reason_Provenance_Overwrite';
import R_RECALLED from '@salesforce/label/c.SDG_Reason_Recalled';
import R_RETENTION_EXPIRED from '@salesforce/label/c.SDG_Reason_Retention_Expired';
import R_CONVERTED_FROM_SYNTHETIC from '@salesforce/label/c.SDG_Reason_Converted_From_Synthetic';
import R_MERGED_WITH_SYNTHETIC from '@salesforce/label/c.SDG_Reason_Merged_With_Synthetic';
import R_OTHER from '@salesforce/label/c.SDG_Reason_Other';
import E_DECISION from '@salesforce/label/c.SDG_Event_Decision';
import E_QUARANTINE from '@salesforce/label/c.SDG_Event_Quarantine';
import E_RELEASE from '@salesforce/label/c.SDG_Event_Release';
import E_REJECT from '@salesforce/label/c.SDG_Event_Reject';
import E_CONFIRM from '@salesforce/label/c.SDG_Event_Confirm';
import E_BYPASS from '@salesforce/label/c.SDG_Event_Bypass';
import E_STATUSCHANGE from '@salesforce/label/c.SDG_Event_StatusChange';
import E_POLICYCHANGE from '@salesforce/label/c.SDG_Event_PolicyChange';
import E_CHECKPOINT from '@salesforce/label/c.SDG_Event_Checkpoint';
import E_PURGE from '@salesforce/label/c.SDG_Event_Purge';
import E_INGESTIONREFUSED from '@salesforce/label/c.SDG_Event_IngestionRefused';
import E_DETECTION from '@salesforce/label/c.SDG_Event_Detection';
import E_RECALL from '@salesforce/label/c.SDG_Event_Recall';
import E_RETENTION from '@salesforce/label/c.SDG_Event_Retention';
import E_ROLLBACK from '@salesforce/label/c.SDG_Event_Rollback';
import E_APPENDFAILURE from '@salesforce/label/c.SDG_Event_AppendFailure';
import E_CONVERTED from '@salesforce/label/c.SDG_Event_Converted';
import E_MERGED from '@salesforce/label/c.SDG_Event_Merged';
import E_DELETED from '@salesforce/label/c.SDG_Event_Deleted';
import E_UNDELETED from '@salesforce/label/c.SDG_Event_Undeleted';
import E_CONTENTEDITED from '@salesforce/label/c.SDG_Event_ContentEdited';
import E_DELETEREFUSED from '@salesforce/label/c.SDG_Event_DeleteRefused';
import E_OTHER from '@salesforce/label/c.SDG_Event_Other';
import D_ACCEPT from '@salesforce/label/c.SDG_Decision_Accept';
import D_FLAG from '@salesforce/label/c.SDG_Decision_Flag';
import D_QUARANTINE from '@salesforce/label/c.SDG_Decision_Quarantine';
import D_REJECT from '@salesforce/label/c.SDG_Decision_Reject';
import D_OTHER from '@salesforce/label/c.SDG_Decision_Other';

const REASONS = {
  MISSING_MODEL: R_MISSING_MODEL,
  MISSING_GENERATED_AT: R_MISSING_GENERATED_AT,
  MISSING_GENERATION_METHOD: R_MISSING_GENERATION_METHOD,
  MISSING_SOURCE: R_MISSING_SOURCE,
  MISSING_CONFIDENCE: R_MISSING_CONFIDENCE,
  MISSING_HASH: R_MISSING_HASH,
  FUTURE_GENERATED_AT: R_FUTURE_GENERATED_AT,
  UNTRUSTED_MODEL: R_UNTRUSTED_MODEL,
  UNTRUSTED_SOURCE: R_UNTRUSTED_SOURCE,
  INVALID_CONFIDENCE: R_INVALID_CONFIDENCE,
  HIGH_CONFIDENCE: R_HIGH_CONFIDENCE,
  REVIEW_CONFIDENCE: R_REVIEW_CONFIDENCE,
  UNDISCLOSED_AI_SIGNAL: R_UNDISCLOSED_AI_SIGNAL,
  DISCLOSURE_CONFLICT: R_DISCLOSURE_CONFLICT,
  MEDIA_AI_MARKER: R_MEDIA_AI_MARKER,
  MEDIA_PROVENANCE_STRIPPED: R_MEDIA_PROVENANCE_STRIPPED,
  UNREADABLE_MEDIA_PROVENANCE: R_UNREADABLE_MEDIA_PROVENANCE,
  BULK_INJECTION_LIMIT: R_BULK_INJECTION_LIMIT,
  STATUS_CHANGE_NOT_ALLOWED: R_STATUS_CHANGE_NOT_ALLOWED,
  PROVENANCE_OVERWRITE: R_PROVENANCE_OVERWRITE,
  RECALLED: R_RECALLED,
  RETENTION_EXPIRED: R_RETENTION_EXPIRED,
  CONVERTED_FROM_SYNTHETIC: R_CONVERTED_FROM_SYNTHETIC,
  MERGED_WITH_SYNTHETIC: R_MERGED_WITH_SYNTHETIC
};
const EVENT_TYPES = {
  Decision: E_DECISION,
  Quarantine: E_QUARANTINE,
  Release: E_RELEASE,
  Reject: E_REJECT,
  Confirm: E_CONFIRM,
  Bypass: E_BYPASS,
  StatusChange: E_STATUSCHANGE,
  PolicyChange: E_POLICYCHANGE,
  Checkpoint: E_CHECKPOINT,
  Purge: E_PURGE,
  IngestionRefused: E_INGESTIONREFUSED,
  Detection: E_DETECTION,
  Recall: E_RECALL,
  Retention: E_RETENTION,
  Rollback: E_ROLLBACK,
  AppendFailure: E_APPENDFAILURE,
  Converted: E_CONVERTED,
  Merged: E_MERGED,
  Deleted: E_DELETED,
  Undeleted: E_UNDELETED,
  ContentEdited: E_CONTENTEDITED,
  DeleteRefused: E_DELETEREFUSED
};
const DECISIONS = { ACCEPT: D_ACCEPT, FLAG: D_FLAG, QUARANTINE: D_QUARANTINE, REJECT: D_REJECT };

/**
 * A code shown by its label. A code this version has no label for (the policy grows: a newer
 * engine may store one) shows the generic label, never a blank; the code itself always goes in
 * the tooltip, so a reviewer can still look it up.
 */
const lookup = (table, other) => (code) => {
  const text = code === null || code === undefined ? '' : String(code).trim();
  return { code: text, label: table[text] ?? other, known: Object.hasOwn(table, text) };
};

/** A reason code's label: { code, label, known }. */
export const reasonLabel = lookup(REASONS, R_OTHER);
/** Every reason code this version has a label for, in the policy's canonical order. */
export const REASON_CODES = Object.freeze(Object.keys(REASONS));
/** An audit event type's label: { code, label, known }. */
export const eventTypeLabel = lookup(EVENT_TYPES, E_OTHER);
/** A policy decision's label: { code, label, known }. */
export const decisionLabel = lookup(DECISIONS, D_OTHER);

/**
 * The reasons a record or an event stores (Synthetic_Reasons__c, Reason_Codes__c: codes separated
 * by semicolons; or a list), each with its label, in stored order.
 */
export function reasonsOf(value) {
  const codes = Array.isArray(value) ? value : String(value ?? '').split(';');
  return codes
    .map((code) => String(code ?? '').trim())
    .filter(Boolean)
    .map((code, i) => ({ ...reasonLabel(code), key: `${i}-${code}` }));
}

/**
 * Review states (Synthetic_Status__c) as every component shows them: a label, an icon and an SLDS
 * theme, distinct for each state and never colour alone. `inverse` says the icon sits on a dark
 * background. `Synthetic` is an AI-generated record without a known review state.
 */
export const STATUSES = Object.freeze({
  Quarantined: {
    label: QUARANTINED,
    icon: 'utility:lock',
    theme: 'slds-theme_error',
    inverse: true
  },
  Rejected: { label: REJECTED, icon: 'utility:ban', theme: 'slds-theme_offline', inverse: true },
  Flagged: {
    label: FLAGGED,
    icon: 'utility:priority',
    theme: 'slds-theme_warning',
    inverse: false
  },
  Released: { label: RELEASED, icon: 'utility:check', theme: 'slds-theme_success', inverse: true },
  Disclosed: {
    label: DISCLOSED,
    icon: 'utility:einstein',
    theme: 'slds-badge_lightest',
    inverse: false
  },
  Unreviewed: { label: UNREVIEWED, icon: 'utility:clock', theme: 'slds-theme_info', inverse: true },
  Synthetic: {
    label: AI_GENERATED,
    icon: 'utility:einstein',
    theme: 'slds-theme_alt-inverse',
    inverse: true
  }
});

/** A review state's display ({ code, label, icon, theme, inverse }); unknown ones say so. */
export function statusDisplay(status) {
  const code = status ?? '';
  const known = STATUSES[code];
  return known
    ? { code, ...known }
    : {
        code,
        label: STATUS_OTHER,
        icon: 'utility:help',
        theme: 'slds-theme_shade',
        inverse: false
      };
}

const SEVERITIES = {
  critical: SEVERITY_CRITICAL,
  error: SEVERITY_ERROR,
  warning: SEVERITY_WARNING,
  info: SEVERITY_INFO
};

/** An alert severity's label; an unknown one shows as stored. */
export const severityLabel = (severity) => SEVERITIES[severity] ?? String(severity ?? '');

/**
 * Date and time as every component shows them (lightning-formatted-date-time attributes and the
 * datatable's date type attributes): the user's locale and time zone, the month in words.
 */
export const DATE_TIME = Object.freeze({
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit'
});

/** Percentages (detector confidence): at most one decimal, in the user's locale. */
export const PERCENT_DIGITS = Object.freeze({ minimumFractionDigits: 0, maximumFractionDigits: 1 });

/**
 * Synthetic_Confidence__c is a Percent field (92.5 means 92.5 %); the percent formatters take a
 * fraction. Null when not given.
 */
export function confidenceFraction(value) {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n / 100 : null;
}

/**
 * An Intl object for the user's locale, or for the browser's default when the browser does not
 * accept the Salesforce locale tag (Intl constructors throw RangeError then): a formatter must
 * never break the rendering of the queue, the recall panel or the alert admin.
 */
function localized(make) {
  try {
    return make(LOCALE);
  } catch {
    return make(undefined);
  }
}

/** A count in the user's locale (1,234 or 1.234 or 1 234). */
export function formatNumber(value) {
  return localized((locale) => new Intl.NumberFormat(locale)).format(value);
}

/** A fraction as a percentage in the user's locale, the way the badge and the queue show it. */
export function formatPercent(fraction) {
  return localized(
    (locale) => new Intl.NumberFormat(locale, { style: 'percent', ...PERCENT_DIGITS })
  ).format(fraction);
}

/** Fills {0}, {1}, … in a label. */
export const format = (template, ...values) =>
  values.reduce((text, value, i) => text.replaceAll(`{${i}}`, value ?? ''), template);

/**
 * The label for a count by the locale's plural rules (CLDR categories: zero, one, two, few, many,
 * other), never "attempt(s)". `one` is the text for the `one` category ("after 1 attempt", and
 * also 21 in Russian), `other` for every other category unless `byCategory` gives that category
 * its own text (few, many: Polish, Russian, Czech). Labels with only two forms get the `other`
 * text for few and many, which is the closest of the two. Without usable plural rules, 1 is one.
 */
export function plural(count, one, other, byCategory = {}) {
  const n = Number(count);
  let category;
  try {
    category = localized((locale) => new Intl.PluralRules(locale)).select(n);
  } catch {
    category = n === 1 ? 'one' : 'other';
  }
  if (byCategory[category]) return byCategory[category];
  return category === 'one' ? one : other;
}

/**
 * Card icons of the package's components: one family (standard object icons, a coloured tile), so
 * the cards read as one product on a page.
 */
export const CARD_ICONS = Object.freeze({
  reviewQueue: 'standard:approval',
  auditTimeline: 'standard:feed',
  recallPanel: 'standard:return_order',
  alertAdmin: 'standard:incident'
});
