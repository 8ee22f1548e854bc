// Registers toBeAccessible() (axe rules as Salesforce applies them) for the LWC suites.
const { setup } = require('@sa11y/jest');

setup();
