import LightningDatatable from 'lightning/datatable';
import reasonsTemplate from './reasons.html';
import statusTemplate from './status.html';

/**
 * The review queue's table: lightning-datatable with two cell types of its own, so a row shows
 * its review state as the badge does (colour, icon, label) and its reasons by their labels with
 * each code in a tooltip, instead of raw codes.
 */
export default class SyntheticQueueTable extends LightningDatatable {
  static customTypes = {
    reasons: { template: reasonsTemplate, standardCellLayout: true },
    status: { template: statusTemplate, standardCellLayout: true }
  };
}
