import path from 'node:path';
import { PROJECT_ROOT } from '../src/project-root';

/** The preview page's own modules: entry, scenes and fixtures. */
export const APP = path.join(__dirname, 'app');
/** Stand-ins for platform modules the browser cannot have (LDS, Apex, toasts, gates). */
export const PLATFORM = path.join(__dirname, 'platform');
/** The package's components, each capability's folder (console, recall, alerts). */
export const LWC_DIRS = ['console', 'recall', 'alerts'].map((capability) =>
  path.join(PROJECT_ROOT, 'force-app', 'main', capability, 'lwc')
);
/** Where `npm run preview` and the screenshots serve the built page from. */
export const PREVIEW_DIR = path.join(PROJECT_ROOT, 'dist', 'preview');
