// The strict reader: bytes in, the members of a body or a typed parse error out, with the
// Rust core's kinds, messages, paths and positions.
//
// The core reads with serde_json, and its positions and syntax messages are serde_json's.
// To give the same verdict on the same bytes this reader follows serde_json's parser step
// by step (its `deserialize_any`, `parse_str`, number parsing, recursion limit and where
// each error is positioned), and the core's visitors (`src/json.rs`) on top of it. The
// words come from rules.ts, generated from the core; serde_json's own words are read
// from serde_json by the generator.

import { RULES } from "./rules.js";

type Row = (typeof RULES.request)[number] | (typeof RULES.participantToken)[number] | (typeof RULES.response)[number];

/** A member of the constraint table, as the reader and the validator read it. */
export interface Member {
  readonly member: string;
  readonly type: string;
  readonly required: boolean;
  readonly length: { readonly min: number | null; readonly max: number | null } | null;
  readonly range: { readonly min: number | null; readonly max: number | null } | null;
  readonly pattern: string | null;
  readonly enum: readonly string[] | null;
  readonly default: number | readonly string[] | null;
  readonly maxBytes: number | null;
  readonly sensitive: boolean;
  readonly source: { readonly [k: string]: string | undefined };
}

export const REQUEST_TABLE: readonly Member[] = RULES.request as readonly Row[] as readonly Member[];
export const TOKEN_TABLE: readonly Member[] = RULES.participantToken as readonly Row[] as readonly Member[];
export const RESPONSE_TABLE: readonly Member[] = RULES.response as readonly Row[] as readonly Member[];

const M = RULES.messages;
const SJ = RULES.serdeJson;

/** Fills a template of rules.ts: each `{name}` by its argument, inserted verbatim. */
export function fill(template: string, args: Record<string, string>): string {
  let out = "";
  let rest = template;
  for (;;) {
    const open = rest.indexOf("{");
    if (open < 0) break;
    out += rest.slice(0, open);
    const after = rest.slice(open + 1);
    const close = after.indexOf("}");
    if (close < 0) {
      out += rest.slice(open);
      rest = "";
      break;
    }
    const name = after.slice(0, close);
    const value = Object.prototype.hasOwnProperty.call(args, name) ? args[name] : undefined;
    out += value === undefined ? `{${name}}` : value;
    rest = after.slice(close + 1);
  }
  return out + rest;
}

/** The kinds of parse error, by their codes. */
export type ParseErrorKind =
  | { code: "invalidUtf8" }
  | { code: "syntax"; detail: string }
  | { code: "unexpectedEnd" }
  | { code: "trailingData" }
  | { code: "invalidEscape" }
  | { code: "tooDeep" }
  | { code: "notAnObject"; found: string }
  | { code: "duplicateMember"; name: string }
  | { code: "wrongType"; expected: string; found: string }
  | { code: "notAnInteger" }
  | { code: "integerOutOfRange" }
  | { code: "nullInCollection" }
  | { code: "invalidTimestamp" }
  | { code: "numberOutOfRange" }
  | { code: "byteOrderMark" };

/** A body that could not be read. */
export interface ParseError {
  kind: ParseErrorKind;
  line: number;
  column: number;
  path: string;
}

export function kindText(k: ParseErrorKind): string {
  switch (k.code) {
    case "invalidUtf8":
      return M.parseInvalidUtf8;
    case "syntax":
      return fill(M.parseSyntax, { detail: k.detail });
    case "unexpectedEnd":
      return M.parseUnexpectedEnd;
    case "trailingData":
      return M.parseTrailingData;
    case "invalidEscape":
      return M.parseInvalidEscape;
    case "tooDeep":
      return fill(M.parseTooDeep, { depth: String(RULES.limits.maxJsonDepth) });
    case "notAnObject":
      return fill(M.parseNotAnObject, { found: k.found });
    case "duplicateMember":
      return fill(M.parseDuplicateMember, { name: JSON.stringify(k.name) });
    case "wrongType":
      return fill(M.parseWrongType, { expected: k.expected, found: k.found });
    case "notAnInteger":
      return M.parseNotAnInteger;
    case "integerOutOfRange":
      return M.parseIntegerOutOfRange;
    case "nullInCollection":
      return M.parseNullInCollection;
    case "invalidTimestamp":
      return M.parseInvalidTimestamp;
    case "numberOutOfRange":
      return M.parseNumberOutOfRange;
    case "byteOrderMark":
      return M.parseByteOrderMark;
  }
}

/** The `exceptionMessage` of a SerializationException for `e`. */
export function parseErrorText(e: ParseError): string {
  let out = kindText(e.kind);
  if (e.path !== "") out += fill(M.parseAt, { path: e.path });
  if (e.line > 0) out += fill(M.parsePosition, { line: String(e.line), column: String(e.column) });
  return out;
}

