// The aws-sdk-js-v3 plugin: one named initialize-step middleware that checks a
// CreateParticipantToken call before anything is sent, and, when asked, the answer.
//
// The SDK's types are described structurally here, so that the package depends on
// nothing at run time and on no SDK version for its types.

import { checkRequest, checkResponse } from "./index.js";
import { RULES, type CreateParticipantTokenInput, type CreateParticipantTokenOutput, type EffectiveRequest } from "./rules.js";
import type { InvalidVerdict, MalformedVerdict, ResponseVerdict, Violation } from "./verdict.js";

const NAME = "ivsParticipantTokenValidateBeforeSend";
const COMMAND = "CreateParticipantTokenCommand";

/** Options of {@link validateBeforeSend}. */
export interface ValidateBeforeSendOptions {
  /** Also check the answer: its verdict, and the token's claims against the request
   * (the JWT's payload is decoded; its signature is not checked). Default `false`. */
  checkResponses?: boolean;
}

/** The options {@link validateBeforeSend} knows: any other is a TypeError. */
const OPTIONS: readonly (keyof ValidateBeforeSendOptions)[] = ["checkResponses"];

// Each error carries a brand under a registered symbol, and `instanceof` reads it, so
// that an error thrown by the CommonJS copy of the package is an instance of the class
// the ES module exports, and the other way round.
const INVALID_REQUEST = Symbol.for("ivs-participant-token.InvalidRequestError");
const INCONSISTENT_RESPONSE = Symbol.for("ivs-participant-token.InconsistentResponseError");

function branded(v: unknown, brand: symbol): boolean {
  return typeof v === "object" && v !== null && (v as Record<symbol, unknown>)[brand] === true;
}

function brand(e: Error, symbol: symbol): void {
  Object.defineProperty(e, symbol, { value: true });
}

/** An invalid CreateParticipantToken call, refused before it was sent. */
export class InvalidRequestError extends Error {
  static [Symbol.hasInstance](v: unknown): boolean {
    return branded(v, INVALID_REQUEST);
  }
  override readonly name = "InvalidRequestError";
  /** The verdict on the request, as `ivs-conformance validate` gives it. */
  readonly verdict: InvalidVerdict | MalformedVerdict;
  /** Every violation, in member order. */
  readonly violations: Violation[];
  constructor(verdict: InvalidVerdict | MalformedVerdict) {
    super(`${verdict.error}: ${verdict.message}`);
    brand(this, INVALID_REQUEST);
    this.verdict = verdict;
    this.violations = verdict.violations;
  }
}

/** An answer that breaks the model, or a token whose claims disagree with the request. */
export class InconsistentResponseError extends Error {
  static [Symbol.hasInstance](v: unknown): boolean {
    return branded(v, INCONSISTENT_RESPONSE);
  }
  override readonly name = "InconsistentResponseError";
  /** The verdict on the answer. */
  readonly verdict: ResponseVerdict;
  /** Each disagreement between the request and the token's claims, in words. */
  readonly inconsistencies: string[];
  constructor(verdict: ResponseVerdict, inconsistencies: string[]) {
    const what = verdict.valid ? inconsistencies.join("; ") : verdict.message;
    super(`the CreateParticipantToken answer does not conform: ${what}`);
    brand(this, INCONSISTENT_RESPONSE);
    this.verdict = verdict;
    this.inconsistencies = inconsistencies;
  }
}

// The SDK's middleware types, described structurally (after @smithy/types) so that the
// package depends on no SDK at run time nor on an SDK version for its types; generic, so
// that a client's `middlewareStack.use` takes the plugin under `strict`.
interface Context {
  commandName?: string;
}
interface HandlerArguments<Input> {
  input: Input;
}
interface HandlerOutput<Output> {
  output: Output;
  response: unknown;
}
type Handler<Input, Output> = (args: HandlerArguments<Input>) => Promise<HandlerOutput<Output>>;
type Middleware<Input, Output> = (next: Handler<Input, Output>, context: Context) => Handler<Input, Output>;
interface Stack<Input, Output> {
  add(
    middleware: Middleware<Input, Output>,
    options: { step: "initialize"; name: string; override: boolean; tags?: string[] },
  ): void;
}

/** What `client.middlewareStack.use` takes (aws-sdk-js-v3's `Pluggable`). */
export interface Plugin<Input extends object, Output extends object> {
  applyToStack: (stack: Stack<Input, Output>) => void;
}

function base64urlJson(part: string): Record<string, unknown> | undefined {
  try {
    const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const text = new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

type Row = (typeof RULES.request)[number] | (typeof RULES.participantToken)[number];
type ClaimEcho = Row["echo"]["claims"][number];

/** JSON values equal as JSON: members in any order. */
function same(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : typeof v === "object" && v !== null
        ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, x]) => [k, canonical(x)]))
        : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Whether `claim` carries `value` (a member of `row`) as `echo` says. */
