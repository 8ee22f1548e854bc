import fs from 'node:fs';
import path from 'node:path';
import type { CommandIo } from '../cli/io';
import { exitOnUserError } from '../cli/errors';
import { governTargetOf } from './object-kind';
import { planGovern } from './govern-metadata';
import { nextStepsFileOf, nextStepsFiles, nextStepsOf } from './govern-next-steps';

export interface GovernCommandOptions {
  object: string;
  out?: string;
  createObject?: boolean;
  json?: boolean;
}

/** The folder the metadata goes to when --out is not given. */
export function defaultOutOf(object: string): string {
  return path.join('governed', object);
}

/**
 * `sdg govern`: writes the metadata to govern one more object as SFDX source, a folder the admin
 * deploys next to the package, with the admin's next steps (printed, and in
 * NEXT-STEPS-<Object>.md, which the folder's .forceignore keeps out of the deploy). Exit 0
 * written, 2 for an object that cannot be governed.
 */
export function runGovern(options: GovernCommandOptions, io: CommandIo): Promise<number> {
  return exitOnUserError(io, () => {
    const target = governTargetOf(options.object);
    const plan = planGovern(target, options.createObject === true);
    const out = path.resolve(options.out ?? defaultOutOf(options.object));
    const relative = path.relative(process.cwd(), out);
    const shown = relative && !relative.startsWith('..') ? relative : out;
    const deploy = `sf project deploy start -d ${shown}`;
    const nextSteps = nextStepsOf(target, options.createObject === true, deploy);
    const forceIgnore = path.join(out, '.forceignore');
    const notes = nextStepsFiles(
      plan.object,
      nextSteps,
      fs.existsSync(forceIgnore) ? fs.readFileSync(forceIgnore, 'utf8') : undefined
    );
    for (const file of [...plan.files, ...notes]) {
      const full = path.join(out, file.path);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, file.content);
    }
    const nextStepsFile = path.join(out, nextStepsFileOf(plan.object));
    if (options.json) {
      io.out(
        JSON.stringify(
          {
            object: plan.object,
            out,
            files: plan.files.map((f) => f.path),
            fields: plan.fields,
            skipped: plan.skipped,
            notes: plan.notes,
            deploy,
            nextSteps,
            nextStepsFile
          },
          null,
          2
        )
      );
      return Promise.resolve(0);
    }
    io.out(`✔ Wrote ${plan.files.length} files to govern ${plan.object} in ${out}.`);
    plan.skipped.forEach((s) => io.out(`  skipped ${s.item}: ${s.reason}.`));
    plan.notes.forEach((note) => io.out(`  note: ${note}`));
    io.out(`  Deploy it after the package: ${deploy}`);
    io.out(`Next steps (also in ${nextStepsFile}):`);
    nextSteps.forEach((step, i) => io.out(`  ${i + 1}. ${step}`));
    return Promise.resolve(0);
  });
}
