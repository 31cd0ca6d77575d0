// Validation and the verdict: every constraint of the table checked, in member order, and
// the verdict object `ivs-conformance validate` prints, member for member. Follows the
// core's `src/validate.rs`, `src/hint.rs` and `src/verdict.rs`; every word comes from
// rules.ts.

import { RULES, objectRequest, type EffectiveRequest } from "./rules.js";
import {
  type Attributes,
  type Body,
  type Member,
  type ParseError,
  REQUEST_TABLE,
  RESPONSE_TABLE,
  TOKEN_TABLE,
  type Parsed,
  fill,
  parseBody,
  parseErrorText,
  parseText,
  wellFormed,
} from "./reader.js";

const M = RULES.messages;
const MAX_ECHOED = RULES.limits.maxEchoedChars;
const MAX_LISTED = RULES.limits.maxListed;

/** One failed constraint, as the `validate` command prints it. */
export interface Violation {
  path: string;
  constraint: "required" | "length" | "range" | "pattern" | "enum" | "maxBytes";
  message: string;
  source: string;
  min?: number | null;
  max?: number | null;
  pattern?: string;
  enum?: string[];
  length?: number;
  value?: string;
  hint?: string;
}

/** Something worth knowing that is not a violation. */
export interface Advisory {
  path: string;
  kind: "unknownMember" | "duplicateCapability";
  message: string;
  suggestion?: string;
}

/** What the strict reader found wrong with a body's JSON: its kind, the JSON-pointer path
 * of the member it was reading, and, for a body the caller wrote, the line and column
 * (in bytes of UTF-8, from 1). Checking an object (`checkRequest`, `checkResponse`)
 * gives no line or column: they would point into a body the caller never wrote. */
export interface Serialization {
  kind: SerializationKind;
  path: string;
  line?: number;
  column?: number;
}

/** The kinds of broken JSON, as the core names them. */
export type SerializationKind = ParseError["kind"]["code"];

/** How many violations and advisories a report found beyond those it lists. */
export interface Omitted {
  violations: number;
  advisories: number;
}

/** A valid body: no violation; `effective` is the request with its defaults (`null` for
 * a response). */
export interface ValidVerdict<Effective> {
  valid: true;
  error: null;
  message: "";
  /** Always empty. */
  violations: Violation[];
  advisories: Advisory[];
  effective: Effective;
  serialization?: undefined;
  omitted?: Omitted;
}

/** A body that reads but breaks the model: a ValidationException, every violation. */
export interface InvalidVerdict {
  valid: false;
  error: "ValidationException";
  message: string;
  violations: Violation[];
  advisories: Advisory[];
  effective: null;
  serialization?: undefined;
  omitted?: Omitted;
}

/** A body that does not read: a SerializationException, and where. */
export interface MalformedVerdict {
  valid: false;
  error: "SerializationException";
  message: string;
  /** Always empty: a body that does not read is not checked further. */
  violations: Violation[];
  /** Always empty. */
  advisories: Advisory[];
  effective: null;
  serialization: Serialization;
  omitted?: undefined;
}

/** The verdict on a body: the JSON `ivs-conformance validate` prints, discriminated by
 * `valid` and then by `error`. */
export type Verdict<Effective = EffectiveRequest | null> =
  | ValidVerdict<Effective>
  | InvalidVerdict
  | MalformedVerdict;

/** The verdict on a request: when valid, its effective request. */
export type RequestVerdict = Verdict<EffectiveRequest>;

/** The verdict on a response (whose `effective` is always `null`). */
export type ResponseVerdict = Verdict<null>;

interface Found {
  v: Violation;
  // The live-AWS message's parts, not printed.
  aws: { rule: string; subjectValue: string | null; listValue: string | null; required: boolean };
}

interface Report {
  found: Found[];
  advisories: Advisory[];
  omittedViolations: number;
  omittedAdvisories: number;
}

/** Counts Unicode scalar values (a JS string's code points; lone surrogates cannot occur). */
function scalarLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** UTF-8 bytes of a string. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** `value` cut after its first MAX_ECHOED scalar values, marked. */
function echoed(value: string): string {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    if (n === MAX_ECHOED) return value.slice(0, i) + M.cut;
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) i++;
    n++;
  }
  return value;
}