/** A string member as read: its text, or absent. */
/** A map of the model (`attributes`): a plain object of its own members. */
export type Attributes = Record<string, string>;

/** Sets an own member, `__proto__` included (which plain assignment would take for the
 * prototype). */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

const hasOwn = Object.hasOwn;

const EMPTY_ROWS: unknown[][] = [];

/** A row of `n` absent members (a packed array, cloned from one made once). */
export function emptyRow(n: number): unknown[] {
  return (EMPTY_ROWS[n] ??= new Array(n).fill(undefined)).slice();
}
/** A read structure: member name to value (string, number, string[], Attributes, Body). */
export interface Body {
  /** The members' values in the order of the shape's table; `undefined` when absent. */
  readonly values: unknown[];
}

/** What reading a body gives: the members read and the unknown members' pointers. */
export interface Parsed {
  body: Body;
  unknown: string[];
}

// serde_json's error codes that are not ours: the words come from serde_json itself.
type SerdeCode = keyof typeof SJ | "eof";

/**
 * An error of serde_json's parser. The reader walks the decoded text, serde_json the
 * bytes: the position is the UTF-8 length of the text before `index`, plus `extra` bytes
 * (serde_json's `peek_position` is one byte past the byte it peeked, and some errors
 * follow one byte of a character or the four of a `\u` escape).
 */
class SerdeError {
  /** The pointer's segments, innermost first, added as the error leaves each member. */
  segs: string[] = [];
  constructor(
    readonly code: SerdeCode,
    readonly index: number,
    readonly extra: number,
  ) {}
}

/** A failure a visitor raised: its kind is the core's; its position is fixed by the
 * enclosing value, as serde_json's `fix_position` does. */
class Failure {
  segs: string[] = [];
  constructor(public index: number | null) {}
}

/** Adds the segment of the member, key or index an error leaves: the path is built only
 * for what fails, in the order of the core's path stack. */
function within(e: unknown, seg: string): unknown {
  if (e instanceof SerdeError || e instanceof Failure) e.segs.push(seg);
  return e;
}

const DEPTH_LIMIT = RULES.limits.maxJsonDepth + 1;

