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
export type Attributes = Map<string, string>;
/** A read structure: member name to value (string, number, string[], Attributes, Body). */
export interface Body {
  readonly values: Map<string, unknown>;
}

/** What reading a body gives: the members read and the unknown members' pointers. */
export interface Parsed {
  body: Body;
  unknown: string[];
}

// serde_json's error codes that are not ours: the words come from serde_json itself.
type SerdeCode = keyof typeof SJ | "eof";

class SerdeError {
  constructor(
    readonly code: SerdeCode,
    public index: number | null,
  ) {}
}

/** A failure a visitor raised: its kind is the core's, its position fixed later. */
class Failure {
  constructor(public index: number | null) {}
}

const DEPTH_LIMIT = RULES.limits.maxJsonDepth + 1;

type Seg = { m: string } | { k: string } | { i: number };

function escapeSegment(s: string): string {
  return s.indexOf("~") < 0 && s.indexOf("/") < 0 ? s : s.replace(/~/g, "~0").replace(/\//g, "~1");
}

// ignoreBOM: a U+FEFF that starts a string is part of it, not a mark to drop.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

type Num = { t: "u" | "i"; v: number; zero: boolean } | { t: "f"; v: number };

const POW10: number[] = Array.from({ length: 309 }, (_, k) => Number(`1e${k}`));
const U64_MAX = "18446744073709551615";
const I32_MAX = 2147483647;
const I32_MIN = -2147483648;

/** A digit string (no leading zeros needed) is above u64::MAX. */
function overU64(digits: string): boolean {
  const d = digits.replace(/^0+/, "");
  return d.length > 20 || (d.length === 20 && d > U64_MAX);
}

class Reader {
  i = 0;
  depth = DEPTH_LIMIT;
  path: Seg[] = [];
  unknown: string[] = [];
  failure: ParseErrorKind | null = null;

  constructor(readonly b: Uint8Array) {}

  // ---- positions, as serde_json's SliceRead computes them ----

  lineColumn(index: number): [number, number] {
    const b = this.b;
    let line = 1;
    let start = 0;
    for (let k = 0; k < index; k++) {
      if (b[k] === 0x0a) {
        line++;
        start = k + 1;
      }
    }
    return [line, index - start];
  }

  error(code: SerdeCode): SerdeError {
    return new SerdeError(code, this.i);
  }

  peekError(code: SerdeCode): SerdeError {
    return new SerdeError(code, Math.min(this.b.length, this.i + 1));
  }

  fail(kind: ParseErrorKind): Failure {
    if (this.failure === null) this.failure = kind;
    return new Failure(null);
  }

  wrong(expected: string, found: string): Failure {
    return this.fail({ code: "wrongType", expected, found });
  }

  /** serde_json's `fix_position`: an error without a position gets the current one. */
  fix(e: unknown): unknown {
    if (e instanceof Failure && e.index === null) e.index = this.i;
    return e;
  }

  pointer(): string {
    let out = "";
    for (const s of this.path) {
      out += "/";
      if ("m" in s) out += s.m;
      else if ("k" in s) out += escapeSegment(s.k);
      else out += String(s.i);
    }
    return out;
  }

  // ---- serde_json's parser ----

  peek(): number {
    return this.i < this.b.length ? this.b[this.i]! : -1;
  }

  ws(): number {
    const b = this.b;
    for (;;) {
      const c = this.i < b.length ? b[this.i]! : -1;
      if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) this.i++;
      else return c;
    }
  }

  ident(rest: string): void {
    for (let k = 0; k < rest.length; k++) {
      if (this.i >= this.b.length) {
        this.i = this.b.length;
        throw this.error("eof");
      }
      const c = this.b[this.i++];
      if (c !== rest.charCodeAt(k)) throw this.error("expectedSomeIdent");
    }
  }

  /** `parse_str`, the opening quote eaten. */
  str(): string {
    const b = this.b;
    let out = "";
    let start = this.i;
    for (;;) {
      let j = this.i;
      while (j < b.length) {
        const c = b[j]!;
        if (c === 0x22 || c === 0x5c || c < 0x20) break;
        j++;
      }
      this.i = j;
      if (j === b.length) throw this.error("eof");
      const c = b[j]!;
      if (c === 0x22) {
        out += this.decode(start, j);
        this.i = j + 1;
        return out;
      }
      if (c === 0x5c) {
        out += this.decode(start, j);
        this.i = j + 1;
        out += this.escape();
        start = this.i;
      } else {
        this.i = j + 1;
        throw this.error("controlCharacterWhileParsingString");
      }
    }
  }

  decode(from: number, to: number): string {
    if (to - from < 64) {
      let ascii = true;
      let s = "";
      for (let k = from; k < to; k++) {
        const c = this.b[k]!;
        if (c >= 0x80) {
          ascii = false;
          break;
        }
        s += String.fromCharCode(c);
      }
      if (ascii) return s;
    }
    return decoder.decode(this.b.subarray(from, to));
  }

  hex4(): number {
    const b = this.b;
    if (this.i + 4 > b.length) {
      this.i = b.length;
      throw this.error("eof");
    }
    let n = 0;
    let ok = true;
    for (let k = 0; k < 4; k++) {
      const c = b[this.i + k]!;
      let d: number;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      else {
        ok = false;
        d = 0;
      }
      n = n * 16 + d;
    }
    this.i += 4;
    if (!ok) throw this.error("invalidEscape");
    return n;
  }

  escape(): string {
    if (this.i >= this.b.length) throw this.error("eof");
    const ch = this.b[this.i++]!;
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
        throw this.error("invalidEscape");
    }
  }

  unicodeEscape(): string {
    const n = this.hex4();
    if (n >= 0xdc00 && n <= 0xdfff) throw this.error("loneLeadingSurrogateInHexEscape");
    if (n < 0xd800 || n > 0xdbff) return String.fromCharCode(n);
    if (this.i >= this.b.length) throw this.error("eof");
    if (this.b[this.i] !== 0x5c) {
      this.i++;
      throw this.error("unexpectedEndOfHexEscape");
    }
    this.i++;
    if (this.i >= this.b.length) throw this.error("eof");
    if (this.b[this.i] !== 0x75) {
      this.i++;
      throw this.error("unexpectedEndOfHexEscape");
    }
    this.i++;
    const n2 = this.hex4();
    if (n2 < 0xdc00 || n2 > 0xdfff) throw this.error("loneLeadingSurrogateInHexEscape");
    return String.fromCharCode(n, n2);
  }

  /** `parse_integer`: the sign eaten. */
  integer(positive: boolean): Num {
    if (this.i >= this.b.length) throw this.error("eof");
    const c = this.b[this.i++]!;
    if (c === 0x30) {
      const p = this.peek();
      if (p >= 0x30 && p <= 0x39) throw this.peekError("invalidNumber");
      return this.number(positive, "0");
    }
    if (c >= 0x31 && c <= 0x39) {
      let digits = String.fromCharCode(c);
      for (;;) {
        const p = this.peek();
        if (p >= 0x30 && p <= 0x39) {
          const next = digits + String.fromCharCode(p);
          if (overU64(next)) return { t: "f", v: this.longInteger(positive, digits) };
          this.i++;
          digits = next;
        } else {
          return this.number(positive, digits);
        }
      }
    }
    throw this.error("invalidNumber");
  }

  number(positive: boolean, digits: string): Num {
    const p = this.peek();
    if (p === 0x2e) return { t: "f", v: this.decimal(positive, digits, 0) };
    if (p === 0x65 || p === 0x45) return { t: "f", v: this.exponent(positive, digits, 0) };
    const v = Number(digits);
    if (positive) return { t: "u", v, zero: v === 0 };
    // serde_json: `-0` and anything below i64::MIN are floats.
    if (v === 0) return { t: "f", v: -0 };
    if (BigInt(digits) > 9223372036854775808n) return { t: "f", v: -v };
    return { t: "i", v: -v, zero: false };
  }

  longInteger(positive: boolean, digits: string): number {
    let exponent = 0;
    for (;;) {
      const p = this.peek();
      if (p >= 0x30 && p <= 0x39) {
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
    for (;;) {
      const p = this.peek();
      if (!(p >= 0x30 && p <= 0x39)) break;
      const next = digits + String.fromCharCode(p);
      if (overU64(next)) {
        // parse_decimal_overflow: the remaining digits are dropped.
        while (this.peek() >= 0x30 && this.peek() <= 0x39) this.i++;
        const q = this.peek();
        if (q === 0x65 || q === 0x45) return this.exponent(positive, digits, before + after);
        return this.fromParts(positive, digits, before + after);
      }
      this.i++;
      digits = next;
      after--;
    }
    if (after === 0) {
      if (this.i < this.b.length) throw this.peekError("invalidNumber");
      throw this.peekError("eof");
    }
    const q = this.peek();
    if (q === 0x65 || q === 0x45) return this.exponent(positive, digits, before + after);
    return this.fromParts(positive, digits, before + after);
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
    if (this.i >= this.b.length) throw this.error("eof");
    const c = this.b[this.i++]!;
    if (!(c >= 0x30 && c <= 0x39)) throw this.error("invalidNumber");
    let exp = c - 0x30;
    for (;;) {
      const p = this.peek();
      if (!(p >= 0x30 && p <= 0x39)) break;
      this.i++;
      const d = p - 0x30;
      if (exp > (I32_MAX - d) / 10) {
        const zero = /^0*$/.test(digits);
        if (!zero && positiveExp) throw this.error("numberOutOfRange");
        while (this.peek() >= 0x30 && this.peek() <= 0x39) this.i++;
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
    let f = Number(digits.replace(/^0+(?=\d)/, ""));
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
          return v.unit();
        case 0x74:
          this.i++;
          this.ident("rue");
          return v.bool();
        case 0x66:
          this.i++;
          this.ident("alse");
          return v.bool();
        case 0x2d:
          this.i++;
          return v.num(this.integer(false));
        case 0x22:
          this.i++;
          return v.str(this.str());
        case 0x5b: {
          if (--this.depth === 0) throw this.peekError("recursionLimitExceeded");
          this.i++;
          let ret: T;
          try {
            ret = v.seq(new Seq(this));
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
            ret = v.map(new MapAccess(this));
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
          if (peek >= 0x30 && peek <= 0x39) return v.num(this.integer(true));
          throw this.peekError("expectedSomeValue");
      }
    } catch (e) {
      throw this.fix(e);
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

interface Visitor<T> {
  unit(): T;
  bool(): T;
  num(n: Num): T;
  str(s: string): T;
  seq(s: Seq): T;
  map(m: MapAccess): T;
}

const F = RULES.messages;

/** A visitor that refuses every JSON type but those `accept` overrides. */
function rejecting<T>(r: Reader, expected: string, nullAbsent: boolean): Visitor<T> {
  return {
    unit: () => {
      if (nullAbsent) return undefined as T;
      throw r.fail({ code: "nullInCollection" });
    },
    bool: () => {
      throw r.wrong(expected, F.foundBoolean);
    },
    num: () => {
      throw r.wrong(expected, F.foundNumber);
    },
    str: () => {
      throw r.wrong(expected, F.foundString);
    },
    seq: () => {
      throw r.wrong(expected, F.foundArray);
    },
    map: () => {
      throw r.wrong(expected, F.foundObject);
    },
  };
}

function readString(r: Reader): string | undefined {
  return r.any<string | undefined>({
    ...rejecting<string | undefined>(r, F.expectedString, true),
    str: (s) => s,
  });
}

function readInteger(r: Reader): number | undefined {
  return r.any<number | undefined>({
    ...rejecting<number | undefined>(r, F.expectedInteger, true),
    num: (n) => {
      if (n.t === "f") {
        const v = n.v;
        const wholeButHuge = Number.isFinite(v) && Math.trunc(v) === v && Math.abs(v) > I32_MAX;
        throw r.fail(wholeButHuge ? { code: "integerOutOfRange" } : { code: "notAnInteger" });
      }
      if (n.v > I32_MAX || n.v < I32_MIN) throw r.fail({ code: "integerOutOfRange" });
      return n.v;
    },
  });
}

function readCapabilities(r: Reader): string[] | undefined {
  return r.any<string[] | undefined>({
    ...rejecting<string[] | undefined>(r, F.expectedList, true),
    seq: (s) => {
      const out: string[] = [];
      for (;;) {
        r.path.push({ i: out.length });
        if (!s.hasNext()) {
          r.path.pop();
          return out;
        }
        out.push(
          r.any<string>({
            ...rejecting<string>(r, F.expectedString, false),
            str: (v) => v,
          }),
        );
        r.path.pop();
      }
    },
  });
}

function readAttributes(r: Reader): Attributes | undefined {
  return r.any<Attributes | undefined>({
    ...rejecting<Attributes | undefined>(r, F.expectedMap, true),
    map: (m) => {
      const out: Attributes = new Map();
      for (;;) {
        const key = m.nextKey();
        if (key === null) return out;
        r.path.push({ k: key });
        r.colon();
        const value = r.any<string>({
          ...rejecting<string>(r, F.expectedString, false),
          str: (v) => v,
        });
        r.path.pop();
        if (out.has(key)) throw r.fail({ code: "duplicateMember", name: key });
        out.set(key, value);
      }
    },
  });
}

function readTimestamp(r: Reader): string | undefined {
  return r.any<string | undefined>({
    ...rejecting<string | undefined>(r, F.expectedTimestamp, true),
    str: (s) => {
      if (!isRfc3339(s)) throw r.fail({ code: "invalidTimestamp" });
      return s;
    },
  });
}

function skip(r: Reader): void {
  r.any<void>({
    unit: () => undefined,
    bool: () => undefined,
    num: () => undefined,
    str: () => undefined,
    seq: (s) => {
      while (s.hasNext()) skip(r);
    },
    map: (m) => {
      const names = new Set<string>();
      for (;;) {
        const name = m.nextKey();
        if (name === null) return;
        if (names.has(name)) throw r.fail({ code: "duplicateMember", name });
        names.add(name);
        r.colon();
        skip(r);
      }
    },
  });
}

function readField(r: Reader, m: Member): unknown {
  switch (m.type) {
    case "integer":
      return readInteger(r);
    case "list":
      return readCapabilities(r);
    case "map":
      return readAttributes(r);
    case "timestamp":
      return readTimestamp(r);
    case "object":
      return r.any<Body | undefined>({
        ...rejecting<Body | undefined>(r, F.expectedObject, true),
        map: (access) => readObject(r, access, TOKEN_TABLE),
      });
    default:
      return readString(r);
  }
}

function readObject(r: Reader, access: MapAccess, table: readonly Member[]): Body {
  const values = new Map<string, unknown>();
  // Known members by their row's bit; unknown names in a set made when one comes.
  let seen = 0;
  let others: Set<string> | undefined;
  for (;;) {
    const name = access.nextKey();
    if (name === null) return { values };
    let row = -1;
    for (let k = 0; k < table.length; k++) {
      if (table[k]!.member === name) {
        row = k;
        break;
      }
    }
    if (row >= 0) {
      const m = table[row]!;
      if (seen & (1 << row)) throw r.fail({ code: "duplicateMember", name });
      seen |= 1 << row;
      r.path.push({ m: name });
      r.colon();
      const v = readField(r, m);
      r.path.pop();
      if (v === undefined) values.delete(name);
      else values.set(name, v);
    } else {
      others ??= new Set();
      if (others.has(name)) throw r.fail({ code: "duplicateMember", name });
      others.add(name);
      r.path.push({ k: name });
      r.colon();
      skip(r);
      const pointer = r.pointer();
      r.path.pop();
      r.unknown.push(pointer);
    }
  }
}

function topLevel(r: Reader, table: readonly Member[]): Body {
  const notAnObject = (found: string) => r.fail({ code: "notAnObject", found });
  return r.any<Body>({
    unit: () => {
      throw notAnObject(F.foundNull);
    },
    bool: () => {
      throw notAnObject(F.foundBoolean);
    },
    num: () => {
      throw notAnObject(F.foundNumber);
    },
    str: () => {
      throw notAnObject(F.foundString);
    },
    seq: () => {
      throw notAnObject(F.foundArray);
    },
    map: (m) => readObject(r, m, table),
  });
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

/** Reads a body of the shape whose members `table` lists, as the core's strict reader. */
export function parseBody(bytes: Uint8Array, table: readonly Member[]): Parsed | ParseError {
  const bad = invalidUtf8At(bytes);
  if (bad >= 0) {
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
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { kind: { code: "byteOrderMark" }, line: 1, column: 1, path: "" };
  }
  if (bytes.length === 0) return { body: { values: new Map() }, unknown: [] };
  const r = new Reader(bytes);
  try {
    const body = topLevel(r, table);
    if (r.ws() >= 0) throw r.peekError("trailingCharacters");
    return { body, unknown: r.unknown };
  } catch (e) {
    if (!(e instanceof SerdeError) && !(e instanceof Failure)) throw e;
    const [line, column] = r.lineColumn(e.index ?? r.i);
    const path = r.pointer();
    let kind: ParseErrorKind;
    if (r.failure !== null) kind = r.failure;
    else if (e instanceof SerdeError) kind = classify(e.code);
    else kind = { code: "syntax", detail: "" };
    return { kind, line, column, path };
  }
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

const MIN_UNIX_SECONDS = -62167219200;
const MAX_UNIX_SECONDS = 253402300799;

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
