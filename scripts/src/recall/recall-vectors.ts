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

/** One restore vector: an object's history rows in the window, and the values restore puts back (null: none). */
export interface HistoryVector {
  name: string;
  description: string;
  object: string;
  rows: { field: string; dataType: string; oldValue: string | null; newValue: string | null }[];
  /** The export's columns, when the vector is about a field the export does not hold (Apex reads the describe). */
  columns?: string[];
  expected: Record<string, string> | null;
}

/** The shared restore vectors, a static resource so RecallHistoryTest reads the very same rows. */
export function loadHistoryVectors(): { vectors: HistoryVector[] } {
  const file = path.join(testStaticResources('recall'), 'RecallHistoryVectors.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as { vectors: HistoryVector[] };
}
