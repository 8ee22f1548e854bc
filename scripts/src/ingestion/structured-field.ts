/**
 * RFC 9651 (Structured Field Values for HTTP) dictionary parsing, as the `AI-Disclosure` header
 * needs it. Twin of the Apex class `StructuredField`; `IngestionVectors.json` holds both to the
 * same answers. Hand-written rather than the `structured-headers` package, whose Date parser
 * (2.1.0, the latest) fails on any member after a date (`date=@1745940000, model="x"`); that
 * package still checks this one in the property tests, on everything but dates.
 */

/** The kinds of bare item RFC 9651 defines, plus an inner list. */
export type ItemType =
  | 'integer'
  | 'decimal'
  | 'string'
  | 'token'
  | 'binary'
  | 'boolean'
  | 'date'
  | 'displaystring'
  | 'innerlist';

/** A bare item's value: numbers, text (a byte sequence as base64), booleans, or an inner list's items. */
export type ItemValue = number | string | boolean | Item[];

/** One item: a typed value and its parameters, in order. */
export interface Item {
  type: ItemType;
  value: ItemValue;
  params: [string, BareItem][];
}

/** A parameter's value. */
export interface BareItem {
  type: Exclude<ItemType, 'innerlist'>;
  value: number | string | boolean;
}

/** A parsed dictionary: members in order, a repeated key keeping its first position, last value. */
export type Dictionary = [string, Item][];

/** Input that is not a valid structured field; `offset` is where parsing stopped. */
export class StructuredFieldError extends Error {
  constructor(
    message: string,
    readonly offset: number
  ) {
    super(`${message} (at character ${offset + 1})`);
    this.name = 'StructuredFieldError';
  }
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/;
const KEY_START = /[a-z*]/;
const KEY_CHAR = /[a-z0-9_\-.*]/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

class Parser {
  private pos = 0;

  constructor(private readonly input: string) {}

  dictionary(): Dictionary {
    const members: Dictionary = [];
    this.skip(' ');
    while (!this.done()) {
      const key = this.key();
      let item: Item;
      if (this.peek() === '=') {
        this.pos++;
        item = this.itemOrInnerList();
      } else {
        item = { type: 'boolean', value: true, params: this.params() };
      }
      const at = members.findIndex(([existing]) => existing === key);
      if (at >= 0) members[at] = [key, item];
      else members.push([key, item]);
      this.skipOws();
      if (this.done()) break;
      if (this.peek() !== ',') this.fail('Expected "," between dictionary members');
      this.pos++;
      this.skipOws();
      if (this.done()) this.fail('A dictionary may not end with ","');
    }
    return members;
  }

  private itemOrInnerList(): Item {
    return this.peek() === '(' ? this.innerList() : this.item();
  }

  private innerList(): Item {
    this.pos++;
    const items: Item[] = [];
    while (!this.done()) {
      this.skip(' ');
      if (this.peek() === ')') {
        this.pos++;
        return { type: 'innerlist', value: items, params: this.params() };
      }
      items.push(this.item());
      const next = this.peek();
      if (next !== ' ' && next !== ')') this.fail('Expected " " or ")" in an inner list');
    }
    return this.fail('An inner list must end with ")"');
  }

  private item(): Item {
    const bare = this.bareItem();
    return { type: bare.type, value: bare.value, params: this.params() };
  }

  private params(): [string, BareItem][] {
    const params: [string, BareItem][] = [];
    while (this.peek() === ';') {
      this.pos++;
      this.skip(' ');
      const key = this.key();
      let value: BareItem = { type: 'boolean', value: true };
      if (this.peek() === '=') {
        this.pos++;
        value = this.bareItem();
      }
      const at = params.findIndex(([existing]) => existing === key);
      if (at >= 0) params[at] = [key, value];
      else params.push([key, value]);
    }
    return params;
  }

  private key(): string {
    const first = this.peek();
    if (first === undefined || !KEY_START.test(first))
      this.fail('A key must start with a lower-case letter or "*"');
    let key = '';
    while (!this.done() && KEY_CHAR.test(this.peek()!)) key += this.input[this.pos++];
    return key;
  }

  private bareItem(): BareItem {
    const c = this.peek();
    if (c === undefined) return this.fail('Expected a value');
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    if (c === '"') return { type: 'string', value: this.string() };
    if (/[A-Za-z*]/.test(c)) return { type: 'token', value: this.token() };
    if (c === ':') return { type: 'binary', value: this.binary() };
    if (c === '?') return { type: 'boolean', value: this.boolean() };
    if (c === '@') return this.date();
    if (c === '%') return { type: 'displaystring', value: this.displayString() };
    return this.fail(`Unexpected character "${c}"`);
  }