function listEcho(items: readonly string[]): string {
  const [open, close] = M.listEcho.split("{items}") as [string, string];
  // Built piece by piece and cut as `echoed` cuts, never longer than the limit.
  let out = "";
  let chars = 0;
  const add = (piece: string): boolean => {
    for (const c of piece) {
      if (chars === MAX_ECHOED) {
        out += M.cut;
        return false;
      }
      out += c;
      chars++;
    }
    return true;
  };
  if (!add(open)) return out;
  for (let i = 0; i < items.length; i++) {
    if ((i > 0 && !add(M.separator)) || !add(items[i]!)) return out;
  }
  add(close);
  return out;
}

type Bounds = { readonly min: number | null; readonly max: number | null };

function boundsText(b: Bounds): string {
  if (b.min !== null && b.max !== null) return fill(M.boundsBoth, { min: String(b.min), max: String(b.max) });
  if (b.min !== null) return fill(M.boundsMin, { min: String(b.min) });
  if (b.max !== null) return fill(M.boundsMax, { max: String(b.max) });
  return M.boundsNone;
}

function contains(b: Bounds, n: number): boolean {
  return (b.min === null || n >= b.min) && (b.max === null || n <= b.max);
}

/** The side of the bounds that failed, as live AWS messages name it. */
function side(b: Bounds, n: number | null): string {
  if (b.min !== null && n !== null && n < b.min) return fill(M.boundsMin, { min: String(b.min) });
  if (b.max !== null) return fill(M.boundsMax, { max: String(b.max) });
  return boundsText(b);
}

function violationText(subject: string, path: string, rule: string): string {
  return fill(M.violation, { subject, path, rule });
}

function toAwsPath(pointer: string): string {
  let out = "";
  for (const seg of pointer.split("/").slice(1)) {
    if (out !== "") out += ".";
    if (/^\d+$/.test(seg) && seg.length <= 19) {
      out += `${BigInt(seg) + 1n}.member`;
    } else {
      out += seg.indexOf("~") < 0 ? seg : seg.replace(/~1/g, "/").replace(/~0/g, "~");
    }
  }
  return out;
}

// ---- hints (src/hint.rs) ----

// White_Space, as Rust's `str::trim` reads it (not JavaScript's `trim`).
const RUST_WHITE_SPACE = /^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

const STAGE_ARN_PATTERN = REQUEST_TABLE.find((m) => m.member === "stageArn")!.pattern!;
// The pattern's parts, as `arn:aws:ivs:REGION:ACCOUNT:stage/ID` splits it.
const ARN_PARTS = STAGE_ARN_PATTERN.replace(/^\^/, "").replace(/\$$/, "").split(":");
const ARN_PREFIX = ARN_PARTS.slice(0, 3);
const REGION = new RegExp(`^${ARN_PARTS[3]}$`);
const ACCOUNT = new RegExp(`^${ARN_PARTS[4]}$`);
const [STAGE_RESOURCE, STAGE_ID_CLASS] = ARN_PARTS[5]!.split("/") as [string, string];
const STAGE_ID = new RegExp(`^${STAGE_ID_CLASS}$`);