function escapeSegment(s: string): string {
  return s.indexOf("~") < 0 && s.indexOf("/") < 0 ? s : s.replace(/~/g, "~0").replace(/\//g, "~1");
}

type Num = { float: boolean; v: number };

const POW10: number[] = Array.from({ length: 309 }, (_, k) => Number(`1e${k}`));
const U64_MAX = "18446744073709551615";
/** The bounds of the model's integers (32-bit, as Smithy's `integer`). */
export const I32_MAX = RULES.limits.maxInt32;
export const I32_MIN = RULES.limits.minInt32;

/** A digit string is above u64::MAX. */
function overU64(digits: string): boolean {
  let z = 0;
  while (z < digits.length - 1 && digits.charCodeAt(z) === 0x30) z++;
  const n = digits.length - z;
  return n > 20 || (n === 20 && digits.slice(z) > U64_MAX);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** UTF-8 bytes of the character whose first code unit is `c`. */
function charBytes(c: number): number {
  return c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : 3;
}

class Reader {
  i = 0;
  depth = DEPTH_LIMIT;
  unknown: string[] = [];
  failure: ParseErrorKind | null = null;

  constructor(readonly t: string) {}

  // ---- positions, as serde_json's SliceRead computes them, in bytes ----

  /** serde_json's line and column of the byte `extra` past the text before `index`. */
  lineColumn(index: number, extra: number): [number, number] {
    const t = this.t;
    let line = 1;
    let bytes = 0;
    let lineStart = 0;
    let k = 0;
    for (; k < index && k < t.length; k++) {
      const c = t.charCodeAt(k);
      if (c === 0x0a) {
        line++;
        lineStart = bytes + 1;
      }
      const n = charBytes(c);
      bytes += n;
      if (n === 4) k++;
    }
    let rest = extra;
    for (; rest > 0 && k < t.length; k++) {
      const c = t.charCodeAt(k);
      const n = charBytes(c);
      if (c === 0x0a) {
        line++;
        lineStart = bytes + 1;
      }
      bytes += Math.min(n, rest);
      rest -= n;
      if (n === 4) k++;
    }
    return [line, bytes - lineStart];
  }

  error(code: SerdeCode): SerdeError {
    return new SerdeError(code, this.i, 0);
  }

  /** An error after one byte of the character at `at` (serde_json's `next_char`). */
  errorAfterByte(code: SerdeCode, at: number): SerdeError {
    return new SerdeError(code, at, 1);
  }

  peekError(code: SerdeCode): SerdeError {
    return new SerdeError(code, this.i, 1);
  }

  fail(kind: ParseErrorKind): Failure {
    if (this.failure === null) this.failure = kind;
    return new Failure(null);
  }

  wrong(expected: string, found: string): Failure {
    return this.fail({ code: "wrongType", expected, found });
  }

  // ---- serde_json's parser ----

  peek(): number {
    return this.i < this.t.length ? this.t.charCodeAt(this.i) : -1;
  }

  ws(): number {
    const t = this.t;
    for (;;) {
      const c = this.i < t.length ? t.charCodeAt(this.i) : -1;
      if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) this.i++;
      else return c;
    }
  }

  ident(rest: string): void {
    for (let k = 0; k < rest.length; k++) {
      if (this.i >= this.t.length) throw this.error("eof");
      const at = this.i;
      const c = this.t.charCodeAt(this.i);
      this.i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
      if (c !== rest.charCodeAt(k)) throw this.errorAfterByte("expectedSomeIdent", at);
    }
  }

  /** `parse_str`, the opening quote eaten. */
  str(): string {
    const t = this.t;
    let start = this.i;
    let j = start;
    for (;;) {
      let c = -1;
      while (j < t.length) {
        c = t.charCodeAt(j);
        if (c === 0x22 || c === 0x5c || c < 0x20) break;
        j++;
      }
      if (j === t.length) {
        this.i = j;
        throw this.error("eof");
      }
      if (c === 0x22) {
        this.i = j + 1;
        return t.slice(start, j);
      }
      if (c === 0x5c) {
        this.i = j + 1;
        // An escaped string is rare: it is built from its pieces.
        return t.slice(start, j) + this.escaped();
      }
      this.i = j + 1;
      throw this.error("controlCharacterWhileParsingString");
    }
  }

  /** The rest of a string after its first backslash. */
  escaped(): string {
    const t = this.t;
    let out = this.escape();
    let start = this.i;
    for (;;) {
      let j = this.i;
      let c = -1;
      while (j < t.length) {
        c = t.charCodeAt(j);
        if (c === 0x22 || c === 0x5c || c < 0x20) break;
        j++;
      }
      this.i = j;
      if (j === t.length) throw this.error("eof");
      out += t.slice(start, j);
      this.i = j + 1;
      if (c === 0x22) return out;
      if (c !== 0x5c) throw this.error("controlCharacterWhileParsingString");
      out += this.escape();
      start = this.i;
    }
  }

  hex4(): number {
    const t = this.t;
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.i + k < t.length ? t.charCodeAt(this.i + k) : -1;
      let d: number;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      else {
        // Not four hex digits: serde_json takes four bytes, or fails at the end.
        let bytes = 0;
        for (let q = this.i; q < t.length && bytes < 4; q++) {
          const b = charBytes(t.charCodeAt(q));
          bytes += b;
          if (b === 4) q++;
        }
        if (bytes < 4) {
          this.i = t.length;
          throw this.error("eof");
        }
        throw new SerdeError("invalidEscape", this.i, 4);
      }
      n = n * 16 + d;
    }
    this.i += 4;
    return n;
  }

  escape(): string {
    if (this.i >= this.t.length) throw this.error("eof");
    const at = this.i;
    const ch = this.t.charCodeAt(this.i);
    this.i++;
    switch (ch) {
      case 0x22:
        return '"';
      case 0x5c:
        return "\\";
      case 0x2f:
        return "/";
      case 0x62:
        return "\b";
      case 0x66:
        return "\f";
      case 0x6e:
        return "\n";
      case 0x72:
        return "\r";
      case 0x74:
        return "\t";
      case 0x75:
        return this.unicodeEscape();
      default:
        throw this.errorAfterByte("invalidEscape", at);
    }
  }

  unicodeEscape(): string {
    const n = this.hex4();
    if (n >= 0xdc00 && n <= 0xdfff) throw this.error("loneLeadingSurrogateInHexEscape");
    if (n < 0xd800 || n > 0xdbff) return String.fromCharCode(n);
    for (const want of [0x5c, 0x75]) {
      if (this.i >= this.t.length) throw this.error("eof");
      const at = this.i;
      const c = this.t.charCodeAt(this.i);
      if (c !== want) throw this.errorAfterByte("unexpectedEndOfHexEscape", at);
      this.i++;
    }
    const n2 = this.hex4();
    if (n2 < 0xdc00 || n2 > 0xdfff) throw this.error("loneLeadingSurrogateInHexEscape");
    return String.fromCharCode(n, n2);
  }

  /** `parse_integer`: the sign eaten. */
  integer(positive: boolean): Num {
    if (this.i >= this.t.length) throw this.error("eof");
    const at = this.i;
    const c = this.t.charCodeAt(this.i);
    if (c === 0x30) {
      this.i++;
      if (isDigit(this.peek())) throw this.peekError("invalidNumber");
      return this.number(positive, at);
    }
    if (c >= 0x31 && c <= 0x39) {
      this.i++;
      while (isDigit(this.peek())) {
        // Up to 19 digits always fit in 64 bits; beyond, serde_json switches to floats.
        if (this.i - at >= 19 && overU64(this.t.slice(at, this.i + 1))) {
          return { float: true, v: this.longInteger(positive, this.t.slice(at, this.i)) };
        }
        this.i++;
      }
      return this.number(positive, at);
    }
    throw this.errorAfterByte("invalidNumber", at);
  }

  number(positive: boolean, at: number): Num {
    const p = this.peek();
    const digits = this.t.slice(at, this.i);
    if (p === 0x2e) return { float: true, v: this.decimal(positive, digits, 0) };
    if (p === 0x65 || p === 0x45) return { float: true, v: this.exponent(positive, digits, 0) };
    const v = Number(digits);
    if (positive) return { float: false, v };
    // serde_json: `-0` and anything below i64::MIN are floats.
    if (v === 0) return { float: true, v: -0 };
    if (digits.length >= 19 && BigInt(digits) > 9223372036854775808n) return { float: true, v: -v };
    return { float: false, v: -v };
  }

  longInteger(positive: boolean, digits: string): number {
    let exponent = 0;
    for (;;) {
      const p = this.peek();
      if (isDigit(p)) {
        this.i++;
        exponent++;
      } else if (p === 0x2e) {
        return this.decimal(positive, digits, exponent);
      } else if (p === 0x65 || p === 0x45) {
        return this.exponent(positive, digits, exponent);
      } else {
        return this.fromParts(positive, digits, exponent);
      }
    }
  }

  decimal(positive: boolean, digits: string, before: number): number {
    this.i++;
    let after = 0;
    const from = this.i;
    while (isDigit(this.peek())) {
      if (digits.length + (this.i - from) >= 19 && overU64(digits + this.t.slice(from, this.i + 1))) {
        // parse_decimal_overflow: the remaining digits are dropped.
        const kept = digits + this.t.slice(from, this.i);
        while (isDigit(this.peek())) this.i++;
        const q = this.peek();
        if (q === 0x65 || q === 0x45) return this.exponent(positive, kept, before + after);
        return this.fromParts(positive, kept, before + after);
      }
      this.i++;
      after--;
    }
    if (after === 0) {
      if (this.i < this.t.length) throw this.peekError("invalidNumber");
      throw this.peekError("eof");
    }
    const all = digits + this.t.slice(from, this.i);
    const q = this.peek();
    if (q === 0x65 || q === 0x45) return this.exponent(positive, all, before + after);
    return this.fromParts(positive, all, before + after);
  }

  exponent(positive: boolean, digits: string, starting: number): number {
    this.i++;
    let positiveExp = true;
    const s = this.peek();
    if (s === 0x2b) this.i++;
    else if (s === 0x2d) {
      this.i++;
      positiveExp = false;
    }
    if (this.i >= this.t.length) throw this.error("eof");
    const at = this.i;
    const c = this.t.charCodeAt(this.i);
    if (!isDigit(c)) throw this.errorAfterByte("invalidNumber", at);
    this.i++;
    let exp = c - 0x30;
    for (;;) {
      const p = this.peek();
      if (!isDigit(p)) break;
      this.i++;
      const d = p - 0x30;
      if (exp > (I32_MAX - d) / 10) {
        const zero = /^0*$/.test(digits);
        if (!zero && positiveExp) throw this.error("numberOutOfRange");
        while (isDigit(this.peek())) this.i++;
        return positive ? 0 : -0;
      }
      exp = exp * 10 + d;
    }
    const sat = (n: number) => Math.max(I32_MIN, Math.min(I32_MAX, n));
    const finalExp = positiveExp ? sat(starting + exp) : sat(starting - exp);
    return this.fromParts(positive, digits, finalExp);
  }

  /** serde_json's `f64_from_parts` without `float_roundtrip`. */
  fromParts(positive: boolean, digits: string, exponent: number): number {
    let f = Number(digits);
    for (;;) {
      const abs = Math.abs(exponent);
      if (abs < POW10.length) {
        if (exponent >= 0) {
          f *= POW10[abs]!;
          if (!Number.isFinite(f)) throw this.error("numberOutOfRange");
        } else {
          f /= POW10[abs]!;
        }
        break;
      }
      if (f === 0) break;
      if (exponent >= 0) throw this.error("numberOutOfRange");
      f /= 1e308;
      exponent += 308;
    }
    return positive ? f : -f;
  }

  /** `deserialize_any` with a visitor. */
  any<T>(v: Visitor<T>): T {
    const peek = this.ws();
    if (peek < 0) throw this.peekError("eof");
    try {
      switch (peek) {
        case 0x6e:
          this.i++;
          this.ident("ull");
          return v.unit(this);
        case 0x74:
          this.i++;
          this.ident("rue");
          return v.bool(this);
        case 0x66:
          this.i++;
          this.ident("alse");
          return v.bool(this);
        case 0x2d:
          this.i++;
          return v.num(this, this.integer(false));
        case 0x22:
          this.i++;
          return v.str(this, this.str());
        case 0x5b: {
          if (--this.depth === 0) throw this.peekError("recursionLimitExceeded");
          this.i++;
          let ret: T;
          try {
            ret = v.seq(this, new Seq(this));
          } catch (e) {
            this.depth++;
            this.endSeqQuiet();
            throw e;
          }
          this.depth++;
          this.endSeq();
          return ret;
        }
        case 0x7b: {
          if (--this.depth === 0) throw this.peekError("recursionLimitExceeded");
          this.i++;
          let ret: T;
          try {
            ret = v.map(this, new MapAccess(this));
          } catch (e) {
            this.depth++;
            this.endMapQuiet();
            throw e;
          }
          this.depth++;
          this.endMap();
          return ret;
        }
        default:
          if (isDigit(peek)) return v.num(this, this.integer(true));
          throw this.peekError("expectedSomeValue");
      }
    } catch (e) {
      // serde_json's `fix_position`: an error without a position gets the current one.
      if (e instanceof Failure && e.index === null) e.index = this.i;
      throw e;
    }
  }

  endSeq(): void {
    const c = this.ws();
    if (c === 0x5d) {
      this.i++;
      return;
    }
    if (c === 0x2c) {
      this.i++;
      if (this.ws() === 0x5d) throw this.peekError("trailingComma");
      throw this.peekError("trailingCharacters");
    }
    if (c >= 0) throw this.peekError("trailingCharacters");
    throw this.peekError("eof");
  }

  /** end_seq run after a visitor's error: only its effect on the position counts. */
  endSeqQuiet(): void {
    try {
      this.endSeq();
    } catch {
      // The visitor's error is the one returned.
    }
  }

  endMap(): void {
    const c = this.ws();
    if (c === 0x7d) {
      this.i++;
      return;
    }
    if (c === 0x2c) throw this.peekError("trailingComma");
    if (c >= 0) throw this.peekError("trailingCharacters");
    throw this.peekError("eof");
  }

  endMapQuiet(): void {
    try {
      this.endMap();
    } catch {
      // The visitor's error is the one returned.
    }
  }

  colon(): void {
    const c = this.ws();
    if (c === 0x3a) {
      this.i++;
      return;
    }
    if (c >= 0) throw this.peekError("expectedColon");
    throw this.peekError("eof");
  }
}

