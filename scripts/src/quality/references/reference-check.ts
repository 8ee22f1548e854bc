import path from 'node:path';
import { displayPath, Finding } from '../finding';
import { XmlElement } from '../metadata-schema/xml-tree';
import { childText, IndexedFile, PackageIndex } from '../package-index';
import { lineAt, maskComments, maskHtmlComments, readSources, SourceText } from './source-files';
import { StandardSchema } from './standard-schema';

type Report = (file: string, line: number, message: string, rule?: string) => void;

function kebabToCamel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_m, letter: string) => letter.toUpperCase());
}

function descendants(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [
    ...(child.name === name ? [child] : []),
    ...descendants(child, name)
  ]);
}

/**
 * Checks that everything a deploy resolves across the package resolves: fields, objects and
 * record types named in metadata; LWC imports and child components; Apex references to labels,
 * custom permissions, static resources and custom metadata records.
 */
export class ReferenceChecker {
  private readonly findings: Finding[] = [];
  private readonly labels: Set<string>;
  private readonly customPermissions: Set<string>;
  private readonly staticResources: Set<string>;
  private readonly lwcBundles: Set<string>;
  private readonly apex: SourceText[];
  private readonly lwcSources: SourceText[];

  constructor(
    private readonly index: PackageIndex,
    private readonly standard: StandardSchema,
    packageDirectories: string[],
    private readonly cwd = process.cwd()
  ) {
    this.labels = new Set(
      index
        .ofType('CustomLabels')
        .flatMap((file) =>
          file.root.children
            .filter((c) => c.name === 'labels')
            .map((c) => childText(c, 'fullName') ?? '')
        )
    );
    this.customPermissions = new Set(index.ofType('CustomPermission').map((p) => p.fullName));
    this.staticResources = new Set(index.ofType('StaticResource').map((r) => r.fullName));
    this.lwcBundles = new Set(
      index.ofType('LightningComponentBundle').map((b) => path.basename(path.dirname(b.file)))
    );
    this.apex = readSources(packageDirectories, ['.cls', '.trigger']);
    this.lwcSources = readSources(packageDirectories, ['.js', '.html']).filter((s) =>
      s.file.includes(`${path.sep}lwc${path.sep}`)
    );
  }

  /** Runs every check and returns the findings. */
  check(): Finding[] {
    const report: Report = (file, line, message, rule = 'reference/missing') =>
      this.findings.push({ file: displayPath(file, this.cwd), line, rule, message });
    this.checkPermissionSets(report);
    this.checkObjectsAndFields(report);
    this.checkListViews(report);
    this.checkReportTypes(report);
    this.checkDashboards(report, this.checkReports(report));
    this.checkFolderShares(report);
    this.checkCustomMetadataRecords(report);
    this.checkQueues(report);
    this.checkFlexiPagesAppsAndTabs(report);
    this.checkLwc(report);
    this.checkApex(report);
    return this.findings;
  }

  // ---- resolution ---------------------------------------------------------------------------

  private objectExists(name: string): boolean {
    return this.standard.hasObject(name) || this.index.find('CustomObject', name) !== undefined;
  }

  private fieldExists(objectName: string, field: string): boolean {
    if (this.index.fieldsOf(objectName).has(field)) return true;
    if (this.standard.hasObject(objectName)) return this.standard.hasField(objectName, field);
    return StandardSchema.systemFieldsOf(objectName).includes(field);
  }

  /**
   * A field path from an object, as LWC schema imports allow: `Field__c`, or through lookups
   * (`Lookup__r.Name`, `Owner.Name`). A custom lookup is followed to its `referenceTo`; a standard
   * relationship only needs its `…Id` field (the standard schema does not say where it points).
   */
  private fieldPathExists(objectName: string, path: string[]): boolean {
    const [head = '', ...rest] = path;
    if (rest.length === 0) return this.fieldExists(objectName, head);
    if (head.endsWith('__r')) {
      const lookup = this.index.find('CustomField', `${objectName}.${head.replace(/__r$/, '__c')}`);
      const target = lookup?.root.children.find((c) => c.name === 'referenceTo')?.text.trim();
      return (
        target !== undefined && this.objectExists(target) && this.fieldPathExists(target, rest)
      );
    }
    return this.fieldExists(objectName, `${head}Id`);
  }