function stageArnHint(s: string): string | undefined {
  if (RUST_WHITE_SPACE.test(s)) return M.hintArnSpace;
  if (s.includes(RULES.markers.publicKeyResource)) return M.hintArnPublicKey;
  if (s.includes(RULES.markers.channelResource)) return M.hintArnChannel;
  const parts: string[] = [];
  let rest = s;
  while (parts.length < 5) {
    const at = rest.indexOf(":");
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  if (parts.length < 6) return M.hintArnParts;
  if (parts[0] !== ARN_PREFIX[0]) return M.hintArnPrefix;
  if (parts[1] !== ARN_PREFIX[1]) return M.hintArnPartition;
  if (parts[2] !== ARN_PREFIX[2]) return M.hintArnService;
  if (!REGION.test(parts[3]!)) return M.hintArnRegion;
  if (!ACCOUNT.test(parts[4]!)) return M.hintArnAccount;
  const resource = parts[5]!;
  if (!resource.startsWith(`${STAGE_RESOURCE}/`)) return M.hintArnResource;
  if (!STAGE_ID.test(resource.slice(STAGE_RESOURCE.length + 1))) return M.hintArnStageId;
  return undefined;
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

function enumCaseHint(value: string, values: readonly string[]): string | undefined {
  const lower = asciiLower(value);
  const meant = values.find((v) => v.length === value.length && asciiLower(v) === lower);
  return meant === undefined ? undefined : fill(M.hintEnumCase, { meant });
}

const MAX_FOLDED = 64;

function fold(name: string): string[] | null {
  const out: string[] = [];
  for (const c of name) {
    if (c === "_" || c === "-") continue;
    for (const l of c.toLowerCase()) {
      if (out.length === MAX_FOLDED) return null;
      out.push(l);
    }
  }
  return out;
}

function distance(a: string[], b: string[], limit: number): number {
  if (Math.abs(a.length - b.length) > limit || a.length > MAX_FOLDED || b.length > MAX_FOLDED) return limit + 1;
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 0; i < a.length; i++) {
    let prev = row[0]!;
    row[0] = i + 1;
    for (let j = 0; j < b.length; j++) {
      const here = row[j + 1]!;
      row[j + 1] = Math.min(prev + (a[i] !== b[j] ? 1 : 0), row[j]! + 1, here + 1);
      prev = here;
    }
  }
  return row[b.length]!;
}

function suggestMember(name: string, table: readonly Member[]): string | undefined {
  if (utf8Length(name) > 16 * MAX_FOLDED) return undefined;
  const f = fold(name);
  if (f === null || f.length === 0) return undefined;
  const near = table.filter((m) => utf8Length(m.member) + 3 >= f.length);
  const same = near.find((m) => (fold(m.member) ?? []).join("\u0000") === f.join("\u0000"));
  if (same !== undefined) return same.member;
  let best: { d: number; member: string } | undefined;
  for (const m of near) {
    const known = fold(m.member) ?? [];
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(f.length, known.length) / 4)));
    const d = distance(f, known, limit);
    if (d <= limit && (best === undefined || d < best.d)) best = { d, member: m.member };
  }
  return best?.member;
}

// ---- checks (src/validate.rs) ----

function push(
  r: Report,
  m: Member,
  path: string,
  constraint: Violation["constraint"],
  source: string,
  extra: { bounds?: Bounds; length?: number; value?: string | null; rule: string; smithyRule?: string; subject?: string },
): Found {
  const value = m.sensitive || extra.value === undefined || extra.value === null ? undefined : echoed(extra.value);
  const smithySubject =
    constraint === "length"
      ? fill(M.subjectLength, { length: String(extra.length ?? 0) })
      : constraint === "maxBytes"
        ? fill(M.subjectSize, { length: String(extra.length ?? 0) })
        : M.subjectPlain;
  const v: Violation = {
    path,
    constraint,
    message: violationText(smithySubject, path, extra.smithyRule ?? extra.rule),
    source,
  };
  if (extra.bounds !== undefined) {
    v.min = extra.bounds.min;
    v.max = extra.bounds.max;
  }
  if (constraint === "pattern") v.pattern = m.pattern!;
  if (constraint === "enum") v.enum = [...m.enum!];
  if (constraint === "maxBytes") v.max = m.maxBytes!;
  if (extra.length !== undefined) v.length = extra.length;
  if (value !== undefined) v.value = value;
  const found: Found = {
    v,
    aws: { rule: extra.rule, subjectValue: value ?? null, listValue: null, required: constraint === "required" },
  };
  r.found.push(found);
  return found;
}

function checkRequired(r: Report, m: Member, at: string): void {
  if (m.required) {
    push(r, m, `${at}/${m.member}`, "required", m.source.required!, { rule: M.ruleRequired });
  }
}

const REGEXPS = new Map<string, RegExp>();

/** The model's ECMA-262 pattern, compiled once. */
function compiled(pattern: string): RegExp {
  let re = REGEXPS.get(pattern);
  if (re === undefined) {
    re = new RegExp(pattern);
    REGEXPS.set(pattern, re);
  }
  return re;
}

