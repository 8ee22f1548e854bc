import { MalformedMediaError } from './byte-source';

/** A decoded CBOR value: maps become plain objects with string keys. */
export type CborValue =
  null | boolean | number | string | Uint8Array | CborValue[] | { [key: string]: CborValue };

const MAX_DEPTH = 64;

// C2PA maps have text keys; any other key is kept under its JSON form so it cannot collide.
const keyText = (key: CborValue): string => (typeof key === 'string' ? key : JSON.stringify(key));
const MAX_ITEMS = 1_000_000;

/**
 * A strict, bounded CBOR (RFC 8949) decoder for C2PA assertions and claims. Hand-written rather
 * than a library because the Apex twin (MediaProvenanceScanner) must decode exactly the same
 * subset with the same limits: nesting past 64 levels, more than a million items, indefinite
 * lengths of the wrong type or reads past the end are "malformed", never a crash or a hang.
 * Tags are unwrapped; floats and undefined decode to numbers and null.
 */
export function decodeCbor(bytes: Uint8Array): CborValue {
  let pos = 0;
  let items = 0;

  const need = (n: number) => {
    if (pos + n > bytes.length) throw new MalformedMediaError('CBOR data ends early');
  };
  const uint = (info: number): number => {
    if (info < 24) return info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : -1;
    if (size < 0)
      throw new MalformedMediaError(`CBOR additional information ${info} is not allowed here`);
    need(size);
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + (bytes[pos++] ?? 0);
    if (!Number.isSafeInteger(value))
      throw new MalformedMediaError('CBOR length or integer too large');
    return value;
  };
  const float = (info: number): number => {
    const view = new DataView(bytes.buffer, bytes.byteOffset + pos);
    if (info === 25) {
      need(2);
      const half = view.getUint16(0);
      pos += 2;
      const exp = (half >> 10) & 0x1f;
      const mant = half & 0x3ff;
      const sign = half & 0x8000 ? -1 : 1;
      if (exp === 0) return sign * mant * 2 ** -24;
      if (exp === 31) return mant ? NaN : sign * Infinity;
      return sign * (mant + 1024) * 2 ** (exp - 25);
    }
    if (info === 26) {
      need(4);
      pos += 4;
      return view.getFloat32(0);
    }
    need(8);
    pos += 8;
    return view.getFloat64(0);
  };
  const text = (length: number): string => {
    need(length);
    const value = Buffer.from(bytes.buffer, bytes.byteOffset + pos, length).toString('utf8');
    pos += length;
    return value;
  };

  const isBreak = () => {
    need(1);
    if (bytes[pos] !== 0xff) return false;
    pos++;
    return true;
  };
  // Indefinite lengths (RFC 8949 3.2): chunked strings, and arrays and maps ended by a break.
  const indefinite = (major: number, depth: number): CborValue => {
    if (major === 2 || major === 3) {
      const chunks: Uint8Array[] = [];
      while (!isBreak()) {
        const chunk = item(depth + 1);
        if (major === 3 && typeof chunk === 'string') chunks.push(Buffer.from(chunk, 'utf8'));
        else if (major === 2 && chunk instanceof Uint8Array) chunks.push(chunk);
        else throw new MalformedMediaError('CBOR indefinite string has a chunk of another type');
      }
      const joined = Buffer.concat(chunks);
      return major === 3 ? joined.toString('utf8') : joined;
    }
    if (major === 4) {
      const list: CborValue[] = [];
      while (!isBreak()) list.push(item(depth + 1));
      return list;
    }
    if (major === 5) {
      const map = Object.create(null) as { [key: string]: CborValue };
      while (!isBreak()) {
        const key = item(depth + 1);
        map[keyText(key)] = item(depth + 1);
      }
      return map;
    }
    throw new MalformedMediaError(`CBOR major type ${major} cannot have an indefinite length`);
  };

  const item = (depth: number): CborValue => {
    if (depth > MAX_DEPTH) throw new MalformedMediaError('CBOR nested too deeply');
    if (++items > MAX_ITEMS) throw new MalformedMediaError('CBOR has too many items');
    need(1);
    const initial = bytes[pos++] ?? 0;
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (info === 31) return indefinite(major, depth);
    switch (major) {
      case 0:
        return uint(info);
      case 1:
        return -1 - uint(info);
      case 2: {
        const length = uint(info);
        need(length);
        const value = bytes.subarray(pos, pos + length);
        pos += length;
        return value;
      }
      case 3:
        return text(uint(info));
      case 4: {
        const length = uint(info);
        need(length); // every item takes at least one byte
        const list: CborValue[] = [];
        for (let i = 0; i < length; i++) list.push(item(depth + 1));
        return list;
      }
      case 5: {
        const length = uint(info);
        need(length * 2);
        // No prototype: a key such as __proto__ stays data.
        const map = Object.create(null) as { [key: string]: CborValue };
        for (let i = 0; i < length; i++) {
          const key = item(depth + 1);
          map[keyText(key)] = item(depth + 1);
        }
        return map;
      }
      case 6:
        uint(info);
        return item(depth + 1);
      default:
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22 || info === 23) return null;
        if (info >= 25 && info <= 27) return float(info);
        if (info === 24) {
          need(1);
          pos++;
          return null;
        }
        return null;
    }
  };

  return item(0);
}
