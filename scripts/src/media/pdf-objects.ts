import zlib from 'node:zlib';
import { MAX_METADATA_BYTES } from './byte-source';

/** A PDF name (`/Type`), with its `#xx` escapes decoded. */
export class PdfName {
  constructor(readonly name: string) {}
}

/** An indirect reference (`12 0 R`). */
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number
  ) {}
}

export type PdfDict = Map<string, PdfValue>;
export type PdfValue = number | boolean | null | string | PdfName | PdfRef | PdfValue[] | PdfDict;

/** The text ran out before the value ended: read a larger window and parse again. */
export class PdfNeedMore extends Error {}

/** Not PDF syntax: the caller decides whether that is a malformed file or a fallback. */
export class PdfSyntaxError extends Error {}

const DELIMITER = /[\s()<>[\]{}/%]/;
const MAX_NESTING = 64;

/**
 * A PDF object parser over a latin1 window of the file (ISO 32000-1 §7.3): just enough syntax to
 * follow the cross-reference sections, the catalog and its associated files.
 */
export class PdfLexer {
  /** `complete`: the text is the whole of what is parsed (a decoded object stream), not a window. */
  constructor(
    readonly text: string,
    public pos = 0,
    readonly complete = false
  ) {}

  skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos] as string;
      if (c === '%') {
        while (this.pos < text.length && text[this.pos] !== '\n' && text[this.pos] !== '\r')
          this.pos++;
      } else if (/[\s\0]/.test(c)) this.pos++;
      else return;
    }
  }

  /** The next token without consuming it when it is a keyword or number; '' at the end. */
  peekWord(): string {
    this.skipSpace();
    const match = /^[^\s()<>[\]{}/%]+/.exec(this.text.slice(this.pos, this.pos + 32));
    return match?.[0] ?? '';
  }

  word(): string {
    const w = this.peekWord();
    if (!w) this.end();
    if (!this.complete && this.pos + w.length >= this.text.length) throw new PdfNeedMore();
    this.pos += w.length;
    return w;
  }

  private end(): never {
    if (this.pos >= this.text.length) throw new PdfNeedMore();
    throw new PdfSyntaxError(`unexpected '${this.text[this.pos]}' at ${this.pos}`);
  }

  value(depth = 0): PdfValue {
    if (depth > MAX_NESTING) throw new PdfSyntaxError('PDF objects nested too deeply');
    this.skipSpace();
    const text = this.text;
    const c = text[this.pos];
    if (c === undefined) throw new PdfNeedMore();
    if (c === '<' && text[this.pos + 1] === '<') return this.dict(depth);
    if (c === '<') return this.hexString();
    if (c === '[') {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.pos >= text.length) throw new PdfNeedMore();
        if (text[this.pos] === ']') {
          this.pos++;
          return items;
        }
        items.push(this.value(depth + 1));
      }
    }
    if (c === '(') return this.literalString();
    if (c === '/') return this.name();
    const w = this.word();
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null') return null;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(w)) throw new PdfSyntaxError(`unexpected '${w}'`);
    const n = Number(w);
    if (/^\d+$/.test(w)) {
      // "12 0 R": look ahead without consuming unless both tokens are there.
      const save = this.pos;
      const gen = this.peekWord();
      if (/^\d+$/.test(gen)) {
        this.pos += gen.length;
        if (this.peekWord() === 'R') {
          this.pos += 1;
          return new PdfRef(n, Number(gen));
        }
      }
      this.pos = save;
    }
    return n;
  }

  dict(depth = 0): PdfDict {
    this.pos += 2;
    const dict: PdfDict = new Map();
    for (;;) {
      this.skipSpace();
      if (this.pos + 1 >= this.text.length) throw new PdfNeedMore();
      if (this.text[this.pos] === '>' && this.text[this.pos + 1] === '>') {
        this.pos += 2;
        return dict;
      }
      if (this.text[this.pos] !== '/') this.end();
      const key = this.name().name;
      dict.set(key, this.value(depth + 1));
    }
  }

  name(): PdfName {
    this.pos++;
    const start = this.pos;
    while (this.pos < this.text.length && !DELIMITER.test(this.text[this.pos] as string))
      this.pos++;
    if (!this.complete && this.pos >= this.text.length) throw new PdfNeedMore();
    const raw = this.text.slice(start, this.pos);
    return new PdfName(
      raw.replace(/#([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    );
  }

  private hexString(): string {
    const close = this.text.indexOf('>', this.pos);
    if (close < 0) throw new PdfNeedMore();
    const hex = this.text.slice(this.pos + 1, close).replace(/\s/g, '');
    this.pos = close + 1;
    return Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex').toString('latin1');
  }

  private literalString(): string {
    let out = '';
    let nest = 1;
    for (this.pos++; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos] as string;
      if (c === '\\') {
        this.pos++;
        out += this.text[this.pos] ?? '';
      } else if (c === '(') {
        nest++;
        out += c;
      } else if (c === ')' && --nest === 0) {
        this.pos++;
        return out;
      } else out += c;
    }
    throw new PdfNeedMore();
  }
}