/** The scalar length of `s` when it lies outside `b`, counting only when the UTF-16
 * length cannot settle it (a scalar value is one or two code units). */
function scalarLengthOutside(s: string, b: Bounds): number | undefined {
  if (contains(b, s.length) && contains(b, Math.ceil(s.length / 2))) return undefined;
  const n = scalarLength(s);
  return contains(b, n) ? undefined : n;
}

function checkString(r: Report, m: Member, at: string, s: string): void {
  if (m.length !== null) {
    const n = scalarLengthOutside(s, m.length);
    if (n !== undefined) {
      push(r, m, `${at}/${m.member}`, "length", m.source.length!, {
        bounds: m.length,
        length: n,
        value: s,
        rule: fill(M.ruleLength, { bounds: side(m.length, n) }),
        smithyRule: fill(M.ruleLength, { bounds: boundsText(m.length) }),
      });
    }
  }
  if (m.pattern !== null && !compiled(m.pattern).test(s)) {
    const f = push(r, m, `${at}/${m.member}`, "pattern", m.source.pattern!, {
      value: s,
      rule: fill(M.rulePattern, { pattern: m.pattern }),
    });
    if (m.pattern === STAGE_ARN_PATTERN) {
      const hint = stageArnHint(s);
      if (hint !== undefined) f.v.hint = hint;
    }
  }
  if (m.enum !== null && !m.enum.includes(s)) {
    const f = push(r, m, `${at}/${m.member}`, "enum", m.source.enum!, {
      value: s,
      rule: fill(M.ruleEnum, { values: m.enum.join(M.separator) }),
    });
    const hint = enumCaseHint(s, m.enum);
    if (hint !== undefined) f.v.hint = hint;
  }
}

function checkInteger(r: Report, m: Member, at: string, n: number): void {
  if (m.range !== null && !contains(m.range, n)) {
    push(r, m, `${at}/${m.member}`, "range", m.source.range!, {
      bounds: m.range,
      value: String(n),
      rule: fill(M.ruleValue, { bounds: side(m.range, n) }),
      smithyRule: fill(M.ruleRange, { bounds: boundsText(m.range) }),
    });
  }
}

function checkMap(r: Report, m: Member, at: string, map: Attributes): void {
  if (m.maxBytes !== null) {
    // A code unit is at most 3 bytes: when three times the units fit, so do the bytes.
    const keys = Object.keys(map);
    let units = 0;
    for (let q = 0; q < keys.length; q++) units += keys[q]!.length + map[keys[q]!]!.length;
    if (units * 3 <= m.maxBytes) return;
    let bytes = 0;
    for (let q = 0; q < keys.length; q++) bytes += utf8Length(keys[q]!) + utf8Length(map[keys[q]!]!);
    if (bytes > m.maxBytes) {
      push(r, m, `${at}/${m.member}`, "maxBytes", m.source.maxBytes!, {
        length: bytes,
        rule: fill(M.ruleMaxBytes, { max: String(m.maxBytes) }),
      });
    }
  }
}

function checkList(r: Report, m: Member, at: string, list: string[]): void {
  // The list as live messages echo it: built once, at the first failure.
  let shown: string | undefined;
  if (m.length !== null && !contains(m.length, list.length)) {
    shown = listEcho(list);
    push(r, m, `${at}/${m.member}`, "length", m.source.length!, {
      bounds: m.length,
      length: list.length,
      value: shown,
      rule: fill(M.ruleLength, { bounds: side(m.length, list.length) }),
      smithyRule: fill(M.ruleLength, { bounds: boundsText(m.length) }),
    });
  }
  if (m.enum === null) return;
  // First index of each enum value, for the duplicate advisory (unknown values are
  // violations already and are not compared, which keeps this linear).
  let first: number[] | undefined;
  let listed = 0;
  for (let i = 0; i < list.length; i++) {
    const item = list[i]!;
    const slot = m.enum.indexOf(item);
    if (slot < 0) {
      if (listed === MAX_LISTED) {
        r.omittedViolations++;
        continue;
      }
      listed++;
      const f = push(r, m, `${at}/${m.member}/${i}`, "enum", m.source.enum!, {
        value: item,
        rule: fill(M.ruleEnum, { values: m.enum.join(M.separator) }),
      });
      f.aws.listValue = shown ??= listEcho(list);
      const hint = enumCaseHint(item, m.enum);
      if (hint !== undefined) f.v.hint = hint;
      continue;
    }
    first ??= [];
    const seen = first[slot];
    if (seen === undefined) first[slot] = i;
    else {
      const path = `${at}/${m.member}/${i}`;
      advise(r, { path, kind: "duplicateCapability", message: fill(M.duplicateCapability, { path, first: String(seen) }) });
    }
  }
}

