// ivs-participant-token: Amazon IVS Real-Time CreateParticipantToken checked with the
// verdicts of the Rust reference kit (`ivs-conformance validate`), and an aws-sdk-js-v3
// plugin that refuses an invalid call before it is sent.

import { RULES, type CreateParticipantTokenInput, type CreateParticipantTokenOutput } from "./rules.js";
import { REQUEST_TABLE, TOKEN_TABLE } from "./reader.js";
import { requestVerdict, requestVerdictOfBody, responseVerdict } from "./verdict.js";
import { describe, direct, readMembers, serializeInput, serializeMembers } from "./wire.js";

export type {
  Capability,
  CreateParticipantTokenInput,
  CreateParticipantTokenOutput,
  EffectiveRequest,
  ParticipantTokenOutput,
} from "./rules.js";
export type {
  Advisory,
  InvalidVerdict,
  MalformedVerdict,
  Omitted,
  RequestVerdict,
  ResponseVerdict,
  Serialization,
  SerializationKind,
  ValidVerdict,
  Verdict,
  Violation,
} from "./verdict.js";
export {
  validateBeforeSend,
  InvalidRequestError,
  InconsistentResponseError,
  type Plugin,
  type ValidateBeforeSendOptions,
} from "./plugin.js";
export { requestSchema, responseSchema, type StandardSchemaV1 } from "./standard-schema.js";

import type { RequestVerdict, ResponseVerdict } from "./verdict.js";

function bodyBytes(body: unknown, name: string): Uint8Array | string {
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError(`${name} must be a string, a Uint8Array or an ArrayBuffer, not ${describe(body)}`);
}

/** The verdict on a raw request body (text or bytes), member for member what
 * `ivs-conformance validate` prints for the same bytes. A string is judged as the UTF-8
 * bytes it goes on the wire as: a lone surrogate in it is sent, and judged, as U+FFFD
 * (what `TextEncoder` and Node's HTTP client write). */
export function checkRequestBody(body: string | Uint8Array | ArrayBuffer): RequestVerdict {
  return requestVerdict(bodyBytes(body, "body"));
}

/** The verdict on a raw response body, as `ivs-conformance validate --response`. */
export function checkResponseBody(body: string | Uint8Array | ArrayBuffer): ResponseVerdict {
  return responseVerdict(bodyBytes(body, "body"));
}

/** The verdict on a `CreateParticipantTokenCommandInput`, read as the SDK would send it
 * (absent members left out, `duration: 1.5` or `NaN` as the SDK writes them). A
 * malformed verdict names the member (`serialization.path`), never a line or column of
 * the body the SDK would write. */
export function checkRequest(input: CreateParticipantTokenInput): RequestVerdict {
  const values = readMembers(input, REQUEST_TABLE, "input");
  const body = direct(values);
  return body !== undefined
    ? requestVerdictOfBody(body)
    : requestVerdict(serializeMembers(values, REQUEST_TABLE, "input"), "object");
}

/** The verdict on a `CreateParticipantTokenCommandOutput`, its `expirationTime` written
 * back as the RFC 3339 string it was read from. */
export function checkResponse(output: CreateParticipantTokenOutput): ResponseVerdict {
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
  if (token === null || token === undefined) return responseVerdict("{}", "object");
  const inner = serializeInput(token, TOKEN_TABLE, `output.${tokenMember}`);
  const parsed = JSON.parse(inner) as Record<string, unknown>;
  const exp = (token as Record<string, unknown>).expirationTime;
  if (exp instanceof Date) {
    parsed.expirationTime = Number.isNaN(exp.getTime()) ? "Invalid Date" : exp.toISOString();
  }
  return responseVerdict(JSON.stringify({ [tokenMember]: parsed }), "object");
}

/** The constraint table, message templates and limits this package reads, generated
 * from the Rust core. */
export const rules = RULES;
