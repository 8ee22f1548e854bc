// @salesforce/community/Id for the LWC tests: undefined, as in Lightning Experience (outside an
// Experience Cloud site). sfdx-lwc-jest has no transform for it; a test of the site path mocks
// this module with a site Id.
export default undefined;