class Seq {
  first = true;
  constructor(readonly r: Reader) {}

  /** Whether another element follows (serde_json's `has_next_element`). */
  hasNext(): boolean {
    const r = this.r;
    const c = r.ws();
    if (c < 0) throw r.peekError("eof");
    if (c === 0x5d) return false;
    if (this.first) {
      this.first = false;
      return true;
    }
    if (c === 0x2c) {
      r.i++;
      const d = r.ws();
      if (d === 0x5d) throw r.peekError("trailingComma");
      if (d < 0) throw r.peekError("eof");
      return true;
    }
    throw r.peekError("expectedListCommaOrEnd");
  }
}

class MapAccess {
  first = true;
  constructor(readonly r: Reader) {}

  /** The next member of `table`: its row, or -1 with the name in `name` for an unknown
   * one, or null at the end. A known name without escapes is matched in place, with no
   * string made for it. */
  nextMember(table: readonly Member[]): number | null {
    if (!this.hasNextKey()) return null;
    const r = this.r;
    r.i++;
    const t = r.t;
    for (let k = 0; k < table.length; k++) {
      const member = table[k]!.member;
      if (t.charCodeAt(r.i + member.length) === 0x22 && t.startsWith(member, r.i)) {
        r.i += member.length + 1;
        this.name = member;
        return k;
      }
    }
    const name = r.str();
    this.name = name;
    for (let k = 0; k < table.length; k++) if (table[k]!.member === name) return k;
    return -1;
  }