  private number(): BareItem {
    let sign = 1;
    if (this.peek() === '-') {
      sign = -1;
      this.pos++;
    }
    const first = this.peek();
    if (first === undefined || first < '0' || first > '9') this.fail('Expected a digit');
    let digits = '';
    let decimal = false;
    while (!this.done()) {
      const c = this.peek()!;
      if (c >= '0' && c <= '9') digits += c;
      else if (c === '.' && !decimal) {
        if (digits.length > 12) this.fail('A decimal has at most 12 integer digits');
        digits += c;
        decimal = true;
      } else break;
      this.pos++;
      if (!decimal && digits.length > 15) this.fail('An integer has at most 15 digits');
      if (decimal && digits.length > 16) this.fail('A decimal has at most 16 characters');
    }
    if (!decimal) return { type: 'integer', value: sign * Number(digits) };
    if (digits.endsWith('.')) this.fail('A decimal may not end with "."');
    if (digits.length - digits.indexOf('.') - 1 > 3)
      this.fail('A decimal has at most 3 fractional digits');
    return { type: 'decimal', value: sign * Number(digits) };
  }

  private string(): string {
    this.pos++;
    let out = '';
    while (!this.done()) {
      const c = this.input[this.pos++]!;
      if (c === '\\') {
        const next = this.input[this.pos++];
        if (next !== '"' && next !== '\\')
          this.fail('Only \\" and \\\\ may be escaped in a string');
        out += next;
      } else if (c === '"') return out;
      else if (c < ' ' || c > '~') this.fail('A string holds printable ASCII only');
      else out += c;
    }
    return this.fail('A string must end with "');
  }

  private token(): string {
    let out = this.input[this.pos++]!;
    while (!this.done() && TCHAR.test(this.peek()!)) out += this.input[this.pos++];
    return out;
  }

  private binary(): string {
    this.pos++;
    const end = this.input.indexOf(':', this.pos);
    if (end < 0) this.fail('A byte sequence must end with ":"');
    const body = this.input.slice(this.pos, end);
    if (!BASE64.test(body)) this.fail('A byte sequence holds base64 only');
    this.pos = end + 1;
    return body;
  }

  private boolean(): boolean {
    this.pos++;
    const c = this.input[this.pos++];
    if (c === '1') return true;
    if (c === '0') return false;
    return this.fail('A boolean is ?1 or ?0');
  }

  private date(): BareItem {
    this.pos++;
    const value = this.number();
    if (value.type !== 'integer') this.fail('A date is a whole number of seconds');
    return { type: 'date', value: value.value };
  }

  private displayString(): string {
    this.pos++;
    if (this.input[this.pos++] !== '"') this.fail('A display string starts with %"');
    const bytes: number[] = [];
    while (!this.done()) {
      const c = this.input[this.pos++]!;
      if (c === '"') {
        try {
          return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
        } catch {
          return this.fail('A display string must be UTF-8');
        }
      }
      if (c < ' ' || c > '~') this.fail('A display string holds printable ASCII only');
      if (c === '%') {
        const hex = this.input.slice(this.pos, this.pos + 2);
        if (!/^[0-9a-f]{2}$/.test(hex)) this.fail('Expected two lower-case hex digits after %');
        bytes.push(parseInt(hex, 16));
        this.pos += 2;
      } else bytes.push(c.charCodeAt(0));
    }
    return this.fail('A display string must end with "');
  }

  private skip(char: string): void {
    while (this.peek() === char) this.pos++;
  }

  private skipOws(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  private peek(): string | undefined {
    return this.input[this.pos];
  }

  private done(): boolean {
    return this.pos >= this.input.length;
  }

  private fail(message: string): never {
    throw new StructuredFieldError(message, this.pos);
  }
}

/**
 * Parses a Dictionary field value (several field lines already joined with ", ", as HTTP does).
 * Leading and trailing spaces are ignored; anything else RFC 9651 rejects throws
 * {@link StructuredFieldError}. Integers have at most 15 digits.
 */
export function parseDictionary(fieldValue: string): Dictionary {
  const trimmed = fieldValue.replace(/^ +| +$/g, '');
  return new Parser(trimmed).dictionary();
}
