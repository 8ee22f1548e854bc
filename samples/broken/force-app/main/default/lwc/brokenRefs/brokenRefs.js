import { LightningElement } from 'lwc';
import NO_SUCH_LABEL from '@salesforce/label/c.No_Such_Label';
import noSuchMethod from '@salesforce/apex/SampleController.noSuchMethod';
import getGreeting from '@salesforce/apex/SampleController.getGreeting';

// Broken on purpose: a label nobody defined and an Apex method the class does not have.
export default class BrokenRefs extends LightningElement {
    label = NO_SUCH_LABEL;
    load = [noSuchMethod, getGreeting];
}