  /** The name `nextMember` read. */
  name = "";

  /** `has_next_key`: whether a key follows; the reader is left at its quote. */
  hasNextKey(): boolean {
    const r = this.r;
    const c = r.ws();
    if (c < 0) throw r.peekError("eof");
    if (c === 0x7d) return false;
    if (this.first) {
      this.first = false;
      if (c !== 0x22) throw r.peekError("keyMustBeAString");
    } else if (c === 0x2c) {
      r.i++;
      const d = r.ws();
      if (d === 0x7d) throw r.peekError("trailingComma");
      if (d < 0) throw r.peekError("eof");
      if (d !== 0x22) throw r.peekError("keyMustBeAString");
    } else {
      throw r.peekError("expectedObjectCommaOrEnd");
    }
    return true;
  }

  /** The next key, or null at the end (`has_next_key`, then the key string). */
  nextKey(): string | null {
    const r = this.r;
    const c = r.ws();
    if (c < 0) throw r.peekError("eof");
    if (c === 0x7d) return null;
    if (this.first) {
      this.first = false;
      if (c !== 0x22) throw r.peekError("keyMustBeAString");
    } else if (c === 0x2c) {
      r.i++;
      const d = r.ws();
      if (d === 0x7d) throw r.peekError("trailingComma");
      if (d < 0) throw r.peekError("eof");
      if (d !== 0x22) throw r.peekError("keyMustBeAString");
    } else {
      throw r.peekError("expectedObjectCommaOrEnd");
    }
    r.i++;
    return r.str();
  }
}