function advise(r: Report, a: Advisory): void {
  if (r.advisories.length < MAX_LISTED) r.advisories.push(a);
  else r.omittedAdvisories++;
}

function checkMembers(r: Report, body: Body, table: readonly Member[], at: string): void {
  for (let k = 0; k < table.length; k++) {
    const m = table[k]!;
    const v = body.values[k];
    if (v === undefined) {
      if (m.type === "object") checkMembers(r, { values: [] }, TOKEN_TABLE, `${at}/${m.member}`);
      else checkRequired(r, m, at);
      continue;
    }
    switch (m.type) {
      case "integer":
        checkInteger(r, m, at, v as number);
        break;
      case "map":
        checkMap(r, m, at, v as Attributes);
        break;
      case "list":
        checkList(r, m, at, v as string[]);
        break;
      case "timestamp":
        break;
      case "object":
        checkMembers(r, v as Body, TOKEN_TABLE, `${at}/${m.member}`);
        break;
      default:
        checkString(r, m, at, v as string);
    }
  }
}

function addUnknown(r: Report, unknown: string[], tableAt: (parent: string) => readonly Member[] | undefined): void {
  for (const path of unknown) {
    if (r.advisories.length >= MAX_LISTED) {
      r.omittedAdvisories++;
      continue;
    }
    const cut = path.lastIndexOf("/");
    const parent = path.slice(0, cut);
    let name = path.slice(cut + 1);
    if (name.includes("~")) name = name.replace(/~1/g, "/").replace(/~0/g, "~");
    const table = tableAt(parent);
    const suggestion = table === undefined ? undefined : suggestMember(name, table);
    const a: Advisory =
      suggestion === undefined
        ? { path, kind: "unknownMember", message: fill(M.unknownMember, { path }) }
        : { path, kind: "unknownMember", message: fill(M.unknownMemberMeant, { path, meant: suggestion }), suggestion };
    r.advisories.push(a);
  }
}

function listPointer(f: Found): string | null {
  if (f.aws.listValue === null) return null;
  const cut = f.v.path.lastIndexOf("/");
  return cut < 0 ? null : f.v.path.slice(0, cut);
}

function awsMessage(r: Report): string {
  if (r.found.length === 0) return "";
  const entries: string[] = [];
  const done = new Set<string>();
  r.found.forEach((f, i) => {
    const list = listPointer(f);
    if (list === null) {
      const subject = f.aws.required
        ? M.subjectNull
        : f.aws.subjectValue !== null
          ? fill(M.subjectEcho, { value: echoed(f.aws.subjectValue) })
          : M.subjectPlain;
      entries.push(violationText(subject, toAwsPath(f.v.path), f.aws.rule));
      return;
    }
    if (done.has(list)) return;
    done.add(list);
    const rules: string[] = [];
    for (const g of r.found.slice(i)) {
      if (listPointer(g) === list && !rules.includes(g.aws.rule)) rules.push(g.aws.rule);
    }
    const subject = fill(M.subjectEcho, { value: echoed(f.aws.listValue ?? "") });
    const rule = fill(M.ruleItems, { rules: rules.join(M.separator) });
    entries.push(violationText(subject, toAwsPath(list), rule));
  });
  const n = entries.length;
  if (n === 0) return "";
  return fill(n === 1 ? M.reportOne : M.reportMany, { n: String(n), entries: entries.join(M.entrySeparator) });
}

