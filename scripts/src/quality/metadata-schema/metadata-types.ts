import fs from 'node:fs';
import ts from 'typescript';

/** How one property of a metadata type is declared in the Metadata API's published types. */
export interface PropertySpec {
  name: string;
  optional: boolean;
  array: boolean;
  /** `ref` names another type (an enumeration or a nested metadata type). */
  kind: 'string' | 'number' | 'boolean' | 'any' | 'ref';
  ref?: string;
  /** Literal values when the property itself is declared as an inline union. */
  values?: string[];
}

/** A metadata type: an object with properties (and base types), an enumeration, or a primitive alias. */
export type TypeSpec =
  | { kind: 'object'; bases: string[]; properties: Map<string, PropertySpec> }
  | { kind: 'enum'; values: string[] }
  | { kind: 'primitive'; primitive: 'string' | 'number' | 'boolean' | 'any' };

/** Every type of the Metadata API, read from `@salesforce/types/lib/metadata.d.ts`. */
export class MetadataTypes {
  private readonly flattened = new Map<string, Map<string, PropertySpec>>();

  constructor(readonly types: ReadonlyMap<string, TypeSpec>) {}

  /** Loads the published definitions with the TypeScript parser: the source of truth, no hand-written list. */
  static load(
    file = require.resolve('@salesforce/types/metadata').replace(/\.js$/, '.d.ts')
  ): MetadataTypes {
    const source = ts.createSourceFile(
      file,
      fs.readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      /* setParentNodes, so getText() works */ true
    );
    const types = new Map<string, TypeSpec>();
    for (const statement of source.statements) {
      if (ts.isTypeAliasDeclaration(statement)) {
        types.set(statement.name.text, readTypeNode(statement.type));
      }
    }
    return new MetadataTypes(types);
  }

  /** Whether the Metadata API has a type of this name. */
  has(name: string): boolean {
    return this.types.has(name);
  }

  /** A type's own and inherited properties (`Metadata & {…}` chains), or undefined if it is not an object type. */
  propertiesOf(name: string): Map<string, PropertySpec> | undefined {
    const cached = this.flattened.get(name);
    if (cached) return cached;
    const spec = this.types.get(name);
    if (spec?.kind !== 'object') return undefined;
    const merged = new Map<string, PropertySpec>();
    for (const base of spec.bases) {
      for (const [key, value] of this.propertiesOf(base) ?? []) merged.set(key, value);
    }
    for (const [key, value] of spec.properties) merged.set(key, value);
    this.flattened.set(name, merged);
    return merged;
  }
}

function keywordKind(node: ts.TypeNode): PropertySpec['kind'] | undefined {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return 'string';
    case ts.SyntaxKind.NumberKeyword:
      return 'number';
    case ts.SyntaxKind.BooleanKeyword:
      return 'boolean';
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return 'any';
    default:
      return undefined;
  }
}

function literalValues(node: ts.TypeNode): string[] | undefined {
  if (!ts.isUnionTypeNode(node)) return undefined;
  const values = node.types.map((member) =>
    ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal)
      ? member.literal.text
      : undefined
  );
  return values.every((value): value is string => value !== undefined) ? values : undefined;
}

function readTypeNode(node: ts.TypeNode): TypeSpec {
  const values = literalValues(node);
  if (values) return { kind: 'enum', values };
  const keyword = keywordKind(node);
  if (keyword && keyword !== 'ref') return { kind: 'primitive', primitive: keyword };
  const bases: string[] = [];
  const properties = new Map<string, PropertySpec>();
  const parts = ts.isIntersectionTypeNode(node) ? node.types : [node];
  for (const part of parts) {
    if (ts.isTypeReferenceNode(part)) bases.push(part.typeName.getText());
    if (ts.isTypeLiteralNode(part)) {
      for (const member of part.members) {
        if (ts.isPropertySignature(member) && member.type) {
          const spec = readProperty(
            member.name.getText(),
            member.type,
            Boolean(member.questionToken)
          );
          properties.set(spec.name, spec);
        }
      }
    }
  }
  return { kind: 'object', bases, properties };
}

function readProperty(name: string, node: ts.TypeNode, optional: boolean): PropertySpec {
  const array = ts.isArrayTypeNode(node);
  const element = ts.isArrayTypeNode(node) ? node.elementType : node;
  const values = literalValues(element);
  if (values) return { name, optional, array, kind: 'string', values };
  const keyword = keywordKind(element);
  if (keyword) return { name, optional, array, kind: keyword };
  if (ts.isTypeReferenceNode(element)) {
    return { name, optional, array, kind: 'ref', ref: element.typeName.getText() };
  }
  return { name, optional, array, kind: 'any' };
}
