import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BROKEN_PACKAGE, PROJECT_ROOT } from '../broken-samples';
import { checkReferences } from './reference-check';
import { lineAt, maskComments, maskHtmlComments } from './source-files';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

/** Writes a throwaway package from `relative path → content` and returns its directory. */
function packageOf(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-refs-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

function messages(files: Record<string, string>): string[] {
  const root = packageOf(files);
  return checkReferences([root], root).map((f) => `${f.file}:${f.line} ${f.message}`);
}

const APEX_META = `<ApexClass ${NS}><apiVersion>66.0</apiVersion><status>Active</status></ApexClass>`;
const LWC_META = `<LightningComponentBundle ${NS}><apiVersion>66.0</apiVersion><isExposed>false</isExposed></LightningComponentBundle>`;
const field = (body: string) => `<CustomField ${NS}>${body}</CustomField>`;
const TEXT_FIELD = field(
  '<fullName>Real__c</fullName><label>Real</label><type>Text</type><length>10</length>'
);

describe('reference check on the broken samples', () => {
  const found = checkReferences([BROKEN_PACKAGE], PROJECT_ROOT).map(
    (f) => `${path.basename(f.file)}:${f.line} ${f.message}`
  );

  it('reports a permission set granting a missing field and a missing custom permission', () => {
    expect(found).toEqual(
      expect.arrayContaining([
        'Broken_Access.permissionset-meta.xml:9 Permission set grants access to field Lead.No_Such_Field__c, which Lead does not have.',
        'Broken_Access.permissionset-meta.xml:5 Permission set enables custom permission No_Such_Permission, which is not in the package.'
      ])
    );
  });

  it('reports an LWC importing a missing label and a missing Apex method', () => {
    expect(found).toEqual(
      expect.arrayContaining([
        "brokenRefs.js:2 Imports label No_Such_Label, which is not in the package's custom labels.",
        'brokenRefs.js:3 Imports Apex SampleController.noSuchMethod, but SampleController has no @AuraEnabled method noSuchMethod.'
      ])
    );
    expect(found.join('\n')).not.toContain('getGreeting');
  });

  it('reports a FlexiPage placing a missing component and a record setting a field its type lacks', () => {
    expect(found).toEqual(
      expect.arrayContaining([
        'Broken_Page.flexipage-meta.xml:6 FlexiPage places component c:noSuchComponent, which is not in the package.',
        'Sample_Setting.Broken.md-meta.xml:10 Custom metadata record sets Colour__c, which Sample_Setting__mdt does not have.'
      ])
    );
  });

  it('finds nothing else in the samples, and nothing in the real package', () => {
    expect(found).toHaveLength(6);
    expect(checkReferences([path.join(PROJECT_ROOT, 'force-app')])).toEqual([]);
  });
});

describe('reference check on every kind of reference', () => {
  it('checks fields and objects named by metadata', () => {
    const found = messages({
      'objects/Widget__c/Widget__c.object-meta.xml': `<CustomObject ${NS}><label>Widget</label></CustomObject>`,
      'objects/Widget__c/fields/Real__c.field-meta.xml': TEXT_FIELD,
      'objects/Widget__c/fields/Required__c.field-meta.xml': field(
        '<fullName>Required__c</fullName><label>R</label><required>true</required><type>Text</type><length>5</length>'
      ),
      'objects/Widget__c/fields/Owner_Link__c.field-meta.xml': field(
        '<fullName>Owner_Link__c</fullName><label>L</label><type>Lookup</type><referenceTo>Gadget__c</referenceTo>'
      ),
      'objects/Widget__c/fields/Calc__c.field-meta.xml': field(
        '<fullName>Calc__c</fullName><label>C</label><type>Text</type><formula>Real__c &amp; "Fake__c" &amp; Ghost__c &amp; Owner__r.Name__c</formula>'
      ),
      'objects/Widget__c/validationRules/Check.validationRule-meta.xml': `<ValidationRule ${NS}><fullName>Check</fullName><active>true</active><errorConditionFormula>ISBLANK(Real__c) &amp;&amp;
        ISBLANK(Missing__c)</errorConditionFormula><errorDisplayField>Nope__c</errorDisplayField><errorMessage>x</errorMessage></ValidationRule>`,
      'objects/Widget__c/listViews/All.listView-meta.xml': `<ListView ${NS}><fullName>All</fullName><columns>NAME</columns><columns>Gone__c</columns><filterScope>Everything</filterScope><filters><field>Real__c</field><operation>equals</operation><value>x</value></filters><label>All</label></ListView>`,
      'reportTypes/W.reportType-meta.xml': `<ReportType ${NS}><baseObject>Widget__c</baseObject><category>other</category><deployed>true</deployed><label>W</label><sections><columns><checkedByDefault>true</checkedByDefault><field>Lost__c</field><table>Widget__c</table></columns><columns><checkedByDefault>true</checkedByDefault><field>Any__c</field><table>Widget__c.Children__r</table></columns><masterLabel>S</masterLabel></sections></ReportType>`,
      'reportTypes/X.reportType-meta.xml': `<ReportType ${NS}><baseObject>Nothing__c</baseObject><category>other</category><deployed>true</deployed><label>X</label></ReportType>`,
      'queues/Q.queue-meta.xml': `<Queue ${NS}><name>Q</name><queueSobject><sobjectType>Lead</sobjectType></queueSobject><queueSobject><sobjectType>Nothing__c</sobjectType></queueSobject></Queue>`,
      'permissionsets/P.permissionset-meta.xml': `<PermissionSet ${NS}><label>P</label>
        <fieldPermissions><editable>false</editable><field>Widget__c.Required__c</field><readable>true</readable></fieldPermissions>
        <fieldPermissions><editable>false</editable><field>Nothing__c.X__c</field><readable>true</readable></fieldPermissions>
        <fieldPermissions><editable>false</editable><field>Lead.Company</field><readable>true</readable></fieldPermissions>
        <objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Nothing__c</object><viewAllRecords>false</viewAllRecords></objectPermissions>
        <customMetadataTypeAccesses><enabled>true</enabled><name>Nothing__mdt</name></customMetadataTypeAccesses>
        <classAccesses><apexClass>NoClass</apexClass><enabled>true</enabled></classAccesses>
        <recordTypeVisibilities><recordType>Widget__c.NoType</recordType><visible>true</visible></recordTypeVisibilities>
        <tabSettings><tab>No_Tab</tab><visibility>Visible</visibility></tabSettings>
        <tabSettings><tab>standard-Lead</tab><visibility>Visible</visibility></tabSettings>
        <applicationVisibilities><application>No_App</application><visible>true</visible></applicationVisibilities>
      </PermissionSet>`,
      'customMetadata/Nothing.Record.md-meta.xml': `<CustomMetadata ${NS}><label>R</label></CustomMetadata>`
    });
    expect(found.map((m) => m.replace(/^.*?:(\d+) /, '$1 '))).toEqual(
      expect.arrayContaining([
        '1 Lookup references object Gadget__c, which does not exist.',
        '1 Formula references Ghost__c, which is not a field of Widget__c.',
        '2 Formula references Missing__c, which is not a field of Widget__c.',
        '2 Error display field Nope__c is not a field of Widget__c.',
        '1 List view names Gone__c, which is not a field of Widget__c.',
        '1 Report type column Lost__c is not a field of Widget__c.',
        '1 Report type base object Nothing__c does not exist.',
        '1 Queue supports object Nothing__c, which does not exist.',
        '2 Widget__c.Required__c is required; Salesforce refuses field permissions on required fields.',
        '3 Permission set grants access to field Nothing__c.X__c, but object Nothing__c is neither in the package nor standard.',
        '5 Permission set grants access to object Nothing__c, which does not exist.',
        '6 Permission set grants access to Nothing__mdt, which is not in the package.',
        '7 Permission set grants access to Apex class NoClass, which is not in the package.',
        '8 Permission set names record type Widget__c.NoType, which is not in the package.',
        '9 Permission set names tab No_Tab, which is not in the package.',
        '11 Permission set names app No_App, which is not in the package.',
        '1 Custom metadata record of Nothing__mdt, which is not in the package.'
      ])
    );
    expect(found).toHaveLength(17);
  });

  it('checks apps, tabs and pages', () => {
    const found = messages({
      'applications/App.app-meta.xml': `<CustomApplication ${NS}><label>A</label><tabs>standard-Lead</tabs><tabs>No_Tab</tabs><utilityBar>No_Utility_Bar</utilityBar></CustomApplication>`,
      'tabs/Lwc_Tab.tab-meta.xml': `<CustomTab ${NS}><label>T</label><lwcComponent>noSuchCmp</lwcComponent><motif>Custom1: Heart</motif></CustomTab>`,
      'tabs/Page_Tab.tab-meta.xml': `<CustomTab ${NS}><flexiPage>No_Page</flexiPage><label>T</label><motif>Custom1: Heart</motif></CustomTab>`,
      'tabs/Ghost__c.tab-meta.xml': `<CustomTab ${NS}><customObject>true</customObject><motif>Custom1: Heart</motif></CustomTab>`,
      'flexipages/P.flexipage-meta.xml': `<FlexiPage ${NS}><flexiPageRegions><itemInstances><componentInstance><componentName>flexipage:richText</componentName></componentInstance></itemInstances><name>main</name><type>Region</type></flexiPageRegions><masterLabel>P</masterLabel><sobjectType>Nothing__c</sobjectType><type>RecordPage</type></FlexiPage>`
    });
    expect(found.map((m) => m.replace(/^.*?:\d+ /, ''))).toEqual(
      [
        'App includes tab No_Tab, which is not in the package.',
        'App refers to Lightning page No_Utility_Bar, which is not in the package.',
        'FlexiPage is for object Nothing__c, which does not exist.',
        'Object tab for Ghost__c, which is not in the package.',
        'Tab shows component noSuchCmp, which is not in the package.',
        'Tab shows Lightning page No_Page, which is not in the package.'
      ].sort(
        (a, b) => found.findIndex((m) => m.endsWith(a)) - found.findIndex((m) => m.endsWith(b))
      )
    );
    expect(found).toHaveLength(6);
  });

  it('checks reports against their report type, folder shares and dashboard components', () => {
    const reportType = `<ReportType ${NS}><baseObject>Lead</baseObject><deployed>true</deployed><label>L</label><sections><columns><checkedByDefault>true</checkedByDefault><field>Company</field><table>Lead</table></columns><masterLabel>S</masterLabel></sections></ReportType>`;
    const reportOf = (type: string, column: string) =>
      `<Report ${NS}><columns><field>${column}</field></columns><format>Summary</format><groupingsDown><field>Lead$Company</field><sortOrder>Asc</sortOrder></groupingsDown><name>R</name><reportType>${type}</reportType></Report>`;
    const found = messages({
      'reportTypes/Leads.reportType-meta.xml': reportType,
      'reports/F.reportFolder-meta.xml': `<ReportFolder ${NS}><folderShares><accessLevel>View</accessLevel><sharedTo>No_Group</sharedTo><sharedToType>Group</sharedToType></folderShares><name>F</name></ReportFolder>`,
      'reports/F/Good.report-meta.xml': reportOf('Leads__c', 'Lead$Company'),
      'reports/F/Bad_Column.report-meta.xml': reportOf('Leads__c', 'Lead$Nope__c'),
      'reports/F/Bad_Type.report-meta.xml': reportOf('Nope__c', 'Lead$Company'),
      'reports/F/Standard.report-meta.xml': reportOf('LeadList', 'COMPANY'),
      'dashboards/D/Dash.dashboard-meta.xml': `<Dashboard ${NS}><backgroundEndColor>#FFFFFF</backgroundEndColor><backgroundFadeDirection>Diagonal</backgroundFadeDirection><backgroundStartColor>#FFFFFF</backgroundStartColor><dashboardGridLayout><dashboardGridComponents><colSpan>6</colSpan><columnIndex>0</columnIndex><dashboardComponent><chartSummary><axisBinding>y</axisBinding><column>RowCount</column></chartSummary><componentType>Donut</componentType><groupingColumn>Lead$Status</groupingColumn><report>F/Good</report></dashboardComponent><rowIndex>0</rowIndex><rowSpan>8</rowSpan></dashboardGridComponents><dashboardGridComponents><colSpan>6</colSpan><columnIndex>6</columnIndex><dashboardComponent><chartSummary><axisBinding>y</axisBinding><column>RowCount</column></chartSummary><componentType>Donut</componentType><report>F/Missing</report></dashboardComponent><rowIndex>0</rowIndex><rowSpan>8</rowSpan></dashboardGridComponents><numberOfColumns>12</numberOfColumns><rowHeight>36</rowHeight></dashboardGridLayout><textColor>#000000</textColor><title>D</title><titleColor>#000000</titleColor><titleSize>12</titleSize></Dashboard>`
    });
    expect(found.map((m) => m.replace(/^.*?:\d+ /, '')).sort()).toEqual(
      [
        'Dashboard component uses Lead$Status, which its report does not show.',
        'Dashboard shows report F/Missing, which is not in the package.',
        'Folder is shared with group No_Group, which is not in the package.',
        'Report column Lead$Nope__c is not in report type Leads.',
        'Report uses report type Nope, which is not in the package.'
      ].sort()
    );
  });

  it('checks LWC imports and child components, ignoring comments', () => {
    const found = messages({
      'labels/CustomLabels.labels-meta.xml': `<CustomLabels ${NS}><labels><fullName>Known</fullName><language>en_US</language><protected>false</protected><shortDescription>k</shortDescription><value>v</value></labels></CustomLabels>`,
      'customPermissions/Can_Do.customPermission-meta.xml': `<CustomPermission ${NS}><isLicensed>false</isLicensed><label>C</label></CustomPermission>`,
      'classes/Ctl.cls':
        'public with sharing class Ctl {\n  @AuraEnabled(cacheable=true)\n  public static List<String> list() { return null; }\n  @AuraEnabled public static void save(String a) {}\n  public static void hidden() {}\n}\n',
      'classes/Ctl.cls-meta.xml': APEX_META,
      'objects/Widget__c/Widget__c.object-meta.xml': `<CustomObject ${NS}><label>Widget</label></CustomObject>`,
      'objects/Widget__c/fields/Maker__c.field-meta.xml': field(
        '<fullName>Maker__c</fullName><label>M</label><type>Lookup</type><referenceTo>User</referenceTo>'
      ),
      'lwc/child/child.js':
        "import { LightningElement } from 'lwc';\nexport default class Child extends LightningElement {}\n",
      'lwc/child/child.js-meta.xml': LWC_META,
      'lwc/parent/parent.js-meta.xml': LWC_META,
      'lwc/parent/parent.html':
        '<template>\n  <c-child></c-child>\n  <c-missing-one></c-missing-one>\n  <!-- <c-commented></c-commented> -->\n</template>\n',
      'lwc/parent/parent.js': [
        "import KNOWN from '@salesforce/label/c.Known';",
        "import UNKNOWN from '@salesforce/label/c.Unknown';",
        "import CAN from '@salesforce/customPermission/Can_Do';",
        "import CANNOT from '@salesforce/customPermission/Cannot_Do';",
        "import LOGO from '@salesforce/resourceUrl/logo';",
        "import LEAD_COMPANY from '@salesforce/schema/Lead.Company';",
        "import LEAD_SHOE from '@salesforce/schema/Lead.Shoe__c';",
        "import GHOST from '@salesforce/schema/Ghost__c';",
        "import MAKER from '@salesforce/schema/Widget__c.Maker__r.Name';",
        "import OWNER from '@salesforce/schema/Lead.Owner.Name';",
        "import NO_LINK from '@salesforce/schema/Widget__c.Nobody__r.Name';",
        "import list from '@salesforce/apex/Ctl.list';",
        "import save from '@salesforce/apex/Ctl.save';",
        "import hidden from '@salesforce/apex/Ctl.hidden';",
        "import other from '@salesforce/apex/Other.run';",
        "import { helper } from 'c/child';",
        "import { util } from 'c/utils';",
        "// import NOPE from '@salesforce/label/c.Commented';",
        'export default class Parent {}'
      ].join('\n')
    });
    expect(found.map((m) => m.replace(/^.*?parent\./, ''))).toEqual([
      'html:3 Template uses <c-missing-one>, but there is no component missingOne.',
      "js:2 Imports label Unknown, which is not in the package's custom labels.",
      'js:4 Imports custom permission Cannot_Do, which is not in the package.',
      'js:5 Imports static resource logo, which is not in the package.',
      'js:7 Imports field Lead.Shoe__c, which Lead does not have.',
      'js:8 Imports schema of object Ghost__c, which does not exist.',
      'js:11 Imports field Widget__c.Nobody__r.Name, which Widget__c does not have.',
      'js:14 Imports Apex Ctl.hidden, but Ctl has no @AuraEnabled method hidden.',
      'js:15 Imports Apex Other.run, but there is no class Other.',
      'js:17 Imports c/utils, but there is no component utils.'
    ]);
  });

  it('checks labels, custom permissions, static resources and custom metadata records used by Apex', () => {
    const found = messages({
      'labels/CustomLabels.labels-meta.xml': `<CustomLabels ${NS}><labels><fullName>Known</fullName><language>en_US</language><protected>false</protected><shortDescription>k</shortDescription><value>v</value></labels></CustomLabels>`,
      'objects/Cfg__mdt/Cfg__mdt.object-meta.xml': `<CustomObject ${NS}><label>Cfg</label></CustomObject>`,
      'customMetadata/Cfg.Main.md-meta.xml': `<CustomMetadata ${NS}><label>Main</label></CustomMetadata>`,
      'classes/Uses.cls-meta.xml': APEX_META,
      'classes/Uses.cls': [
        'public with sharing class Uses {',
        '  String a = Label.Known + System.Label.Unknown;',
        "  Boolean b = FeatureManagement.checkPermission('No_Perm');",
        "  List<StaticResource> r = [SELECT Body FROM StaticResource WHERE Name = 'vectors' LIMIT 1];",
        "  Cfg__mdt main = Cfg__mdt.getInstance('Main');",
        "  Cfg__mdt gone = Cfg__mdt.getInstance('Gone');",
        '  // String c = Label.Commented;',
        '}'
      ].join('\n')
    });
    expect(found.map((m) => m.replace(/^.*?Uses\.cls:/, ''))).toEqual([
      "2 Uses Label.Unknown, which is not in the package's custom labels.",
      '3 Checks custom permission No_Perm, which is not in the package.',
      '4 Queries static resource vectors, which is not in the package.',
      '6 Reads custom metadata record Cfg.Gone, which is not in the package.'
    ]);
  });
});

describe('source-file helpers', () => {
  it('count lines and mask comments without moving offsets', () => {
    expect(lineAt('a\nb\nc', 4)).toBe(3);
    const masked = maskComments("x /* a\nb */ y // z\n'q // not'", true);
    expect(masked.split('\n')).toEqual(['x     ', '     y     ', ' '.repeat(10)]);
    expect(maskHtmlComments('<a>\n<!-- <c-x>\n -->b')).toBe('<a>\n          \n    b');
    expect(maskComments("'keep // this'")).toBe("'keep // this'");
  });
});
