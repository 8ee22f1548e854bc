import { LightningElement, api } from 'lwc';

// Broken on purpose: a component must not reassign its own public (@api) property.
export default class LintError extends LightningElement {
    @api recordId;

    connectedCallback() {
        this.recordId = 'overwritten';
    }
}