  /** `Object.Field` reference: reports an unknown object or field at the element. */
  private checkFieldRef(
    file: IndexedFile,
    element: XmlElement,
    qualified: string,
    report: Report,
    context: string
  ): void {
    const [objectName = '', field = ''] = qualified.split('.');
    if (!this.objectExists(objectName)) {
      report(
        file.file,
        element.line,
        `${context} ${qualified}, but object ${objectName} is neither in the package nor standard.`
      );
    } else if (!this.fieldExists(objectName, field)) {
      report(
        file.file,
        element.line,
        `${context} ${qualified}, which ${objectName} does not have.`
      );
    }
  }

  private customFieldFile(qualified: string): IndexedFile | undefined {
    const [objectName = '', field = ''] = qualified.split('.');
    return this.index.fieldsOf(objectName).get(field);
  }

  // ---- metadata -----------------------------------------------------------------------------

  private checkPermissionSets(report: Report): void {
    for (const file of this.index.ofType('PermissionSet')) {
      for (const grant of file.root.children) {
        const name = (key: string) => grant.children.find((c) => c.name === key);
        if (grant.name === 'fieldPermissions') {
          const field = name('field');
          if (!field) continue;
          this.checkFieldRef(
            file,
            field,
            field.text.trim(),
            report,
            'Permission set grants access to field'
          );
          const target = this.customFieldFile(field.text.trim());
          if (target && childText(target.root, 'required') === 'true') {
            report(
              file.file,
              field.line,
              `${field.text.trim()} is required; Salesforce refuses field permissions on required fields.`,
              'reference/invalid'
            );
          }
        } else if (grant.name === 'objectPermissions') {
          const object = name('object');
          if (object && !this.objectExists(object.text.trim())) {
            report(
              file.file,
              object.line,
              `Permission set grants access to object ${object.text.trim()}, which does not exist.`
            );
          }
        } else if (grant.name === 'customPermissions') {
          const permission = name('name');
          if (permission && !this.customPermissions.has(permission.text.trim())) {
            report(
              file.file,
              permission.line,
              `Permission set enables custom permission ${permission.text.trim()}, which is not in the package.`
            );
          }
        } else if (
          grant.name === 'customMetadataTypeAccesses' ||
          grant.name === 'customSettingAccesses'
        ) {
          const type = name('name');
          if (type && !this.index.find('CustomObject', type.text.trim())) {
            report(
              file.file,
              type.line,
              `Permission set grants access to ${type.text.trim()}, which is not in the package.`
            );
          }
        } else if (grant.name === 'classAccesses') {
          const apexClass = name('apexClass');
          if (apexClass && !this.index.find('ApexClass', apexClass.text.trim())) {
            report(
              file.file,
              apexClass.line,
              `Permission set grants access to Apex class ${apexClass.text.trim()}, which is not in the package.`
            );
          }
        } else if (grant.name === 'recordTypeVisibilities') {
          const recordType = name('recordType');
          if (recordType && !this.index.find('RecordType', recordType.text.trim())) {
            report(
              file.file,
              recordType.line,
              `Permission set names record type ${recordType.text.trim()}, which is not in the package.`
            );
          }
        } else if (grant.name === 'tabSettings') {
          const tab = name('tab');
          const tabName = tab?.text.trim() ?? '';
          if (tab && !tabName.startsWith('standard-') && !this.index.find('CustomTab', tabName)) {
            report(
              file.file,
              tab.line,
              `Permission set names tab ${tabName}, which is not in the package.`
            );
          }
        } else if (grant.name === 'applicationVisibilities') {
          const app = name('application');
          if (
            app &&
            !app.text.includes('__') &&
            !this.index.find('CustomApplication', app.text.trim())
          ) {
            report(
              file.file,
              app.line,
              `Permission set names app ${app.text.trim()}, which is not in the package.`
            );
          }
        }
      }
    }
  }

