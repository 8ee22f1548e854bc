// lightning/navigation for the LWC tests. sfdx-lwc-jest's stub navigates nowhere; this one records
// every page reference a component navigates to (`navigated`), and keeps CurrentPageReference a
// test wire adapter (`CurrentPageReference.emit(pageReference)`).
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const CurrentPageReference = createTestWireAdapter(jest.fn());
export const navigated = jest.fn();

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference) {
      navigated(pageReference);
    }

    [GenerateUrl]() {
      return Promise.resolve('https://www.example.com');
    }
  };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;
