import { SaxesParser } from 'saxes';
import { iptcTerm } from './jumbf';

const IPTC_EXT = 'http://iptc.org/std/Iptc4xmpExt/2008-02-29/';
const DCTERMS = 'http://purl.org/dc/terms/';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

/** What an XMP packet says about AI generation and C2PA provenance. */
export interface XmpFacts {
  digitalSourceType?: string;
  /** dcterms:provenance: `self#jumbf=/c2pa/…` (embedded) or a URL (remote manifest). */
  provenance?: string;
}

/**
 * Reads Iptc4xmpExt:DigitalSourceType and dcterms:provenance from an XMP packet, by namespace
 * (any prefix), whether written as attribute, element text or rdf:resource. An XMP packet that
 * is not well-formed XML yields no facts rather than a malformed file: XMP is advisory.
 */
export function xmpFacts(packet: string): XmpFacts {
  const facts: XmpFacts = {};
  const parser = new SaxesParser({ xmlns: true, position: false });
  let capture: keyof XmpFacts | undefined;
  let text = '';
  const keyOf = (uri: string, local: string): keyof XmpFacts | undefined =>
    uri === IPTC_EXT && local === 'DigitalSourceType'
      ? 'digitalSourceType'
      : uri === DCTERMS && local === 'provenance'
        ? 'provenance'
        : undefined;
  const set = (key: keyof XmpFacts, value: string) => {
    const clean = value.trim();
    if (clean && facts[key] === undefined)
      facts[key] = key === 'digitalSourceType' ? iptcTerm(clean) : clean;
  };
  parser.on('opentag', (tag) => {
    for (const attribute of Object.values(tag.attributes)) {
      const key = keyOf(attribute.uri, attribute.local);
      if (key) set(key, attribute.value);
    }
    const key = keyOf(tag.uri, tag.local);
    if (key) {
      const resource = Object.values(tag.attributes).find(
        (a) => a.uri === RDF && a.local === 'resource'
      );
      if (resource) set(key, resource.value);
      capture = key;
      text = '';
    }
  });
  parser.on('text', (value) => {
    if (capture) text += value;
  });
  parser.on('closetag', (tag) => {
    if (capture && keyOf(tag.uri, tag.local) === capture) {
      set(capture, text);
      capture = undefined;
    }
  });
  try {
    parser.write(packet).close();
  } catch {
    return facts;
  }
  return facts;
}
