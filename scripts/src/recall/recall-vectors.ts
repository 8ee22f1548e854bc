import fs from 'node:fs';
import path from 'node:path';
import { testStaticResources } from '../project-root';
import type { SelectorOptions } from './recall-selector';

/** One selector vector: a selector (as the plan flags give it), a record, and whether it is taken. */
export interface SelectorVector {
  name: string;
  description: string;
  selector: SelectorOptions;
  object: string;
  record: Record<string, string | null>;
  expected: boolean;
}

/** The shared file, a static resource so RecallSelectorTest reads the very same vectors. */
export const SELECTOR_VECTORS_PATH = path.join(
  testStaticResources('recall'),
  'RecallSelectorVectors.json'
);

/** Reads the shared selector vectors. */
export function loadSelectorVectors(): { vectors: SelectorVector[] } {
  return JSON.parse(fs.readFileSync(SELECTOR_VECTORS_PATH, 'utf8')) as {
    vectors: SelectorVector[];
  };
}
