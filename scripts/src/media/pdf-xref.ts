import { ByteSource, MalformedMediaError } from './byte-source';
import {
  PdfDict,
  PdfLexer,
  PdfNeedMore,
  PdfRef,
  PdfSyntaxError,
  PdfValue,
  decodeStream,
  isDict,
  nameOf
} from './pdf-objects';

/** The cross-reference data cannot be followed: the caller walks the objects in file order. */
export class PdfXrefError extends Error {}

const TAIL = 2048;
const FIRST_WINDOW = 1024;
const MAX_WINDOW = 4 * 1024 * 1024;
const MAX_SECTIONS = 1000;
const MAX_RESOLVES = 10_000;

type Entry =
  { kind: 'free' } | { kind: 'at'; offset: number } | { kind: 'in'; stream: number; index: number };

interface TableSection {
  kind: 'table';
  /** Subsections: object numbers first..first+count-1, 20-byte entries from `at`. */
  ranges: { first: number; count: number; at: number }[];
}
interface StreamSection {
  kind: 'stream';
  entries: Map<number, Entry>;
}
type Section = TableSection | StreamSection;

/** One resolved object: its value and, for a stream, where its data lies. */
export interface PdfObject {
  value: PdfValue;
  stream?: { dict: PdfDict; start: number; length: number };
}

/**
 * Random access to a PDF's objects through its cross-reference sections (ISO 32000-1 §7.5.4
 * tables, §7.5.8 streams, §7.5.6 incremental updates, §7.5.7 object streams), newest section
 * first. Table entries are read one by one (20 bytes each), so the bytes read grow with the
 * objects followed, not with the file or the number of objects in it.
 */
export class PdfDocument {
  readonly trailer: PdfDict;
  private readonly sections: Section[] = [];
  private readonly cache = new Map<number, PdfObject | undefined>();
  private readonly objectStreams = new Map<
    number,
    { text: string; offsets: Map<number, number> }
  >();
  private resolves = 0;

  constructor(private readonly src: ByteSource) {
    const tailStart = Math.max(0, src.size - TAIL);
    const tail = src.read(tailStart, src.size - tailStart).toString('latin1');
    const hits = [...tail.matchAll(/startxref\s+(\d+)/g)];
    const last = hits.at(-1);
    if (!last) throw new PdfXrefError('no startxref at the end of the file');
    let offset: number | undefined = Number(last[1]);
    let trailer: PdfDict | undefined;
    const seen = new Set<number>();
    while (offset !== undefined) {
      if (seen.has(offset) || seen.size >= MAX_SECTIONS)
        throw new PdfXrefError('cross-reference sections loop');
      seen.add(offset);
      const dict = this.loadSection(offset);
      trailer ??= dict;
      // A hybrid file's table points at a cross-reference stream for its compressed objects.
      const xrefStm = dict.get('XRefStm');
      if (typeof xrefStm === 'number' && !seen.has(xrefStm)) {
        seen.add(xrefStm);
        this.loadSection(xrefStm);
      }
      const prev = dict.get('Prev');
      offset = typeof prev === 'number' ? prev : undefined;
    }
    if (!trailer) throw new PdfXrefError('no trailer');
    this.trailer = trailer;
  }

  private loadSection(offset: number): PdfDict {
    if (!(offset >= 0 && offset < this.src.size))
      throw new PdfXrefError(`startxref ${offset} is outside the file`);
    const head = this.src.read(offset, Math.min(16, this.src.size - offset)).toString('latin1');
    if (/^\s*xref/.test(head)) return this.loadTable(offset);
    const object = this.objectAt(offset);
    const dict = object.stream?.dict;
    if (!object.stream || !dict || nameOf(dict.get('Type')) !== 'XRef')
      throw new PdfXrefError(`no cross-reference section at byte ${offset}`);
    this.sections.push({ kind: 'stream', entries: this.streamEntries(object) });
    return dict;
  }

