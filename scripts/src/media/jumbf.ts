import { MalformedMediaError } from './byte-source';
import { CborValue, decodeCbor } from './cbor';

/** One JUMBF box (ISO/IEC 19566-5): a superbox has a label and children, a content box data. */
export interface JumbfBox {
  type: string;
  label?: string;
  children: JumbfBox[];
  data: Uint8Array;
}

const MAX_DEPTH = 32;
const MAX_BOXES = 100_000;

/** What the manifest store declares: the digital source type and the generator, if any. */
export interface ManifestFacts {
  manifests: number;
  digitalSourceType?: string;
  /** 'active' when the active manifest says it; 'ingredient' when an earlier manifest does. */
  digitalSourceTypeFrom?: 'active' | 'ingredient';
  generator?: string;
}

/** Parses a sequence of JUMBF boxes; a superbox ('jumb') must start with its description box. */
export function parseJumbf(bytes: Uint8Array): JumbfBox[] {
  let count = 0;
  const parse = (start: number, end: number, depth: number): JumbfBox[] => {
    if (depth > MAX_DEPTH) throw new MalformedMediaError('JUMBF boxes nested too deeply');
    const boxes: JumbfBox[] = [];
    let pos = start;
    while (pos < end) {
      if (++count > MAX_BOXES) throw new MalformedMediaError('too many JUMBF boxes');
      if (end - pos < 8) throw new MalformedMediaError(`JUMBF box header cut short at ${pos}`);
      const view = new DataView(bytes.buffer, bytes.byteOffset + pos, end - pos);
      let size = view.getUint32(0);
      const type = Buffer.from(bytes.subarray(pos + 4, pos + 8)).toString('latin1');
      let header = 8;
      if (size === 1) {
        if (end - pos < 16) throw new MalformedMediaError('JUMBF extended size cut short');
        size = Number(view.getBigUint64(8));
        header = 16;
      } else if (size === 0) size = end - pos;
      if (size < header || pos + size > end)
        throw new MalformedMediaError(
          `JUMBF box '${type}' at ${pos} has an impossible size ${size}`
        );
      const body = bytes.subarray(pos + header, pos + size);
      if (type === 'jumb') {
        const [description, ...children] = parse(pos + header, pos + size, depth + 1);
        if (description?.type !== 'jumd')
          throw new MalformedMediaError('JUMBF superbox without a description box');
        boxes.push({ type, label: description.label, children, data: body });
      } else if (type === 'jumd') {
        boxes.push({ type, label: descriptionLabel(body), children: [], data: body });
      } else {
        boxes.push({ type, children: [], data: body });
      }
      pos += size;
    }
    return boxes;
  };
  return parse(0, bytes.length, 0);
}

function descriptionLabel(body: Uint8Array): string | undefined {
  if (body.length < 17) throw new MalformedMediaError('JUMBF description box too short');
  const toggles = body[16] ?? 0;
  if (!(toggles & 0x02)) return undefined;
  const end = body.indexOf(0, 17);
  if (end < 0) throw new MalformedMediaError('JUMBF label is not terminated');
  return Buffer.from(body.subarray(17, end)).toString('utf8');
}

const child = (box: JumbfBox, label: string) => box.children.find((c) => c.label === label);
const cborOf = (box: JumbfBox | undefined): CborValue | undefined => {
  const content = box?.children.find((c) => c.type === 'cbor');
  return content ? decodeCbor(content.data) : undefined;
};
const isMap = (v: CborValue | undefined): v is { [key: string]: CborValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
const nameOf = (v: CborValue | undefined): string | undefined =>
  typeof v === 'string' ? v : isMap(v) && typeof v.name === 'string' ? v.name : undefined;

/** The IPTC term at the end of a digital source type URI (or the term itself). */
export function iptcTerm(value: string): string {
  return value.slice(value.lastIndexOf('/') + 1).trim();
}

function actionsOf(manifest: JumbfBox): { type?: string; agent?: string } {
  const assertions = child(manifest, 'c2pa.assertions');
  for (const assertion of assertions?.children ?? []) {
    if (!/^c2pa\.actions(\.v\d+)?(__\d+)?$/.test(assertion.label ?? '')) continue;
    const body = cborOf(assertion);
    const actions = isMap(body) && Array.isArray(body.actions) ? body.actions : [];
    for (const action of actions) {
      if (isMap(action) && typeof action.digitalSourceType === 'string')
        return { type: iptcTerm(action.digitalSourceType), agent: nameOf(action.softwareAgent) };
    }
  }
  return {};
}

function claimGenerator(manifest: JumbfBox): string | undefined {
  const claimBox = manifest.children.find((c) => /^c2pa\.claim(\.v\d+)?$/.test(c.label ?? ''));
  const claim = cborOf(claimBox);
  if (!isMap(claim)) return undefined;
  const info = claim.claim_generator_info;
  const first = Array.isArray(info) ? info[0] : info;
  return (
    nameOf(first) ?? (typeof claim.claim_generator === 'string' ? claim.claim_generator : undefined)
  );
}

/**
 * Reads the facts a policy needs from a C2PA manifest store: the active manifest is the last
 * one in the store; its actions' digital source type wins, else the newest ingredient manifest
 * that declares one (AI content stays AI content after an edit). The generator is the software
 * agent of the action that declared the type, else the active claim's generator.
 */
export function manifestFacts(store: Uint8Array): ManifestFacts {
  const top = parseJumbf(store);
  const root = top.find((box) => box.type === 'jumb' && box.label === 'c2pa');
  if (!root)
    throw new MalformedMediaError(
      'no C2PA manifest store (JUMBF label "c2pa") in the manifest data'
    );
  const manifests = root.children.filter((box) => box.type === 'jumb');
  const facts: ManifestFacts = { manifests: manifests.length };
  const active = manifests.at(-1);
  if (!active) return facts;
  for (let i = manifests.length - 1; i >= 0; i--) {
    const { type, agent } = actionsOf(manifests[i] as JumbfBox);
    if (type) {
      facts.digitalSourceType = type;
      facts.digitalSourceTypeFrom = i === manifests.length - 1 ? 'active' : 'ingredient';
      facts.generator = i === manifests.length - 1 ? agent : undefined;
      break;
    }
  }
  facts.generator ??= claimGenerator(active);
  return facts;
}
