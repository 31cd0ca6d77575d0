// How aws-sdk-js-v3 writes a command's input as a body, and the shortcut that reads an
// input of plain JavaScript types into the members its body would give without writing
// it. Internal: the package's API is index.ts.

import { RULES, readParticipantToken, readRequest } from "./rules.js";
import { type Attributes, type Body, I32_MAX, I32_MIN, REQUEST_TABLE, TOKEN_TABLE, setOwn } from "./reader.js";

/** A few words on what `v` is, for a TypeError. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object of another kind" : `a ${typeof v}`;
}

/** A value as aws-sdk-js-v3's JSON serializer writes it: `null` and `undefined` left out
 * of objects and lists, a non-finite number as its name in a string. */
function wireValue(v: unknown, where: string, ancestors: unknown[] = []): unknown {
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "bigint") throw new TypeError(`${where} is a bigint, which JSON cannot hold`);
  if (typeof v !== "object" || v === null || v instanceof Date) return v;
  // JSON.stringify refuses a cycle too; refusing it here keeps the recursion bounded.
  if (ancestors.includes(v)) throw new TypeError(`${where} refers to itself, which JSON cannot hold`);
  // Deeper than the reader reads, what is inside cannot change the verdict (the reader
  // stops at the level too many): an empty container stands for it.
  if (ancestors.length > RULES.limits.maxJsonDepth + 2) return Array.isArray(v) ? [] : {};
  ancestors.push(v);
  let out: unknown;
  if (Array.isArray(v)) {
    out = v
      .filter((item) => item !== null && item !== undefined)
      .map((item, i) => wireValue(item, `${where}[${i}]`, ancestors));
  } else {
    const o: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      if (item !== null && item !== undefined) setOwn(o, k, wireValue(item, `${where}.${k}`, ancestors));
    }
    out = o;
  }
  ancestors.pop();
  return out;
}

/** The members of `input` the model names, each read once, in the table's order
 * (`undefined` for `null` and `undefined`); a getter that throws is a TypeError naming
 * the member. */
const UNREAD = Symbol("unread");
const UNREAD_ROWS: unknown[][] = [];

/** A row of `n` UNREAD marks (a packed array, cloned from one made once). */
function unreadRow(n: number): unknown[] {
  const row = (UNREAD_ROWS[n] ??= new Array(n).fill(UNREAD));
  return row.slice();
}

/** The generated reader of a table's members by name (rules.ts). */
function readerOf(members: readonly { member: string }[]): (input: Record<string, unknown>, out: unknown[]) => void {
  if (members === REQUEST_TABLE) return readRequest;
  if (members === TOKEN_TABLE) return readParticipantToken;
  return (input, out) => {
    for (let k = 0; k < members.length; k++) out[k] = input[members[k]!.member];
  };
}

export function readMembers(input: unknown, members: readonly { member: string }[], name: string): unknown[] {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new TypeError(`${name} must be an object, not ${describe(input)}`);
  }
  const out: unknown[] = unreadRow(members.length);
  try {
    readerOf(members)(input as Record<string, unknown>, out);
  } catch (e) {
    // The first row still unread is the member whose getter threw.
    const member = members[Math.max(0, out.indexOf(UNREAD))]!.member;
    throw new TypeError(`${name}.${member} could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (let k = 0; k < out.length; k++) if (out[k] === null) out[k] = undefined;
  return out;
}

/** The body aws-sdk-js-v3 sends for members read by `readMembers`, in the model's order. */
export function serializeMembers(values: unknown[], members: readonly { member: string }[], name: string): string {
  const out: Record<string, unknown> = {};
  for (let k = 0; k < members.length; k++) {
    const member = members[k]!.member;
    const v = values[k];
    if (v === undefined) continue;
    try {
      out[member] = wireValue(v, `${name}.${member}`);
    } catch (e) {
      if (e instanceof TypeError) throw e;
      throw new TypeError(`${name}.${member} could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  try {
    return JSON.stringify(out);
  } catch (e) {
    throw new TypeError(`${name} cannot be written as JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The body aws-sdk-js-v3 sends for `input`: the model's members in its order, the rest
 * left out. */
export function serializeInput(input: unknown, members: readonly { member: string }[], name: string): string {
  return serializeMembers(readMembers(input, members, name), members, name);
}

// String.prototype.isWellFormed (Node 20); before it, any surrogate sends the input the
// long way.
const HAS_IS_WELL_FORMED = typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === "function";

function wellFormedString(v: unknown): v is string {
  if (typeof v !== "string") return false;
  return HAS_IS_WELL_FORMED ? (v as string & { isWellFormed(): boolean }).isWellFormed() : !/[\ud800-\udfff]/.test(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The members as reading the SDK's body would give them, when their JavaScript types
 * make that certain (strings without lone surrogates, 32-bit integers, lists of such
 * strings, plain objects of them); `undefined` sends the input the long way, through its
 * serialized body. */
export function direct(values: unknown[]): Body | undefined {
  // Rows are replaced in place, each only once its value is known good: a row replaced
  // serializes as the one it replaced (a list without its nulls, a map copied), so that
  // the long way, taken when a later row is not plain, sends the same body.
  const out = values;
  for (let k = 0; k < REQUEST_TABLE.length; k++) {
    const m = REQUEST_TABLE[k]!;
    const v = values[k];
    if (v === undefined) continue;
    switch (m.type) {
      case "integer":
        if (typeof v !== "number" || !Number.isInteger(v) || v < I32_MIN || v > I32_MAX) return undefined;
        out[k] = v === 0 ? 0 : v;
        break;
      case "list": {
        if (!Array.isArray(v)) return undefined;
        // Each item read once, into a copy; a hole, null or undefined is left out.
        const items: unknown[] = v.slice();
        let gaps = false;
        for (let q = 0; q < items.length; q++) {
          const item = items[q];
          if (item === null || item === undefined) gaps = true;
          else if (!wellFormedString(item)) {
            out[k] = items;
            return undefined;
          }
        }
        out[k] = gaps ? items.filter((item) => item !== null && item !== undefined) : items;
        break;
      }
      case "map": {
        if (!isPlainObject(v)) return undefined;
        // A copy of its own members (`__proto__` too), each read once, then checked.
        // Symbol-keyed ones, which JSON leaves out, ride along unchecked: looking for
        // them would cost more than the rest of the check.
        const map: Attributes = { ...(v as Attributes) };
        // The copy stands for the object from here on, even if the long way is taken.
        out[k] = map;
        const keys = Object.keys(map);
        for (let q = 0; q < keys.length; q++) {
          const key = keys[q]!;
          const item: unknown = map[key];
          if (!wellFormedString(key) || !wellFormedString(item)) return undefined;
        }
        out[k] = map;
        break;
      }
      default:
        if (!wellFormedString(v)) return undefined;
        out[k] = v;
    }
  }
  return { values: out };
}