  private loadTable(offset: number): PdfDict {
    const ranges: TableSection['ranges'] = [];
    let pos = offset + this.src.read(offset, 16).toString('latin1').indexOf('xref') + 4;
    for (;;) {
      const text = this.src.read(pos, Math.min(64, this.src.size - pos)).toString('latin1');
      const sub = /^\s*(\d+)\s+(\d+)[ \t]*(\r\n|\r|\n)/.exec(text);
      if (!sub) {
        const trailer = /^\s*trailer\s*/.exec(text);
        if (!trailer) throw new PdfXrefError(`cross-reference table at ${offset} has no trailer`);
        const dict = this.parseAt(pos + trailer[0].length, (lexer) => lexer.value());
        if (!isDict(dict)) throw new PdfXrefError('trailer is not a dictionary');
        this.sections.push({ kind: 'table', ranges });
        return dict;
      }
      const first = Number(sub[1]);
      const count = Number(sub[2]);
      ranges.push({ first, count, at: pos + sub[0].length });
      pos += sub[0].length + count * 20;
      if (pos > this.src.size) throw new PdfXrefError('cross-reference table runs past the end');
    }
  }

  private streamEntries(object: PdfObject): Map<number, Entry> {
    const { dict } = object.stream as NonNullable<PdfObject['stream']>;
    const data = this.streamData(object);
    const w = dict.get('W');
    if (!Array.isArray(w) || w.length !== 3 || !w.every((n) => typeof n === 'number'))
      throw new PdfXrefError('cross-reference stream without a valid /W');
    const widths = w;
    const size = dict.get('Size');
    const index = dict.get('Index') ?? [0, size];
    if (!Array.isArray(index))
      throw new PdfXrefError('cross-reference stream /Index is not an array');
    const rowLength = widths.reduce((a, b) => a + b, 0);
    const entries = new Map<number, Entry>();
    let at = 0;
    const field = (width: number, fallback: number) => {
      if (width === 0) return fallback;
      let n = 0;
      for (let i = 0; i < width; i++) n = n * 256 + (data[at++] ?? 0);
      return n;
    };
    for (let i = 0; i + 1 < index.length; i += 2) {
      const first = Number(index[i]);
      const count = Number(index[i + 1]);
      for (let k = 0; k < count; k++) {
        if (at + rowLength > data.length)
          throw new PdfXrefError('cross-reference stream cut short');
        const type = field(widths[0] as number, 1);
        const a = field(widths[1] as number, 0);
        const b = field(widths[2] as number, 0);
        entries.set(
          first + k,
          type === 1
            ? { kind: 'at', offset: a }
            : type === 2
              ? { kind: 'in', stream: a, index: b }
              : { kind: 'free' }
        );
      }
    }
    return entries;
  }

  private entry(num: number): Entry | undefined {
    for (const section of this.sections) {
      if (section.kind === 'stream') {
        const hit = section.entries.get(num);
        if (hit) return hit;
        continue;
      }
      const range = section.ranges.find((r) => num >= r.first && num < r.first + r.count);
      if (!range) continue;
      const line = this.src.read(range.at + (num - range.first) * 20, 18).toString('latin1');
      const parsed = /^(\d{10}) (\d{5}) ([nf])/.exec(line);
      if (!parsed)
        throw new PdfXrefError(`cross-reference entry for object ${num} is not 20 bytes`);
      return parsed[3] === 'n' ? { kind: 'at', offset: Number(parsed[1]) } : { kind: 'free' };
    }
    return undefined;
  }

  /** The object a reference names, or undefined when no section has it (or it is free). */
  resolve(ref: PdfRef | number): PdfObject | undefined {
    const num = typeof ref === 'number' ? ref : ref.num;
    if (this.cache.has(num)) return this.cache.get(num);
    if (++this.resolves > MAX_RESOLVES)
      throw new MalformedMediaError('too many PDF objects followed');
    const entry = this.entry(num);
    let object: PdfObject | undefined;
    if (entry?.kind === 'at') object = this.objectAt(entry.offset);
    else if (entry?.kind === 'in') object = this.inObjectStream(entry.stream, entry.index, num);
    this.cache.set(num, object);
    return object;
  }