/** What a value becomes, by its JSON type (serde's `Visitor`). */
interface Visitor<T> {
  unit(r: Reader): T;
  bool(r: Reader): T;
  num(r: Reader, n: Num): T;
  str(r: Reader, s: string): T;
  seq(r: Reader, s: Seq): T;
  map(r: Reader, m: MapAccess): T;
}

const F = RULES.messages;

/** A visitor that refuses every JSON type; `null` is absent, or not allowed. */
function rejecting<T>(expected: string, nullAbsent: boolean): Visitor<T> {
  return {
    unit: (r) => {
      if (nullAbsent) return undefined as T;
      throw r.fail({ code: "nullInCollection" });
    },
    bool: (r) => {
      throw r.wrong(expected, F.foundBoolean);
    },
    num: (r) => {
      throw r.wrong(expected, F.foundNumber);
    },
    str: (r) => {
      throw r.wrong(expected, F.foundString);
    },
    seq: (r) => {
      throw r.wrong(expected, F.foundArray);
    },
    map: (r) => {
      throw r.wrong(expected, F.foundObject);
    },
  };
}

const STRING: Visitor<string | undefined> = { ...rejecting<string | undefined>(F.expectedString, true), str: (_, s) => s };
const ITEM: Visitor<string> = { ...rejecting<string>(F.expectedString, false), str: (_, s) => s };

function integerOf(r: Reader, n: Num): number {
  if (n.float) {
    const v = n.v;
    const wholeButHuge = Number.isFinite(v) && Math.trunc(v) === v && Math.abs(v) > I32_MAX;
    throw r.fail(wholeButHuge ? { code: "integerOutOfRange" } : { code: "notAnInteger" });
  }
  if (n.v > I32_MAX || n.v < I32_MIN) throw r.fail({ code: "integerOutOfRange" });
  return n.v;
}

const INTEGER: Visitor<number | undefined> = { ...rejecting<number | undefined>(F.expectedInteger, true), num: integerOf };

const CAPABILITIES: Visitor<string[] | undefined> = {
  ...rejecting<string[] | undefined>(F.expectedList, true),
  seq: (r, s) => {
    const out: string[] = [];
    for (;;) {
      try {
        if (!s.hasNext()) return out;
        out.push(readText(r, ITEM) as string);
      } catch (e) {
        throw within(e, `/${out.length}`);
      }
    }
  },
};

const ATTRIBUTES: Visitor<Attributes | undefined> = {
  ...rejecting<Attributes | undefined>(F.expectedMap, true),
  map: (r, m) => {
    const out: Attributes = {};
    for (;;) {
      const key = m.nextKey();
      if (key === null) return out;
      let value: string;
      try {
        r.colon();
        value = readText(r, ITEM) as string;
      } catch (e) {
        throw within(e, `/${escapeSegment(key)}`);
      }
      if (hasOwn(out, key)) throw r.fail({ code: "duplicateMember", name: key });
      if (key === "__proto__") setOwn(out, key, value);
      else out[key] = value;
    }
  },
};

const TIMESTAMP: Visitor<string | undefined> = {
  ...rejecting<string | undefined>(F.expectedTimestamp, true),
  str: (r, s) => {
    if (!isRfc3339(s)) throw r.fail({ code: "invalidTimestamp" });
    return s;
  },
};

const NESTED: Visitor<Body | undefined> = {
  ...rejecting<Body | undefined>(F.expectedObject, true),
  map: (r, access) => readObject(r, access, TOKEN_TABLE, `/${RULES.response[0].member}`),
};

const SKIP: Visitor<void> = {
  unit: () => undefined,
  bool: () => undefined,
  num: () => undefined,
  str: () => undefined,
  seq: (r, s) => {
    while (s.hasNext()) r.any(SKIP);
  },
  map: (r, m) => {
    const names = new Set<string>();
    for (;;) {
      const name = m.nextKey();
      if (name === null) return;
      if (names.has(name)) throw r.fail({ code: "duplicateMember", name });
      names.add(name);
      r.colon();
      r.any(SKIP);
    }
  },
};