export const nameOf = (v: PdfValue | undefined): string | undefined =>
  v instanceof PdfName ? v.name : undefined;
export const isDict = (v: PdfValue | undefined): v is PdfDict => v instanceof Map;

/** Why a stream's bytes cannot be had: a filter this reader does not implement. */
export class PdfFilterError extends Error {}

/**
 * Decodes a stream's data through its /Filter chain. FlateDecode (with PNG or TIFF predictors)
 * is what writers use for object streams, cross-reference streams and embedded files; any other
 * filter is a PdfFilterError, never a guess.
 */
export function decodeStream(dict: PdfDict, data: Buffer): Buffer {
  const filter = dict.get('Filter');
  const filters = Array.isArray(filter) ? filter : filter === undefined ? [] : [filter];
  const parms = dict.get('DecodeParms');
  const parmList = Array.isArray(parms) ? parms : [parms];
  let out = data;
  filters.forEach((f, i) => {
    const name = nameOf(f);
    if (name !== 'FlateDecode' && name !== 'Fl')
      throw new PdfFilterError(`stream filter ${name ?? '?'} is not decoded here`);
    try {
      out = zlib.inflateSync(out, {
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
        maxOutputLength: MAX_METADATA_BYTES
      });
    } catch (error) {
      throw new PdfFilterError(`FlateDecode failed: ${(error as Error).message}`);
    }
    const p = parmList[i];
    if (isDict(p)) out = unpredict(out, p);
  });
  return out;
}

function unpredict(data: Buffer, parms: PdfDict): Buffer {
  const predictor = Number(parms.get('Predictor') ?? 1);
  if (predictor < 10) {
    if (predictor === 1) return data;
    throw new PdfFilterError(`predictor ${predictor} is not decoded here`);
  }
  const colors = Number(parms.get('Colors') ?? 1);
  const bpc = Number(parms.get('BitsPerComponent') ?? 8);
  const columns = Number(parms.get('Columns') ?? 1);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const row = Math.ceil((colors * bpc * columns) / 8);
  if (!(row > 0)) throw new PdfFilterError('bad predictor parameters');
  const rows = Math.floor(data.length / (row + 1));
  const out = Buffer.alloc(rows * row);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (row + 1)];
    const src = r * (row + 1) + 1;
    const dst = r * row;
    for (let i = 0; i < row; i++) {
      const raw = data[src + i] as number;
      const left = i >= bpp ? (out[dst + i - bpp] as number) : 0;
      const up = r > 0 ? (out[dst - row + i] as number) : 0;
      const upLeft = r > 0 && i >= bpp ? (out[dst - row + i - bpp] as number) : 0;
      let value = raw;
      if (type === 1) value = raw + left;
      else if (type === 2) value = raw + up;
      else if (type === 3) value = raw + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else if (type !== 0) throw new PdfFilterError(`PNG predictor row type ${type}`);
      out[dst + i] = value & 0xff;
    }
  }
  return out;
}
