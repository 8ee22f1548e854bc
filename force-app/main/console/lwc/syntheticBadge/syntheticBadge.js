import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue, getFieldDisplayValue } from 'lightning/uiRecordApi';
import { refreshApex } from '@salesforce/apex';
import getDisclosure from '@salesforce/apex/SyntheticBadgeController.getDisclosure';
import { STATUSES, DATE_TIME, PERCENT_DIGITS, confidenceFraction } from 'c/syntheticDisplay';
import AI_GENERATED_SITE from '@salesforce/label/c.SDG_Badge_AI_Generated_Site';
import DETAILS from '@salesforce/label/c.SDG_Badge_Details';
import MODEL from '@salesforce/label/c.SDG_Badge_Model';
import GENERATED_AT from '@salesforce/label/c.SDG_Badge_Generated_At';
import METHOD from '@salesforce/label/c.SDG_Badge_Method';
import SOURCE from '@salesforce/label/c.SDG_Badge_Source';
import CONFIDENCE from '@salesforce/label/c.SDG_Badge_Confidence';
import REASONS from '@salesforce/label/c.SDG_Badge_Reasons';
import NOT_GIVEN from '@salesforce/label/c.SDG_Badge_Not_Given';
import LOADING from '@salesforce/label/c.SDG_Badge_Loading';
import LOAD_ERROR from '@salesforce/label/c.SDG_Badge_Load_Error';
import MEDIA_SCAN from '@salesforce/label/c.SDG_Badge_Media_Scan';
import NO_MARKER_NOTE from '@salesforce/label/c.SDG_Badge_No_Marker_Is_Not_Proof';

// Provenance fields carry the same API names on every governed object, so one component serves
// them all: the field references are built from the record page's object.
const FIELDS = {
  synthetic: 'Synthetic_Data__c',
  status: 'Synthetic_Status__c',
  model: 'AI_Model__c',
  generatedAt: 'Generated_At__c',
  method: 'Generation_Method__c',
  source: 'Provenance_Source__c',
  confidence: 'Synthetic_Confidence__c',
  reasons: 'Synthetic_Reasons__c'
};

/** A site visitor who may not see the review state still reads that the content is AI-generated. */
const SITE_DISCLOSURE = { ...STATUSES.Synthetic, label: AI_GENERATED_SITE };

/** File pages show a ContentDocument; its provenance is on the latest ContentVersion. */
const FILE_PREFIX = '069';

let instances = 0;

/**
 * Shows whether a record is AI-generated and in which review state, with the provenance behind it
 * one click (or keypress) away. Authentic records show nothing.
 *
 * On Lightning record pages it reads the record through Lightning Data Service, so it follows
 * edits at once. On Experience Cloud sites (partner, customer and guest users) and on file pages
 * it asks SyntheticBadgeController instead, which returns the disclosure to everyone who may see
 * the record and strips the review state, model, source and reasons for users the admin has not
 * allowed to see them: the server decides, not this component. A record-page user whose
 * field-level security hides Synthetic_Data__c (LDS leaves the field out) gets the server's
 * disclosure too, refreshed whenever LDS reports the record changed (reviews and recalls call
 * notifyRecordUpdateAvailable). On sites the server answer is cached until the page reloads: no
 * record-change signal reaches a site page. Without a record (a site page that is not a record
 * page) the badge renders nothing.
 */
export default class SyntheticBadge extends LightningElement {
  @api recordId;
  @api objectApiName;
  /** Builder property: show the provenance details button. */
  @api showDetails = false;
  /** Builder property: include detector confidence and reason codes in the details. */
  @api showSignals = false;

  record;
  disclosure;
  disclosureResult;
  error;
  expanded = false;
  /** Set when LDS answered without Synthetic_Data__c: the user has no field access to it. */
  ldsLacksFlag = false;
  detailsId = `sdg-badge-details-${++instances}`;

  /**
   * Sites and file pages go through the server, which strips what the user may not see. A site
   * page passes only {!recordId} (Experience Builder binds no object name), while a Lightning
   * record page always sets objectApiName. (@salesforce/community would say "site" directly, but
   * a component importing it may target only Experience Builder pages, not record pages.)
   */
  get siteOrFile() {
    return !this.objectApiName || this.onFile;
  }

  /** A file page: the server answers from the latest version, with its media scan verdict. */
  get onFile() {
    return (
      this.objectApiName === 'ContentDocument' ||
      String(this.recordId ?? '').startsWith(FILE_PREFIX)
    );
  }

  get viaServer() {
    return this.siteOrFile || this.ldsLacksFlag;
  }

  /** Site codes stay out of tooltips: external users read labels only. */
  get onSite() {
    return !this.objectApiName;
  }

