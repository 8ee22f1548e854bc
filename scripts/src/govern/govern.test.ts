import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root';
import { checkMetadata } from '../quality/metadata-preflight';
import { buildMetadata } from '../quality/metadata-build';
import { checkReferences } from '../quality/references/reference-check';
import type { CommandIo } from '../cli/io';
import { runGovern } from './govern-command';
import { governTargetOf } from './object-kind';
import { planGovern, triggerEventsOf } from './govern-metadata';
import { nextStepsFiles, nextStepsOf } from './govern-next-steps';

function captureIo(): CommandIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

const FORCE_APP = path.join(PROJECT_ROOT, 'force-app');

describe('sdg govern', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-govern-'));
    const io = captureIo();
    expect(
      await runGovern(
        { object: 'Invoice__c', createObject: true, out: path.join(dir, 'governed') },
        io
      )
    ).toBe(0);
    expect(await runGovern({ object: 'Task', out: path.join(dir, 'governed') }, io)).toBe(0);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes Invoice__c and Task metadata that passes the metadata schema and reference checks with the package', () => {
    const governed = path.join(dir, 'governed');
    expect(checkMetadata([FORCE_APP, governed])).toEqual([]);
    expect(checkReferences([FORCE_APP, governed], PROJECT_ROOT)).toEqual([]);
  }, 120_000);

  it('builds with source-deploy-retrieve as sf project deploy start would', async () => {
    const result = await buildMetadata([path.join(dir, 'governed')], path.join(dir, 'dist'));
    expect(result.findings).toEqual([]);
    const names = result.components.map((c) => `${c.type}:${c.fullName}`);
    expect(names).toEqual(
      expect.arrayContaining([
        // Invoice__c's fields and list view are deployed inside its CustomObject.
        'CustomObject:Invoice__c',
        'CustomField:Activity.Synthetic_Status__c',
        'ApexTrigger:InvoiceSyntheticGuard',
        'ApexTrigger:TaskSyntheticGuard',
        'CustomMetadata:Synthetic_Policy.Invoice_c',
        'CustomMetadata:Synthetic_Policy.Task',
        'PermissionSet:Synthetic_Data_Invoice_c',
        'PermissionSet:Synthetic_Data_Task',
        'PermissionSet:Synthetic_Data_Task_Reviewer',
        'PermissionSet:Synthetic_Data_Invoice_c_Reviewer',
        'ReportType:Synthetic_Invoice_c_Provenance'
      ])
    );
  }, 120_000);

  it('asks for after undelete only where the platform fires it (custom objects and the listed standard ones)', () => {
    expect(triggerEventsOf('Invoice__c')).toContain('after undelete');
    expect(triggerEventsOf('Task')).toContain('after undelete');
    expect(triggerEventsOf('CampaignMember')).not.toContain('after undelete');
    expect(triggerEventsOf('CampaignMember')).toContain('after delete');
    const task = fs.readFileSync(
      path.join(dir, 'governed/triggers/TaskSyntheticGuard.trigger'),
      'utf8'
    );
    expect(task).toContain(
      'trigger TaskSyntheticGuard on Task(before insert, before update, after insert, after update, after delete, after undelete) {'
    );
  });

  it('copies the package field definitions instead of keeping its own', () => {
    const lead = fs.readFileSync(
      path.join(FORCE_APP, 'main/provenance-model/objects/Lead/fields/AI_Model__c.field-meta.xml'),
      'utf8'
    );
    const invoice = fs.readFileSync(
      path.join(dir, 'governed/objects/Invoice__c/fields/AI_Model__c.field-meta.xml'),
      'utf8'
    );
    expect(invoice).toBe(lead);
  });

  it('generates a trigger that only calls the package handler, and a policy with the Lead defaults', () => {
    const trigger = fs.readFileSync(
      path.join(dir, 'governed/triggers/InvoiceSyntheticGuard.trigger'),
      'utf8'
    );
    expect(trigger).toContain(
      'trigger InvoiceSyntheticGuard on Invoice__c(before insert, before update, after insert, after update, after delete, after undelete) {\n  SyntheticEnforcementHandler.run();\n}'
    );
    const policy = fs.readFileSync(
      path.join(dir, 'governed/customMetadata/Synthetic_Policy.Invoice_c.md-meta.xml'),
      'utf8'
    );
    const lead = fs.readFileSync(
      path.join(FORCE_APP, 'main/policy/customMetadata/Synthetic_Policy.Lead.md-meta.xml'),
      'utf8'
    );
    const strip = (xml: string) =>
      xml.replace(/<label>[^<]*<\/label>/, '').replace(/>(Lead|Invoice__c)</, '><');
    expect(strip(policy)).toBe(strip(lead));
    expect(policy).toContain('<value xsi:type="xsd:string">Invoice__c</value>');
  });

  it('says what Task cannot take: the User lookup, history tracking, the list view and report type', () => {
    const plan = planGovern(governTargetOf('Task'), false);
    expect(plan.skipped.map((s) => s.item)).toEqual([
      'field Synthetic_Reviewed_By__c',
      'field attribute trackHistory',
      'list view Synthetic_Quarantined',
      'list view Synthetic_Automated_Decision_Excluded',
      'report type'
    ]);
    expect(plan.files.every((f) => !f.content.includes('<trackHistory>'))).toBe(true);
    expect(plan.files.filter((f) => f.path.startsWith('objects/Activity/fields/'))).toHaveLength(
      13
    );
  });

  it('keeps Source_Record_Id__c an external id and unique on Activity, which the platform accepts there', () => {
    const plan = planGovern(governTargetOf('Task'), false);
    const field = plan.files.find(
      (f) => f.path === 'objects/Activity/fields/Source_Record_Id__c.field-meta.xml'
    );
    expect(field?.content).toContain('<externalId>true</externalId>');
    expect(field?.content).toContain('<unique>true</unique>');
    expect(field?.content).toContain('<caseSensitive>true</caseSensitive>');
    // Provenance_Batch__c stays an indexed, non-unique external id there too.
    const batch = plan.files.find(
      (f) => f.path === 'objects/Activity/fields/Provenance_Batch__c.field-meta.xml'
    );
    expect(batch?.content).toContain('<externalId>true</externalId>');
    expect(batch?.content).toContain('<unique>false</unique>');
  });

  it('tells the admin every next step, the quarantine queue supported objects included', async () => {
    const io = captureIo();
    const out = path.join(dir, 'steps');
    expect(await runGovern({ object: 'Task', out }, io)).toBe(0);
    const printed = io.lines.join('\n');
    expect(printed).toContain(`Next steps (also in ${path.join(out, 'NEXT-STEPS-Task.md')}):`);
    expect(printed).toMatch(
      /\d\. Add Task to the quarantine queue's supported objects: Setup > Queues > Synthetic Data Quarantine > Edit > Supported Objects > add Task > Save\./
    );
    expect(printed).toMatch(/\d\. Deploy after the package: sf project deploy start -d /);
    expect(printed).toContain(
      'sf org assign permset --name Synthetic_Data_Task --name Synthetic_Data_Task_Reviewer'
    );
    expect(printed).toContain('Tasks and Events report type');
    expect(printed).toContain('turn on Activity field history');
    const notes = fs.readFileSync(path.join(out, 'NEXT-STEPS-Task.md'), 'utf8');
    for (const step of nextStepsOf(governTargetOf('Task'), false, 'x')) {
      expect(notes).toContain(step.split(': ')[0]);
    }
    expect(fs.readFileSync(path.join(out, '.forceignore'), 'utf8')).toContain('NEXT-STEPS-*.md');
  });

  it('keeps an existing .forceignore of the folder and adds the notes pattern once', () => {
    const [, ignore] = nextStepsFiles('Task', ['Deploy.'], '**/jsconfig.json');
    expect(ignore).toEqual({
      path: '.forceignore',
      content: '**/jsconfig.json\n# sdg govern notes, not metadata.\nNEXT-STEPS-*.md\n'
    });
    expect(nextStepsFiles('Event', ['Deploy.'], ignore?.content).map((f) => f.path)).toEqual([
      'NEXT-STEPS-Event.md'
    ]);
    expect(nextStepsFiles('Task', ['Deploy.'], undefined)[0]?.content).toContain('1. Deploy.');
  });

  it('asks for field history before the deploy of an existing custom object, and for the queue', () => {
    const steps = nextStepsOf(governTargetOf('Invoice__c'), false, 'sf project deploy start -d x');
    expect(steps[0]).toMatch(/^Turn on field history for Invoice__c/);
    expect(steps[1]).toMatch(/^Deploy after the package/);
    expect(steps.some((s) => s.startsWith('Add Invoice__c to the quarantine queue'))).toBe(true);
    const created = nextStepsOf(governTargetOf('Invoice__c'), true, 'sf project deploy start -d x');
    expect(created[0]).toMatch(/^Deploy after the package/);
    expect(
      nextStepsOf(governTargetOf('CampaignMember'), false, 'x').find((s) =>
        s.startsWith('Add CampaignMember to the quarantine queue')
      )
    ).toMatch(/If Setup does not offer CampaignMember there/);
  });

  it('copies the automated-decision eligibility field and adds its list view (#30)', () => {
    const plan = planGovern(governTargetOf('Invoice__c'), false);
    expect(plan.fields).toContain('Automated_Decision_Eligible__c');
    const view = plan.files.find(
      (f) =>
        f.path ===
        'objects/Invoice__c/listViews/Synthetic_Automated_Decision_Excluded.listView-meta.xml'
    );
    expect(view?.content).toContain('<field>Automated_Decision_Eligible__c</field>');
    expect(view?.content).toContain('<value>0</value>');
    expect(plan.files.find((f) => f.path.includes('permissionsets/'))?.content).toContain(
      '<field>Invoice__c.Automated_Decision_Eligible__c</field>'
    );
  });

  it('generates a reviewer permission set with edit on exactly the fields a decision writes', () => {
    const permissionSetOf = (object: string, name: string) =>
      planGovern(governTargetOf(object), false).files.find(
        (f) => f.path === `permissionsets/${name}.permissionset-meta.xml`
      )?.content ?? '';
    const editable = (xml: string) =>
      [...xml.matchAll(/<editable>true<\/editable>\s*<field>([^<]+)<\/field>/g)].map((m) => m[1]);

    const invoice = permissionSetOf('Invoice__c', 'Synthetic_Data_Invoice_c_Reviewer');
    expect(editable(invoice)).toEqual([
      'Invoice__c.Synthetic_Status__c',
      'Invoice__c.Synthetic_Reviewed_At__c',
      'Invoice__c.Synthetic_Reviewed_By__c'
    ]);
    expect(invoice).not.toContain('<editable>false</editable>');
    // Task takes no lookup to User, so its reviewer set names only the two fields it has.
    const task = permissionSetOf('Task', 'Synthetic_Data_Task_Reviewer');
    expect(editable(task)).toEqual([
      'Activity.Synthetic_Status__c',
      'Activity.Synthetic_Reviewed_At__c'
    ]);
    expect(task).toContain('<label>Synthetic Data Task Reviewer</label>');
    // The read set stays read-only.
    expect(editable(permissionSetOf('Task', 'Synthetic_Data_Task'))).toEqual([]);
  });

  it('assumes a custom object exists unless --create-object, and says so', async () => {
    const io = captureIo();
    const out = path.join(dir, 'existing');
    expect(await runGovern({ object: 'Invoice__c', out }, io)).toBe(0);
    expect(fs.existsSync(path.join(out, 'objects/Invoice__c/Invoice__c.object-meta.xml'))).toBe(
      false
    );
    expect(io.lines.join('\n')).toMatch(/assumed to exist in the org.*--create-object/);
  });

  it('prints JSON with the files, what was skipped and the deploy command', async () => {
    const io = captureIo();
    expect(await runGovern({ object: 'Task', out: path.join(dir, 'json'), json: true }, io)).toBe(
      0
    );
    const json = JSON.parse(io.lines.join('\n')) as {
      deploy: string;
      skipped: unknown[];
      nextSteps: string[];
      nextStepsFile: string;
    };
    expect(json.deploy).toMatch(/^sf project deploy start -d /);
    expect(json.skipped).toHaveLength(5);
    expect(json.nextSteps.some((s) => s.includes('Supported Objects'))).toBe(true);
    expect(json.nextStepsFile).toBe(path.join(dir, 'json', 'NEXT-STEPS-Task.md'));
  });

  it.each([
    ['Foo__mdt', /custom metadata type has no Apex triggers/],
    ['Foo__e', /platform event/],
    ['Foo__x', /external object/],
    ['AccountHistory', /not a standard object sdg govern knows/],
    ['My Invoice', /not an object API name/],
    ['Invoice__c;drop', /not an object API name/],
    ['Bad__Name__c', /not an object API name/],
    ['Lead', /already governed by the package/]
  ])('refuses %s with exit 2 and a message', async (object, message) => {
    const io = captureIo();
    expect(await runGovern({ object, out: path.join(dir, 'refused') }, io)).toBe(2);
    expect(io.errors.join('\n')).toMatch(message);
    expect(fs.existsSync(path.join(dir, 'refused'))).toBe(false);
  });
});