/** A string value: the common case (a string, or `null` where it means absent) read
 * directly, anything else by the visitor, as `deserialize_any` would. */
function readText(r: Reader, v: Visitor<string | undefined>): string | undefined {
  if (r.ws() === 0x22) {
    r.i++;
    return r.str();
  }
  return r.any(v);
}

/** An integer member: a plain integer of up to 9 digits (which serde_json reads as an
 * integer and which fits in 32 bits unless it is out of range) is read here; anything
 * else, from the same place, by the visitor. */
function readInteger(r: Reader): number | undefined {
  const t = r.t;
  const c = r.ws();
  const start = r.i;
  let j = c === 0x2d ? start + 1 : start;
  const first = j;
  let n = 0;
  while (j < t.length && j - first < 10) {
    const d = t.charCodeAt(j);
    if (d < 0x30 || d > 0x39) break;
    n = n * 10 + (d - 0x30);
    j++;
  }
  const digits = j - first;
  const next = j < t.length ? t.charCodeAt(j) : -1;
  const plain =
    digits > 0 &&
    digits <= 9 &&
    !(digits > 1 && t.charCodeAt(first) === 0x30) &&
    !(next >= 0x30 && next <= 0x39) &&
    next !== 0x2e &&
    next !== 0x65 &&
    next !== 0x45 &&
    !(c === 0x2d && n === 0);
  if (!plain) return r.any(INTEGER);
  r.i = j;
  return c === 0x2d ? -n : n;
}

function readField(r: Reader, m: Member): unknown {
  switch (m.type) {
    case "integer":
      return readInteger(r);
    case "list":
      return r.any(CAPABILITIES);
    case "map":
      return r.any(ATTRIBUTES);
    case "timestamp":
      return r.any(TIMESTAMP);
    case "object":
      return r.any(NESTED);
    default:
      return readText(r, STRING);
  }
}

function readObject(r: Reader, access: MapAccess, table: readonly Member[], at: string): Body {
  const values = emptyRow(table.length);
  // Known members by their row's bit; unknown names in a set made when one comes.
  let seen = 0;
  let others: Set<string> | undefined;
  for (;;) {
    const row = access.nextMember(table);
    if (row === null) return { values };
    const name = access.name;
    if (row >= 0) {
      const m = table[row]!;
      if (seen & (1 << row)) throw r.fail({ code: "duplicateMember", name });
      seen |= 1 << row;
      try {
        r.colon();
        values[row] = readField(r, m);
      } catch (e) {
        throw within(e, `/${name}`);
      }
    } else {
      others ??= new Set();
      if (others.has(name)) throw r.fail({ code: "duplicateMember", name });
      others.add(name);
      const seg = `/${escapeSegment(name)}`;
      try {
        r.colon();
        r.any(SKIP);
      } catch (e) {
        throw within(e, seg);
      }
      r.unknown.push(at + seg);
    }
  }
}

const TOP: Visitor<Body> = {
  unit: (r) => {
    throw r.fail({ code: "notAnObject", found: F.foundNull });
  },
  bool: (r) => {
    throw r.fail({ code: "notAnObject", found: F.foundBoolean });
  },
  num: (r) => {
    throw r.fail({ code: "notAnObject", found: F.foundNumber });
  },
  str: (r) => {
    throw r.fail({ code: "notAnObject", found: F.foundString });
  },
  seq: (r) => {
    throw r.fail({ code: "notAnObject", found: F.foundArray });
  },
  map: () => {
    throw new Error("unreachable: the table's map visitor is bound per call");
  },
};

const TOPS = new Map<readonly Member[], Visitor<Body>>();

/** The top-level visitor of a shape: an object of its members, or notAnObject. */
function topVisitor(table: readonly Member[]): Visitor<Body> {
  let v = TOPS.get(table);
  if (v === undefined) {
    v = { ...TOP, map: (r, access) => readObject(r, access, table, "") };
    TOPS.set(table, v);
  }
  return v;
}