  /** A direct value, or the value its reference resolves to. */
  value(v: PdfValue | undefined): PdfValue | undefined {
    return v instanceof PdfRef ? this.resolve(v)?.value : v;
  }

  /** A stream's decoded data (PdfFilterError when its filter is not FlateDecode). */
  streamData(object: PdfObject): Buffer {
    const stream = object.stream;
    if (!stream) throw new PdfSyntaxError('not a stream');
    return decodeStream(stream.dict, this.src.read(stream.start, stream.length));
  }

  /** A stream's bytes as stored, filters not applied. */
  rawStreamData(object: PdfObject): Buffer {
    const stream = object.stream;
    if (!stream) throw new PdfSyntaxError('not a stream');
    return this.src.read(stream.start, stream.length);
  }

  private parseAt<T>(offset: number, parse: (lexer: PdfLexer) => T): T {
    for (let window = FIRST_WINDOW; ; window *= 4) {
      const length = Math.min(window, this.src.size - offset);
      const atEnd = offset + length >= this.src.size;
      const lexer = new PdfLexer(this.src.read(offset, length).toString('latin1'), 0, atEnd);
      try {
        return parse(lexer);
      } catch (error) {
        if (!(error instanceof PdfNeedMore) || atEnd || window >= MAX_WINDOW) {
          if (error instanceof PdfNeedMore)
            throw new MalformedMediaError(`PDF object at byte ${offset} does not end`);
          throw error;
        }
      }
    }
  }

  private objectAt(offset: number): PdfObject {
    if (!(offset >= 0 && offset < this.src.size))
      throw new PdfXrefError(`object offset ${offset} is outside the file`);
    const { value, dataAt } = this.parseAt(offset, (lexer) => {
      const num = lexer.word();
      const gen = lexer.word();
      if (!/^\d+$/.test(num) || !/^\d+$/.test(gen) || lexer.word() !== 'obj')
        throw new PdfXrefError(`no object at byte ${offset}`);
      const v = lexer.value();
      lexer.skipSpace();
      const tail = /^stream(\r\n|\n|\r)/.exec(lexer.text.slice(lexer.pos, lexer.pos + 8));
      if (!tail && lexer.text.length - lexer.pos < 8 && !lexer.complete) throw new PdfNeedMore();
      return { value: v, dataAt: tail ? offset + lexer.pos + tail[0].length : undefined };
    });
    if (dataAt === undefined || !isDict(value)) return { value };
    const rawLength = value.get('Length');
    const length = rawLength instanceof PdfRef ? this.resolve(rawLength)?.value : rawLength;
    if (typeof length !== 'number' || length < 0 || dataAt + length > this.src.size)
      throw new MalformedMediaError(`PDF stream at byte ${offset} has no usable /Length`);
    return { value, stream: { dict: value, start: dataAt, length } };
  }

  private inObjectStream(streamNum: number, index: number, num: number): PdfObject | undefined {
    let objstm = this.objectStreams.get(streamNum);
    if (!objstm) {
      const container = this.resolve(streamNum);
      const dict = container?.stream?.dict;
      if (!container || !dict || nameOf(dict.get('Type')) !== 'ObjStm')
        throw new PdfXrefError(`object ${num} points at ${streamNum}, not an object stream`);
      const text = this.streamData(container).toString('latin1');
      const n = Number(dict.get('N'));
      const first = Number(dict.get('First'));
      const lexer = new PdfLexer(text, 0, true);
      const offsets = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const objNum = Number(lexer.word());
        const at = Number(lexer.word());
        if (!Number.isSafeInteger(objNum) || !Number.isSafeInteger(at))
          throw new PdfXrefError(`object stream ${streamNum} header is not pairs of numbers`);
        offsets.set(objNum, first + at);
      }
      objstm = { text, offsets };
      this.objectStreams.set(streamNum, objstm);
    }
    void index; // the header's own numbering is authoritative; /Index in the entry can be stale
    const at = objstm.offsets.get(num);
    if (at === undefined) return undefined;
    return { value: new PdfLexer(objstm.text, at, true).value() };
  }
}