  get fields() {
    return this.objectApiName && !this.siteOrFile
      ? Object.values(FIELDS).map((f) => `${this.objectApiName}.${f}`)
      : undefined;
  }

  // Record pages keep LDS even when the server answers: its updates are the change signal.
  get ldsRecordId() {
    return this.siteOrFile ? undefined : this.recordId;
  }

  get serverRecordId() {
    return this.viaServer && this.recordId ? this.recordId : undefined;
  }

  @wire(getRecord, { recordId: '$ldsRecordId', optionalFields: '$fields' })
  wiredRecord({ data, error }) {
    if (this.siteOrFile) return;
    this.record = data;
    this.error = error;
    if (!data) return;
    const lacksFlag = !Object.prototype.hasOwnProperty.call(data.fields ?? {}, FIELDS.synthetic);
    if (lacksFlag && this.ldsLacksFlag && this.disclosureResult) {
      // A refresh that fails (offline, or the server refuses) says so instead of an unhandled
      // rejection that leaves the old answer on screen.
      refreshApex(this.disclosureResult).catch((refreshError) => {
        this.error = refreshError;
      });
    }
    this.ldsLacksFlag = lacksFlag;
  }

  @wire(getDisclosure, { recordId: '$serverRecordId' })
  wiredDisclosure(result) {
    this.disclosureResult = result;
    if (!this.viaServer) return;
    this.disclosure = result.data;
    if (this.siteOrFile || result.error) this.error = result.error;
  }

  get loaded() {
    return this.viaServer ? this.disclosure : this.record;
  }

  get loading() {
    return Boolean(this.recordId) && !this.loaded && !this.error;
  }

  // Field values, the same shape whichever way they came.
  value(name) {
    if (this.viaServer) return this.disclosure?.[name];
    return getFieldValue(this.record, `${this.objectApiName}.${FIELDS[name]}`);
  }

  display(name) {
    if (this.viaServer) return this.disclosure?.[name];
    const field = `${this.objectApiName}.${FIELDS[name]}`;
    return getFieldDisplayValue(this.record, field) ?? getFieldValue(this.record, field);
  }

  get state() {
    if (!this.recordId || !this.loaded || this.value('synthetic') !== true) return null;
    const status = this.value('status');
    if (STATUSES[status]) return STATUSES[status];
    // The server leaves the review state out for users who may not see it.
    return this.viaServer && !this.disclosure.detailsVisible ? SITE_DISCLOSURE : STATUSES.Synthetic;
  }

  get visible() {
    return this.state !== null;
  }

  /** Details need the builder property and, through the server, the user's permission. */
  get detailsShown() {
    return this.showDetails && (!this.viaServer || this.disclosure?.detailsVisible === true);
  }

  get badgeClass() {
    return `slds-badge ${this.state.theme}`;
  }

  get iconVariant() {
    return this.state.inverse ? 'inverse' : undefined;
  }

  get details() {
    const rows = [
      { key: 'model', label: MODEL },
      { key: 'generatedAt', label: GENERATED_AT, kind: 'date' },
      { key: 'method', label: METHOD },
      { key: 'source', label: SOURCE }
    ];
    // What the scanner found in the file itself, beside what its provenance declares.
    if (this.onFile) rows.push({ key: 'mediaVerdict', label: MEDIA_SCAN });
    if (this.showSignals)
      rows.push(
        { key: 'confidence', label: CONFIDENCE, kind: 'percent' },
        { key: 'reasons', label: REASONS, kind: 'reasons' }
      );
    return rows.map((row) => this.detail(row));
  }

  detail({ key, label, kind }) {
    const raw = kind ? this.value(key) : this.display(key);
    const given = raw !== null && raw !== undefined && raw !== '';
    return {
      key,
      label,
      isDate: given && kind === 'date',
      isPercent: given && kind === 'percent',
      isReasons: given && kind === 'reasons',
      value: kind === 'percent' ? confidenceFraction(raw) : raw,
      text: given ? String(raw) : NOT_GIVEN,
      // "No marker found" reads as "authentic" unless it says otherwise.
      note:
        key === 'mediaVerdict' && this.disclosure?.mediaVerdictCode === 'no-marker'
          ? NO_MARKER_NOTE
          : null
    };
  }

  get dateTime() {
    return DATE_TIME;
  }

  get percentDigits() {
    return PERCENT_DIGITS;
  }

  get ariaExpanded() {
    return String(this.expanded);
  }

  get labels() {
    return { details: DETAILS, loading: LOADING, loadError: LOAD_ERROR };
  }

  toggle() {
    this.expanded = !this.expanded;
  }

  handleKeydown(event) {
    if (event.key === 'Escape' && this.expanded) {
      this.expanded = false;
      this.template.querySelector('button')?.focus();
    }
  }
}
