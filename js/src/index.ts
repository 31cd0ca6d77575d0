// ivs-participant-token: Amazon IVS Real-Time CreateParticipantToken checked with the
// verdicts of the Rust reference kit (`ivs-conformance validate`), and an aws-sdk-js-v3
// plugin that refuses an invalid call before it is sent.

import { RULES } from "./rules.js";
import { REQUEST_TABLE, TOKEN_TABLE } from "./reader.js";
import { requestVerdict, responseVerdict } from "./verdict.js";

export type { Advisory, EffectiveRequest, Verdict, Violation } from "./verdict.js";
export { validateBeforeSend, InvalidRequest, type ValidateBeforeSendOptions, type InconsistentResponse } from "./plugin.js";
export { requestSchema, type StandardSchemaV1 } from "./standard-schema.js";

import type { Verdict } from "./verdict.js";

/** The input of `CreateParticipantTokenCommand`, as aws-sdk-js-v3 types it. */
export interface CreateParticipantTokenInput {
  stageArn: string | undefined;
  duration?: number | undefined;
  userId?: string | undefined;
  attributes?: Record<string, string> | undefined;
  capabilities?: string[] | undefined;
}

/** The output of `CreateParticipantTokenCommand` (its `participantToken`). */
export interface CreateParticipantTokenOutput {
  participantToken?:
    | {
        participantId?: string | undefined;
        token?: string | undefined;
        userId?: string | undefined;
        attributes?: Record<string, string> | undefined;
        duration?: number | undefined;
        capabilities?: string[] | undefined;
        expirationTime?: Date | string | undefined;
      }
    | undefined;
}

function bodyBytes(body: unknown, name: string): Uint8Array | string {
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError(`${name} must be a string, a Uint8Array or an ArrayBuffer, not ${describe(body)}`);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object of another kind" : `a ${typeof v}`;
}

/** The verdict on a raw request body (text or bytes), member for member what
 * `ivs-conformance validate` prints for the same bytes. */
export function checkRequestBody(body: string | Uint8Array | ArrayBuffer): Verdict {
  return requestVerdict(bodyBytes(body, "body"));
}

/** The verdict on a raw response body, as `ivs-conformance validate --response`. */
export function checkResponseBody(body: string | Uint8Array | ArrayBuffer): Verdict {
  return responseVerdict(bodyBytes(body, "body"));
}

/** A value as aws-sdk-js-v3's JSON serializer writes it: `null` and `undefined` left out
 * of objects and lists, a non-finite number as its name in a string. */
function wireValue(v: unknown, where: string): unknown {
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "bigint") throw new TypeError(`${where} is a bigint, which JSON cannot hold`);
  if (Array.isArray(v)) {
    return v.filter((item) => item !== null && item !== undefined).map((item, i) => wireValue(item, `${where}[${i}]`));
  }
  if (typeof v === "object" && v !== null && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      if (item !== null && item !== undefined) out[k] = wireValue(item, `${where}.${k}`);
    }
    return out;
  }
  return v;
}

/** The body aws-sdk-js-v3 sends for `input`: the model's members in its order, the rest
 * left out. */
export function serializeInput(input: unknown, members: readonly { member: string }[], name: string): string {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new TypeError(`${name} must be an object, not ${describe(input)}`);
  }
  const out: Record<string, unknown> = {};
  for (const { member } of members) {
    let v: unknown;
    try {
      v = (input as Record<string, unknown>)[member];
    } catch (e) {
      throw new TypeError(`${name}.${member} could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (v === null || v === undefined) continue;
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

/** The verdict on a `CreateParticipantTokenCommandInput`, read as the SDK would send it
 * (absent members left out, `duration: 1.5` or `NaN` as the SDK writes them). */
export function checkRequest(input: CreateParticipantTokenInput): Verdict {
  return checkRequestBody(serializeInput(input, REQUEST_TABLE, "input"));
}

/** The verdict on a `CreateParticipantTokenCommandOutput`, its `expirationTime` written
 * back as the RFC 3339 string it was read from. */
export function checkResponse(output: CreateParticipantTokenOutput): Verdict {
  if (typeof output !== "object" || output === null || Array.isArray(output)) {
    throw new TypeError(`output must be an object, not ${describe(output)}`);
  }
  const tokenMember = RULES.response[0].member;
  let token: unknown;
  try {
    token = (output as Record<string, unknown>)[tokenMember];
  } catch (e) {
    throw new TypeError(`output.${tokenMember} could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (token === null || token === undefined) return checkResponseBody("{}");
  const inner = serializeInput(token, TOKEN_TABLE, `output.${tokenMember}`);
  const parsed = JSON.parse(inner) as Record<string, unknown>;
  const exp = (token as Record<string, unknown>).expirationTime;
  if (exp instanceof Date) {
    parsed.expirationTime = Number.isNaN(exp.getTime()) ? "Invalid Date" : exp.toISOString();
  }
  return checkResponseBody(JSON.stringify({ [tokenMember]: parsed }));
}

/** The constraint table, message templates and limits this package reads, generated
 * from the Rust core. */
export const rules = RULES;
