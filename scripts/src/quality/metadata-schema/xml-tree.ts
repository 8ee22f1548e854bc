import { SaxesParser } from 'saxes';

/** An XML element with where it starts, so findings can point at the line. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
  column: number;
}

/** A well-formedness error with its position. */
export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number
  ) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

/** Parses a whole document into a tree of elements with 1-based line and column positions. */
export function parseXmlTree(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: XmlSyntaxError | undefined;

  parser.on('error', (error) => {
    failure ??= new XmlSyntaxError(
      error.message.replace(/^\d+:\d+: /, ''),
      parser.line,
      parser.column
    );
  });
  parser.on('opentagstart', (tag) => {
    const element: XmlElement = {
      name: tag.name,
      attributes: {},
      children: [],
      text: '',
      line: parser.line,
      // saxes reports the column just past `<name`; point at the `<`.
      column: Math.max(1, parser.column - tag.name.length - 1)
    };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on('attribute', (attribute) => {
    const current = stack.at(-1);
    if (current) current.attributes[attribute.name] = attribute.value;
  });
  parser.on('text', (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  });
  parser.on('cdata', (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });

  parser.write(xml).close();
  if (failure) throw failure;
  if (!root) throw new XmlSyntaxError('The document has no root element.', 1, 1);
  return root;
}

/** Text of a direct child element, or undefined. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((child) => child.name === name)?.text.trim();
}

/** Texts of every direct child element of that name. */
export function childTexts(element: XmlElement, name: string): string[] {
  return element.children.filter((child) => child.name === name).map((child) => child.text.trim());
}
