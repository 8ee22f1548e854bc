import type { GovernTarget } from './object-kind';
import { developerNameOf, type GeneratedFile } from './govern-metadata';

/** The package's quarantine queue, as Setup lists it (Synthetic_Quarantine). */
export const QUARANTINE_QUEUE_LABEL = 'Synthetic Data Quarantine';

/** Files matching this are notes for the admin, never metadata (the folder's .forceignore). */
const NOTES_PATTERN = 'NEXT-STEPS-*.md';

/** The notes file for one object, beside its metadata. */
export function nextStepsFileOf(object: string): string {
  return `NEXT-STEPS-${object}.md`;
}

function queueStep(target: GovernTarget): string {
  const add = `Add ${target.object} to the quarantine queue's supported objects: Setup > Queues > ${QUARANTINE_QUEUE_LABEL} > Edit > Supported Objects > add ${target.object} > Save.`;
  const until = `Until then a quarantined ${target.object} record stays with its owner (the package logs it once per transaction) instead of moving to the reviewers' queue.`;
  if (target.object === 'Task' || target.custom)
    return `${add} ${until}${target.custom ? ' (A master-detail child cannot be owned by a queue: its records stay with the parent and reviewers find them in the review queue.)' : ''}`;
  return `${add} If Setup does not offer ${target.object} there, its records cannot be owned by a queue: quarantined records stay with their owner and reviewers find them in the review queue.`;
}

/**
 * Everything the admin does after `sdg govern`, in order: what the generated folder cannot do
 * (org settings, permission assignments, the queue's supported objects, layouts) and what was
 * skipped for the object.
 */
export function nextStepsOf(target: GovernTarget, createObject: boolean, deploy: string): string[] {
  const name = `Synthetic_Data_${developerNameOf(target.object)}`;
  const steps: string[] = [];
  if (target.custom && !createObject)
    steps.push(
      `Turn on field history for ${target.object} (Setup > Object Manager > ${target.object} > Edit > Track Field History) before deploying: Synthetic Data and Synthetic Status are history-tracked.`
    );
  steps.push(`Deploy after the package: ${deploy} --target-org <alias>`);
  steps.push(
    `Review the policy record Synthetic_Policy.${developerNameOf(target.object)} (Setup > Custom Metadata Types > Synthetic Policy): it starts with the Lead policy's defaults.`
  );
  steps.push(
    `Assign ${name} to everyone who sees ${target.object} provenance, and ${name}_Reviewer with the package's Synthetic_Data_Reviewer to reviewers: sf org assign permset --name ${name} --name ${name}_Reviewer --on-behalf-of <reviewer>`
  );
  steps.push(queueStep(target));
  steps.push(
    `Add the provenance fields (Synthetic Data, Synthetic Status, AI Model, Provenance Source) to the ${target.object} page layouts or Lightning record pages where users should see them: sdg govern adds them to no layout.`
  );
  if (!target.listView)
    steps.push(
      `Create ${target.object} list views filtering on Synthetic Status = Quarantined and on Automated Decision Eligible = false in the UI (not deployable as ${target.fieldObject} metadata).`
    );
  if (!target.reportType)
    steps.push(
      `Add the provenance fields to the standard Tasks and Events report type in Setup (no report type is generated for ${target.object}).`
    );
  if ('trackHistory' in target.droppedAttributes)
    steps.push(
      `To keep Synthetic Data and Synthetic Status changes in field history, turn on Activity field history in Setup and track both fields (they deploy untracked).`
    );
  return steps;
}

/**
 * The notes file and the folder's .forceignore, which keeps the notes out of
 * `sf project deploy start -d <folder>` (source-deploy-retrieve takes the nearest .forceignore
 * above the deployed path and would otherwise refuse a file that is no metadata).
 */
export function nextStepsFiles(
  object: string,
  steps: string[],
  existingForceIgnore: string | undefined
): GeneratedFile[] {
  const lines = [
    `# Govern ${object}: next steps`,
    '',
    `Written by \`sdg govern --object ${object}\`. The metadata in this folder is deployed as it is; these steps are the admin's.`,
    '',
    ...steps.map((step, i) => `${i + 1}. ${step}`),
    ''
  ];
  const ignore = existingForceIgnore ?? '';
  const files: GeneratedFile[] = [{ path: nextStepsFileOf(object), content: lines.join('\n') }];
  if (!ignore.split(/\r?\n/).includes(NOTES_PATTERN))
    files.push({
      path: '.forceignore',
      content: `${ignore}${ignore && !ignore.endsWith('\n') ? '\n' : ''}# sdg govern notes, not metadata.\n${NOTES_PATTERN}\n`
    });
  return files;
}