// The documented defaults, by the request table's rows.
const DEFAULTS = REQUEST_TABLE.map((m) => m.default);

function effectiveOf(body: Body): EffectiveRequest {
  // The body's lists and maps were made for this call: the effective request takes them
  // as they are; only the shared defaults are copied.
  // The body is this call's own: its absent rows take the defaults in place.
  const v = body.values;
  for (let k = 0; k < v.length; k++) {
    if (v[k] === undefined) {
      const d = DEFAULTS[k];
      if (d !== null && d !== undefined) v[k] = Array.isArray(d) ? d.slice() : d;
    }
  }
  // Valid, with its defaults: every member the type promises is there.
  return objectRequest(v) as unknown as EffectiveRequest;
}

/** What was checked: a body the caller wrote, or an object the SDK would write as one. */
export type Checked = "body" | "object";

function malformed(e: ParseError, checked: Checked): MalformedVerdict {
  // An object's body is the SDK's writing, not the caller's: no position in it is said.
  const body = checked === "body";
  return {
    advisories: [],
    effective: null,
    error: "SerializationException",
    message: parseErrorText(body ? e : { ...e, line: 0, column: 0 }),
    serialization: body
      ? { column: e.column, kind: e.kind.code, line: e.line, path: e.path }
      : { kind: e.kind.code, path: e.path },
    valid: false,
    violations: [],
  };
}

function judged(r: Report, request: Body): RequestVerdict;
function judged(r: Report, request: null): ResponseVerdict;
function judged(r: Report, request: Body | null): Verdict {
  const omitted =
    r.omittedViolations + r.omittedAdvisories > 0
      ? { omitted: { advisories: r.omittedAdvisories, violations: r.omittedViolations } }
      : {};
  if (r.found.length === 0) {
    return {
      advisories: r.advisories,
      effective: request !== null ? effectiveOf(request) : null,
      error: null,
      message: "",
      valid: true,
      violations: [],
      ...omitted,
    };
  }
  return {
    advisories: r.advisories,
    effective: null,
    error: "ValidationException",
    message: awsMessage(r),
    valid: false,
    violations: r.found.map((f) => f.v),
    ...omitted,
  };
}

function newReport(): Report {
  return { found: [], advisories: [], omittedViolations: 0, omittedAdvisories: 0 };
}

/** A body as bytes, or as the text whose UTF-8 bytes it is sent as. */
function read(body: Uint8Array | string, table: readonly Member[]): Parsed | ParseError {
  return typeof body === "string" ? parseText(wellFormed(body), table) : parseBody(body, table);
}

/** The verdict on a request body, as `ivs-conformance validate` gives it. */
export function requestVerdict(bytes: Uint8Array | string, checked: Checked = "body"): RequestVerdict {
  const parsed = read(bytes, REQUEST_TABLE);
  if ("kind" in parsed) return malformed(parsed, checked);
  const r = newReport();
  checkMembers(r, parsed.body, REQUEST_TABLE, "");
  addUnknown(r, parsed.unknown, (parent) => (parent === "" ? REQUEST_TABLE : undefined));
  return judged(r, parsed.body);
}

/** The verdict on a request already read into members (every one of the model's types,
 * no unknown member): what reading its body would give. */
export function requestVerdictOfBody(body: Body): RequestVerdict {
  const r = newReport();
  checkMembers(r, body, REQUEST_TABLE, "");
  return judged(r, body);
}

/** The verdict on a response body, as `ivs-conformance validate --response` gives it. */
export function responseVerdict(bytes: Uint8Array | string, checked: Checked = "body"): ResponseVerdict {
  const parsed = read(bytes, RESPONSE_TABLE);
  if ("kind" in parsed) return malformed(parsed, checked);
  const r = newReport();
  checkMembers(r, parsed.body, RESPONSE_TABLE, "");
  const tokenMember = RESPONSE_TABLE[0]!.member;
  addUnknown(r, parsed.unknown, (parent) =>
    parent === "" ? RESPONSE_TABLE : parent === `/${tokenMember}` ? TOKEN_TABLE : undefined,
  );
  return judged(r, null);
}