/** Where the first byte that is not UTF-8 starts (Rust's `valid_up_to`), or -1. */
function invalidUtf8At(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c === 0xe0) {
      need = 2;
      lo = 0xa0;
    } else if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) need = 2;
    else if (c === 0xed) {
      need = 2;
      hi = 0x9f;
    } else if (c === 0xf0) {
      need = 3;
      lo = 0x90;
    } else if (c >= 0xf1 && c <= 0xf3) need = 3;
    else if (c === 0xf4) {
      need = 3;
      hi = 0x8f;
    } else return i;
    if (i + 1 >= n) return i;
    const c1 = b[i + 1]!;
    if (c1 < lo || c1 > hi) return i;
    for (let k = 2; k <= need; k++) {
      if (i + k >= n) return i;
      const ck = b[i + k]!;
      if (ck < 0x80 || ck > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

// ignoreBOM: a U+FEFF that starts the text stays in it, for the check below to name.
const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The body's text, or where its bytes stop being UTF-8. */
export function decodeBody(bytes: Uint8Array): string | ParseError {
  try {
    return fatal.decode(bytes);
  } catch {
    const bad = invalidUtf8At(bytes);
    let line = 1;
    let start = 0;
    for (let k = 0; k < bad; k++) {
      if (bytes[k] === 0x0a) {
        line++;
        start = k + 1;
      }
    }
    return { kind: { code: "invalidUtf8" }, line, column: bad - start + 1, path: "" };
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A JavaScript string as the UTF-8 body it would be sent as: a lone surrogate, which
 * UTF-8 cannot hold, becomes U+FFFD, as TextEncoder writes it. */
export function wellFormed(text: string): string {
  const s = text as string & { isWellFormed?: () => boolean; toWellFormed?: () => string };
  if (typeof s.isWellFormed === "function") return s.isWellFormed() ? text : s.toWellFormed!();
  return LONE_SURROGATE.test(text) ? text.replace(new RegExp(LONE_SURROGATE.source, "g"), "\ufffd") : text;
}

/** Reads the text of a body (UTF-8 already checked) of the shape whose members `table`
 * lists, as the core's strict reader. */
export function parseText(text: string, table: readonly Member[]): Parsed | ParseError {
  if (text.charCodeAt(0) === 0xfeff) {
    return { kind: { code: "byteOrderMark" }, line: 1, column: 1, path: "" };
  }
  if (text.length === 0) return { body: { values: emptyRow(table.length) }, unknown: [] };
  const r = new Reader(text);
  try {
    const body = r.any<Body>(topVisitor(table));
    if (r.ws() >= 0) throw r.peekError("trailingCharacters");
    return { body, unknown: r.unknown };
  } catch (e) {
    let where: [number, number];
    if (e instanceof SerdeError) where = r.lineColumn(e.index, e.extra);
    else if (e instanceof Failure) where = r.lineColumn(e.index ?? r.i, 0);
    else throw e;
    const path = e.segs.reverse().join("");
    let kind: ParseErrorKind;
    if (r.failure !== null) kind = r.failure;
    else if (e instanceof SerdeError) kind = classify(e.code);
    else kind = { code: "syntax", detail: "" };
    return { kind, line: where[0], column: where[1], path };
  }
}

/** Reads a body's bytes, as the core's strict reader. */
export function parseBody(bytes: Uint8Array, table: readonly Member[]): Parsed | ParseError {
  const text = decodeBody(bytes);
  return typeof text === "string" ? parseText(text, table) : text;
}

function classify(code: SerdeCode): ParseErrorKind {
  switch (code) {
    case "eof":
      return { code: "unexpectedEnd" };
    case "trailingCharacters":
      return { code: "trailingData" };
    case "recursionLimitExceeded":
      return { code: "tooDeep" };
    case "numberOutOfRange":
      return { code: "numberOutOfRange" };
    case "loneLeadingSurrogateInHexEscape":
    case "unexpectedEndOfHexEscape":
      return { code: "invalidEscape" };
    default:
      return { code: "syntax", detail: SJ[code] };
  }
}

// ---- RFC 3339, as the core reads it (the `time` crate's parser) ----

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days from 1970-01-01 to the date (proleptic Gregorian). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const MIN_UNIX_SECONDS = RULES.limits.minUnixSeconds;
const MAX_UNIX_SECONDS = RULES.limits.maxUnixSeconds;

/** Whether `s` is a date-time the core accepts (`Timestamp::parse_rfc3339`). */
export function isRfc3339(s: string): boolean {
  // Every accepted character is ASCII, so code units index like the core's bytes.
  if (!/^[\x00-\x7f]*$/.test(s)) return false;
  const sep = s[10];
  if (sep !== "T" && sep !== "t") return false;
  const m = /^(\d{4})-(\d{2})-(\d{2}).(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (m === null) return false;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  let second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  let offset = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return false;
    offset = (m[9] === "-" ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const leap = second === 60;
  if (leap) second = 59;
  const local = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  const utc = local - offset;
  if (leap) {
    // A leap second stands in only as 23:59:59.999999999 UTC on a month's last day.
    const dayUtc = Math.floor(utc / 86400);
    const secs = utc - dayUtc * 86400;
    if (secs !== 86399) return false;
    const next = dayUtc + 1;
    // The next day is the first of a month.
    const z = next + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const dayOfMonth = doy - Math.floor((153 * mp + 2) / 5) + 1;
    if (dayOfMonth !== 1) return false;
  }
  return utc >= MIN_UNIX_SECONDS && utc <= MAX_UNIX_SECONDS;
}