function carries(row: Row, echo: ClaimEcho, value: unknown, claim: unknown, claims: Record<string, unknown>): boolean {
  switch (echo.form) {
    case "value":
      return row.type === "map" ? same(value ?? {}, claim ?? {}) : same(value, claim);
    case "stageId":
      return typeof value === "string" && claim === value.split("/").pop();
    case "minutes": {
      const since = echo.since === null ? undefined : claims[echo.since];
      return typeof claim === "number" && typeof since === "number" && typeof value === "number" && claim - since === value * 60;
    }
    case "flags": {
      const listed = Array.isArray(value) ? value : [];
      const want = Object.fromEntries((row.enum ?? []).map((v) => [`allow_${v.toLowerCase()}`, listed.includes(v)]));
      return same(want, claim);
    }
    case "unixSeconds": {
      const at = typeof value === "string" ? Math.floor(new Date(value).getTime() / 1000) : NaN;
      return typeof claim === "number" && Math.abs(at - claim) <= (echo.tolerance ?? 0);
    }
  }
}

/** Whether the token's member holds the effective value: a list as the same set (and
 * there), a map absent as an empty one, anything else exactly. */
function tokenEchoes(row: Row, want: unknown, got: unknown): boolean {
  if (row.type === "list") {
    const set = (v: unknown) => JSON.stringify(Array.isArray(v) ? [...v].map(String).sort() : null);
    return got !== undefined && set(want) === set(got);
  }
  return row.type === "map" ? same(want ?? {}, got ?? {}) : same(want, got);
}

/** Disagreements between the request (defaults applied), the token issued and its claims,
 * as the constraint table's echoes say: each request member in its claims and in the
 * token's member of the same name, each token member in its claims. The rules of the
 * Rust crate's `token::inconsistencies`, by the same words. */
function claimsDisagreements(request: EffectiveRequest, output: CreateParticipantTokenOutput): string[] {
  const issued = output.participantToken;
  if (issued === undefined) return [];
  const parts = typeof issued.token === "string" ? issued.token.split(".") : [];
  const claims = parts.length === 3 ? base64urlJson(parts[1]!) : undefined;
  if (claims === undefined) return ["the token is not a JWT whose payload is a JSON object"];
  const token: Record<string, unknown> = { ...issued };
  if (issued.expirationTime instanceof Date) token.expirationTime = issued.expirationTime.toISOString();
  const out: string[] = [];
  const tables: [readonly Row[], Record<string, unknown>][] = [
    [RULES.request, request as unknown as Record<string, unknown>],
    [RULES.participantToken, token],
  ];
  for (const [rows, values] of tables) {
    for (const row of rows) {
      const value = values[row.member] ?? undefined;
      for (const echo of row.echo.claims) {
        if (!carries(row, echo, value, claims[echo.claim], claims)) out.push(echo.rule);
      }
      if (row.echo.token !== null && !tokenEchoes(row, value, token[row.member] ?? undefined)) out.push(row.echo.token);
    }
  }
  return out;
}

/**
 * The plugin: `client.middlewareStack.use(validateBeforeSend())` on an
 * `IVSRealTimeClient`. CreateParticipantToken calls whose input is invalid throw
 * {@link InvalidRequestError} before anything is sent; other commands pass untouched.
 * Installed twice, one middleware remains (it is named, and replaces itself). An option
 * it does not know is a TypeError naming it.
 */
// The SDK's Input and Output are inferred from where the plugin is used; `any` when not.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function validateBeforeSend<Input extends object = any, Output extends object = any>(
  options: ValidateBeforeSendOptions = {},
): Plugin<Input, Output> {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError("validateBeforeSend: options must be an object");
  }
  for (const key of Object.keys(options)) {
    if (!(OPTIONS as readonly string[]).includes(key)) {
      throw new TypeError(
        `validateBeforeSend: unknown option ${JSON.stringify(key)} (the options are ${OPTIONS.join(", ")})`,
      );
    }
  }
  if (options.checkResponses !== undefined && typeof options.checkResponses !== "boolean") {
    throw new TypeError("validateBeforeSend: checkResponses must be true or false");
  }
  const checkResponses = options.checkResponses === true;
  const middleware: Middleware<Input, Output> = (next, context) => async (args) => {
    if (context.commandName !== COMMAND) return next(args);
    const verdict = checkRequest(args.input as CreateParticipantTokenInput);
    if (!verdict.valid) throw new InvalidRequestError(verdict);
    const result = await next(args);
    if (checkResponses) {
      const output = result.output as CreateParticipantTokenOutput;
      const answer = checkResponse(output);
      const disagreements = answer.valid ? claimsDisagreements(verdict.effective, output) : [];
      if (!answer.valid || disagreements.length > 0) throw new InconsistentResponseError(answer, disagreements);
    }
    return result;
  };
  return {
    applyToStack(stack) {
      stack.add(middleware, { step: "initialize", name: NAME, override: true, tags: ["VALIDATION"] });
    },
  };
}
