import path from 'node:path';

/** Root of the project (the folder with sfdx-project.json and package.json). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
