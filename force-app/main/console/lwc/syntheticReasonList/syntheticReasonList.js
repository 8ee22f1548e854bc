import { LightningElement, api } from 'lwc';
import { reasonsOf } from 'c/syntheticDisplay';

/**
 * Reason codes as people read them: each code's label (a code without a label shows the generic
 * "Other reason", never a blank). For the org's own users the code itself is one keyboard- and
 * touch-reachable help icon away (lightning-helptext, not a title tooltip); hideCodes leaves the
 * codes out entirely, for site users who should read labels only. A label never breaks inside
 * a word; the list wraps between reasons. Used by the badge, the review queue and the timeline.
 */
export default class SyntheticReasonList extends LightningElement {
  /** Codes separated by semicolons (as Synthetic_Reasons__c stores them), or a list. */
  @api reasons;
  /** Text shown when there are none. */
  @api emptyText = '';
  /** Leave the raw codes out (Experience Cloud site users). */
  @api hideCodes = false;

  get showCodes() {
    return !this.hideCodes;
  }

  get items() {
    const items = reasonsOf(this.reasons);
    return items.map((item, i) => ({ ...item, separator: i < items.length - 1 ? ',' : '' }));
  }

  get hasItems() {
    return this.items.length > 0;
  }
}
