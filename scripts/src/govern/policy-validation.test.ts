import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root';
import { GOVERNABLE_STANDARD_OBJECTS } from './object-kind';

const RULE = path.join(
  PROJECT_ROOT,
  'force-app/main/policy/objects/Synthetic_Policy__mdt/validationRules/Governed_Object_Known.validationRule-meta.xml'
);

describe('Synthetic_Policy__mdt validation rule Governed_Object_Known', () => {
  const formula = /<errorConditionFormula>([\s\S]*?)<\/errorConditionFormula>/.exec(
    fs.readFileSync(RULE, 'utf8')
  )![1]!;

  it('accepts every standard object sdg govern writes a policy record for', () => {
    for (const object of GOVERNABLE_STANDARD_OBJECTS) expect(formula).toContain(`"${object}", 1`);
  });

  it('accepts custom objects (the policy record sdg govern writes for Invoice__c)', () => {
    expect(formula).toContain('RIGHT(Governed_Object__c, 3) = "__c"');
  });
});