  /** Lookups point at existing objects; formulas (fields and validation rules) name existing fields. */
  private checkObjectsAndFields(report: Report): void {
    for (const field of this.index.ofType('CustomField')) {
      const objectName = field.fullName.split('.')[0] ?? '';
      const referenceTo = field.root.children.find((c) => c.name === 'referenceTo');
      if (referenceTo && !this.objectExists(referenceTo.text.trim())) {
        report(
          field.file,
          referenceTo.line,
          `Lookup references object ${referenceTo.text.trim()}, which does not exist.`
        );
      }
      const formula = field.root.children.find((c) => c.name === 'formula');
      if (formula) this.checkFormula(field, formula, objectName, report);
    }
    for (const rule of this.index.ofType('ValidationRule')) {
      const objectName = rule.fullName.split('.')[0] ?? '';
      const formula = rule.root.children.find((c) => c.name === 'errorConditionFormula');
      if (formula) this.checkFormula(rule, formula, objectName, report);
      const display = rule.root.children.find((c) => c.name === 'errorDisplayField');
      if (display && !this.fieldExists(objectName, display.text.trim())) {
        report(
          rule.file,
          display.line,
          `Error display field ${display.text.trim()} is not a field of ${objectName}.`
        );
      }
    }
  }

  /** Custom field tokens (`Name__c`, not after a dot or inside a string) must be fields of the object. */
  private checkFormula(
    file: IndexedFile,
    formula: XmlElement,
    objectName: string,
    report: Report
  ): void {
    const text = formula.text.replace(/"(?:\\.|[^"\\])*"/g, '""');
    for (const match of text.matchAll(/(?<![.\w$])([A-Za-z][A-Za-z0-9_]*__c)\b/g)) {
      const field = match[1] ?? '';
      if (!this.fieldExists(objectName, field)) {
        report(
          file.file,
          formula.line + lineAt(text, match.index) - 1,
          `Formula references ${field}, which is not a field of ${objectName}.`
        );
      }
    }
  }

  private checkListViews(report: Report): void {
    for (const view of this.index.ofType('ListView')) {
      const objectName = view.fullName.split('.')[0] ?? '';
      const named = [
        ...view.root.children.filter((c) => c.name === 'columns'),
        ...view.root.children
          .filter((c) => c.name === 'filters')
          .flatMap((f) => f.children.filter((c) => c.name === 'field'))
      ];
      for (const element of named) {
        // Standard columns use tokens such as FULL_NAME or LEAD.COMPANY; custom fields use their API name.
        const name = element.text.trim();
        if (name.endsWith('__c') && !this.fieldExists(objectName, name)) {
          report(
            view.file,
            element.line,
            `List view names ${name}, which is not a field of ${objectName}.`
          );
        }
      }
    }
  }

  private checkReportTypes(report: Report): void {
    for (const reportType of this.index.ofType('ReportType')) {
      const base = reportType.root.children.find((c) => c.name === 'baseObject');
      const baseObject = base?.text.trim() ?? '';
      if (base && !this.objectExists(baseObject)) {
        report(reportType.file, base.line, `Report type base object ${baseObject} does not exist.`);
        continue;
      }
      for (const column of descendants(reportType.root, 'columns')) {
        const table = childText(column, 'table');
        const field = column.children.find((c) => c.name === 'field');
        // Joined tables are relationship paths (Account.Contacts); only the base table is resolved here.
        if (table === baseObject && field && !this.fieldExists(baseObject, field.text.trim())) {
          report(
            reportType.file,
            field.line,
            `Report type column ${field.text.trim()} is not a field of ${baseObject}.`
          );
        }
      }
    }
  }

  /** `Table$Field` pairs a custom report type offers, from its sections' columns. */
  private reportTypeColumns(name: string): Set<string> | undefined {
    const reportType = this.index.find('ReportType', name);
    if (!reportType) return undefined;
    return new Set(
      descendants(reportType.root, 'columns').map(
        (column) => `${childText(column, 'table') ?? ''}$${childText(column, 'field') ?? ''}`
      )
    );
  }

  // Reports name columns as `Table$Field` of their report type (a custom one as `Name__c`), and
  // dashboards name reports as `Folder/Report`: a wrong name fails the deploy as "invalid report
  // type" or "invalid column" with no hint of which, so both are resolved here. Returns the
  // columns each report uses, by `Folder/Report`, for the dashboards.
  private checkReports(report: Report): Map<string, Set<string>> {
    const reportColumns = new Map<string, Set<string>>();
    const COLUMN_ELEMENTS = [
      'field',
      'column',
      'groupingColumn',
      'secondaryGroupingColumn',
      'dateColumn'
    ];
    for (const file of this.index.ofType('Report')) {
      const typeElement = file.root.children.find((c) => c.name === 'reportType');
      const typeName = typeElement?.text.trim() ?? '';
      const custom = typeName.endsWith('__c') ? typeName.slice(0, -3) : undefined;
      const offered = custom === undefined ? undefined : this.reportTypeColumns(custom);
      if (custom !== undefined && offered === undefined && typeElement) {
        report(
          file.file,
          typeElement.line,
          `Report uses report type ${custom}, which is not in the package.`
        );
      }
      const used = new Set<string>();
      for (const name of COLUMN_ELEMENTS) {
        for (const element of descendants(file.root, name)) {
          const column = element.text.trim();
          if (column === 'RowCount' || !column.includes('$')) continue;
          used.add(column);
          if (offered && !offered.has(column)) {
            report(
              file.file,
              element.line,
              `Report column ${column} is not in report type ${custom}.`
            );
          }
        }
      }
      reportColumns.set(`${path.basename(path.dirname(file.file))}/${file.fullName}`, used);
    }
    return reportColumns;
  }

  private checkFolderShares(report: Report): void {
    for (const folder of [
      ...this.index.ofType('ReportFolder'),
      ...this.index.ofType('DashboardFolder')
    ]) {
      for (const share of descendants(folder.root, 'folderShares')) {
        const to = share.children.find((c) => c.name === 'sharedTo');
        if (
          childText(share, 'sharedToType') === 'Group' &&
          to &&
          !this.index.find('Group', to.text.trim())
        ) {
          report(
            folder.file,
            to.line,
            `Folder is shared with group ${to.text.trim()}, which is not in the package.`
          );
        }
      }
    }
  }

  private checkDashboards(report: Report, reportColumns: Map<string, Set<string>>): void {
    for (const dashboard of this.index.ofType('Dashboard')) {
      for (const component of descendants(dashboard.root, 'dashboardComponent')) {
        const reportElement = component.children.find((c) => c.name === 'report');
        const columns = reportElement ? reportColumns.get(reportElement.text.trim()) : undefined;
        if (reportElement && !columns) {
          report(
            dashboard.file,
            reportElement.line,
            `Dashboard shows report ${reportElement.text.trim()}, which is not in the package.`
          );
          continue;
        }
        for (const name of ['column', 'groupingColumn']) {
          for (const element of descendants(component, name)) {
            const column = element.text.trim();
            if (column !== 'RowCount' && columns && !columns.has(column)) {
              report(
                dashboard.file,
                element.line,
                `Dashboard component uses ${column}, which its report does not show.`
              );
            }
          }
        }
      }
    }
  }

  private checkCustomMetadataRecords(report: Report): void {
    for (const record of this.index.ofType('CustomMetadata')) {
      const typeName = `${record.fullName.split('.')[0] ?? ''}__mdt`;
      if (!this.index.find('CustomObject', typeName)) {
        report(
          record.file,
          record.root.line,
          `Custom metadata record of ${typeName}, which is not in the package.`
        );
        continue;
      }
      for (const value of record.root.children.filter((c) => c.name === 'values')) {
        const field = value.children.find((c) => c.name === 'field');
        if (field && !this.index.fieldsOf(typeName).has(field.text.trim())) {
          report(
            record.file,
            field.line,
            `Custom metadata record sets ${field.text.trim()}, which ${typeName} does not have.`
          );
        }
      }
    }
  }

  private checkQueues(report: Report): void {
    for (const queue of this.index.ofType('Queue')) {
      for (const type of descendants(queue.root, 'sobjectType')) {
        if (!this.objectExists(type.text.trim())) {
          report(
            queue.file,
            type.line,
            `Queue supports object ${type.text.trim()}, which does not exist.`
          );
        }
      }
    }
  }

  /** Only `c:` components come from the package; other namespaces (flexipage, force, …) are the platform's. */
  private componentExists(name: string): boolean {
    const [namespace = '', component = ''] = name.split(':');
    return namespace !== 'c' || this.lwcBundles.has(component);
  }

  private checkFlexiPagesAppsAndTabs(report: Report): void {
    for (const page of this.index.ofType('FlexiPage')) {
      for (const component of descendants(page.root, 'componentName')) {
        if (!this.componentExists(component.text.trim())) {
          report(
            page.file,
            component.line,
            `FlexiPage places component ${component.text.trim()}, which is not in the package.`
          );
        }
      }
      const sobject = page.root.children.find((c) => c.name === 'sobjectType');
      if (sobject && !this.objectExists(sobject.text.trim())) {
        report(
          page.file,
          sobject.line,
          `FlexiPage is for object ${sobject.text.trim()}, which does not exist.`
        );
      }
    }
    for (const app of this.index.ofType('CustomApplication')) {
      for (const tab of app.root.children.filter((c) => c.name === 'tabs')) {
        const name = tab.text.trim();
        if (!name.startsWith('standard-') && !this.index.find('CustomTab', name)) {
          report(app.file, tab.line, `App includes tab ${name}, which is not in the package.`);
        }
      }
      for (const page of [
        ...descendants(app.root, 'utilityBar'),
        ...descendants(app.root, 'content')
      ]) {
        const name = page.text.trim();
        if (name && !this.index.find('FlexiPage', name)) {
          report(
            app.file,
            page.line,
            `App refers to Lightning page ${name}, which is not in the package.`
          );
        }
      }
    }
    for (const tab of this.index.ofType('CustomTab')) {
      const lwc = tab.root.children.find((c) => c.name === 'lwcComponent');
      if (lwc && !this.lwcBundles.has(lwc.text.trim())) {
        report(
          tab.file,
          lwc.line,
          `Tab shows component ${lwc.text.trim()}, which is not in the package.`
        );
      }
      const page = tab.root.children.find((c) => c.name === 'flexiPage');
      if (page && !this.index.find('FlexiPage', page.text.trim())) {
        report(
          tab.file,
          page.line,
          `Tab shows Lightning page ${page.text.trim()}, which is not in the package.`
        );
      }
      if (
        tab.root.children.some((c) => c.name === 'customObject' && c.text.trim() === 'true') &&
        !this.index.find('CustomObject', tab.fullName)
      ) {
        report(
          tab.file,
          tab.root.line,
          `Object tab for ${tab.fullName}, which is not in the package.`
        );
      }
    }
  }

  // ---- code ---------------------------------------------------------------------------------

  private auraEnabledMethods(className: string): Set<string> | undefined {
    const source = this.apex.find((s) => path.basename(s.file) === `${className}.cls`);
    if (!source) return undefined;
    const code = maskComments(source.text);
    const methods = new Set<string>();
    for (const match of code.matchAll(
      /@AuraEnabled\b(?:\s*\([^)]*\))?[\w\s<>,.[\]]*?\s(\w+)\s*\(/gi
    ))
      methods.add(match[1] ?? '');
    return methods;
  }

  private checkLwc(report: Report): void {
    for (const source of this.lwcSources) {
      const code = source.file.endsWith('.html')
        ? maskHtmlComments(source.text)
        : maskComments(source.text);
      const at = (index: number) => lineAt(code, index);
      if (source.file.endsWith('.html')) {
        for (const match of code.matchAll(/<c-([a-z0-9-]+)/g)) {
          const bundle = kebabToCamel(match[1] ?? '');
          if (!this.lwcBundles.has(bundle))
            report(
              source.file,
              at(match.index),
              `Template uses <c-${match[1]}>, but there is no component ${bundle}.`
            );
        }
        continue;
      }
      for (const match of code.matchAll(/from\s+['"](@salesforce\/[\w]+\/[^'"]+|c\/[^'"]+)['"]/g)) {
        const specifier = match[1] ?? '';
        const line = at(match.index);
        const [, kind = '', rest = ''] = /^@salesforce\/(\w+)\/(.+)$/.exec(specifier) ?? [];
        if (specifier.startsWith('c/')) {
          const bundle = specifier.slice(2).split('/')[0] ?? '';
          if (!this.lwcBundles.has(bundle))
            report(source.file, line, `Imports ${specifier}, but there is no component ${bundle}.`);
        } else if (kind === 'label') {
          const label = rest.replace(/^c\./, '');
          if (!this.labels.has(label))
            report(
              source.file,
              line,
              `Imports label ${label}, which is not in the package's custom labels.`
            );
        } else if (kind === 'customPermission') {
          if (!this.customPermissions.has(rest))
            report(
              source.file,
              line,
              `Imports custom permission ${rest}, which is not in the package.`
            );
        } else if (kind === 'resourceUrl') {
          if (!this.staticResources.has(rest))
            report(
              source.file,
              line,
              `Imports static resource ${rest}, which is not in the package.`
            );
        } else if (kind === 'schema') {
          const [objectName = '', ...path] = rest.split('.');
          if (!this.objectExists(objectName))
            report(
              source.file,
              line,
              `Imports schema of object ${objectName}, which does not exist.`
            );
          else if (path.length && !this.fieldPathExists(objectName, path))
            report(source.file, line, `Imports field ${rest}, which ${objectName} does not have.`);
        } else if (kind === 'apex') {
          const [className = '', method = ''] = rest.split('.');
          const methods = this.auraEnabledMethods(className);
          if (!methods)
            report(source.file, line, `Imports Apex ${rest}, but there is no class ${className}.`);
          else if (!methods.has(method))
            report(
              source.file,
              line,
              `Imports Apex ${rest}, but ${className} has no @AuraEnabled method ${method}.`
            );
        }
      }
    }
  }

  private checkApex(report: Report): void {
    const customMetadataRecords = new Set(
      this.index.ofType('CustomMetadata').map((r) => r.fullName)
    );
    for (const source of this.apex) {
      const code = maskComments(source.text);
      const at = (index: number) => lineAt(code, index);
      for (const match of code.matchAll(/\b(?:System\.)?Label\.(\w+)/g)) {
        if (!this.labels.has(match[1] ?? ''))
          report(
            source.file,
            at(match.index),
            `Uses Label.${match[1]}, which is not in the package's custom labels.`
          );
      }
      for (const match of code.matchAll(/FeatureManagement\.checkPermission\(\s*'([^']+)'\s*\)/g)) {
        if (!this.customPermissions.has(match[1] ?? ''))
          report(
            source.file,
            at(match.index),
            `Checks custom permission ${match[1]}, which is not in the package.`
          );
      }
      for (const match of code.matchAll(/FROM\s+StaticResource\s+WHERE\s+Name\s*=\s*'([^']+)'/gi)) {
        if (!this.staticResources.has(match[1] ?? ''))
          report(
            source.file,
            at(match.index),
            `Queries static resource ${match[1]}, which is not in the package.`
          );
      }
      for (const match of code.matchAll(/\b(\w+)__mdt\.getInstance\(\s*'([^']+)'\s*\)/g)) {
        const record = `${match[1]}.${match[2]}`;
        if (!customMetadataRecords.has(record))
          report(
            source.file,
            at(match.index),
            `Reads custom metadata record ${record}, which is not in the package.`
          );
      }
    }
  }
}

/** Runs the reference check over the package directories. */
export function checkReferences(packageDirectories: string[], cwd = process.cwd()): Finding[] {
  return new ReferenceChecker(
    PackageIndex.load(packageDirectories),
    StandardSchema.load(),
    packageDirectories,
    cwd
  ).check();
}
