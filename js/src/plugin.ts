// The aws-sdk-js-v3 plugin: one named initialize-step middleware that checks a
// CreateParticipantToken call before anything is sent, and, when asked, the answer.
//
// The SDK's types are described structurally here, so that the package depends on
// nothing at run time and on no SDK version for its types.

import { checkRequest, checkResponse, type CreateParticipantTokenInput, type CreateParticipantTokenOutput } from "./index.js";
import type { Verdict, Violation } from "./verdict.js";

const NAME = "ivsParticipantTokenValidateBeforeSend";
const COMMAND = "CreateParticipantTokenCommand";

/** Options of {@link validateBeforeSend}. */
export interface ValidateBeforeSendOptions {
  /** Also check the answer: its verdict, and the token's claims against the request
   * (the JWT's payload is decoded; its signature is not checked). Default `false`. */
  checkResponses?: boolean;
}

/** An invalid CreateParticipantToken call, refused before it was sent. */
export class InvalidRequest extends Error {
  override readonly name = "InvalidRequest";
  /** The verdict on the request, as `ivs-conformance validate` gives it. */
  readonly verdict: Verdict;
  /** Every violation, in member order. */
  readonly violations: Violation[];
  constructor(verdict: Verdict) {
    super(`${verdict.error ?? "invalid"}: ${verdict.message}`);
    this.verdict = verdict;
    this.violations = verdict.violations;
  }
}

/** An answer that breaks the model, or a token whose claims disagree with the request. */
export class InconsistentResponseError extends Error {
  override readonly name = "InconsistentResponse";
  readonly verdict: Verdict;
  /** Each disagreement between the request and the token's claims, in words. */
  readonly inconsistencies: string[];
  constructor(verdict: Verdict, inconsistencies: string[]) {
    const what = verdict.valid ? inconsistencies.join("; ") : verdict.message;
    super(`the CreateParticipantToken answer does not conform: ${what}`);
    this.verdict = verdict;
    this.inconsistencies = inconsistencies;
  }
}

/** The error `checkResponses` throws. */
export type InconsistentResponse = InconsistentResponseError;

interface Context {
  commandName?: string;
}
type Handler = (args: { input: unknown }) => Promise<{ output: unknown }>;
type Middleware = (next: Handler, context: Context) => Handler;
interface Stack {
  add(middleware: Middleware, options: { step: "initialize"; name: string; override: boolean; tags?: string[] }): void;
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

/** Disagreements between the request (defaults applied), the token issued and its claims:
 * the rules of the Rust crate's `token::inconsistencies`, by their names there. */
function claimsDisagreements(verdict: Verdict, output: CreateParticipantTokenOutput): string[] {
  const request = verdict.effective;
  const issued = output.participantToken;
  if (request === null || issued === undefined) return [];
  const out: string[] = [];
  const parts = typeof issued.token === "string" ? issued.token.split(".") : [];
  const claims = parts.length === 3 ? base64urlJson(parts[1]!) : undefined;
  if (claims === undefined) return ["the token is not a JWT whose payload is a JSON object"];
  const expect = (rule: string, ok: boolean) => {
    if (!ok) out.push(rule);
  };
  expect("jti = participantId", claims.jti === issued.participantId);
  const exp = claims.exp;
  const iat = claims.iat;
  expect("exp − iat = duration × 60", typeof exp === "number" && typeof iat === "number" && exp - iat === (request.duration ?? 0) * 60);
  expect("resource = stageArn", claims.resource === request.stageArn);
  expect("topic = the stage id", claims.topic === request.stageArn?.split("/").pop());
  expect("user_id = userId", claims.user_id === request.userId);
  const caps = claims.capabilities as Record<string, unknown> | undefined;
  const wanted = request.capabilities ?? [];
  expect(
    "capabilities claim = capabilities",
    typeof caps === "object" && caps !== null &&
      (caps.allow_publish === true) === wanted.includes("PUBLISH") &&
      (caps.allow_subscribe === true) === wanted.includes("SUBSCRIBE"),
  );
  const sorted = (o: unknown) => JSON.stringify(Object.entries((o ?? {}) as Record<string, unknown>).sort());
  expect("attributes claim = attributes", sorted(claims.attributes) === sorted(request.attributes));
  const t = issued.expirationTime === undefined ? NaN : Math.floor(new Date(issued.expirationTime).getTime() / 1000);
  expect("exp = expirationTime (±1 s)", typeof exp === "number" && Math.abs(t - exp) <= 1);
  // The members the token echoes, as the Rust crate's check reads them.
  expect("duration echoed", issued.duration === request.duration);
  const set = (xs: readonly string[] | undefined) => JSON.stringify([...(xs ?? [])].sort());
  expect("capabilities echoed", issued.capabilities !== undefined && set(issued.capabilities) === set(wanted));
  expect("userId echoed", issued.userId === request.userId);
  expect("attributes echoed", sorted(issued.attributes) === sorted(request.attributes));
  return out;
}

/**
 * The plugin: `client.middlewareStack.use(validateBeforeSend())` on an
 * `IVSRealTimeClient`. CreateParticipantToken calls whose input is invalid throw
 * {@link InvalidRequest} before anything is sent; other commands pass untouched. Installed
 * twice, one middleware remains (it is named, and replaces itself).
 */
export function validateBeforeSend(options: ValidateBeforeSendOptions = {}): { applyToStack(stack: Stack): void } {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("options must be an object");
  }
  const checkResponses = options.checkResponses === true;
  const middleware: Middleware = (next, context) => async (args) => {
    if (context.commandName !== COMMAND) return next(args);
    const verdict = checkRequest(args.input as CreateParticipantTokenInput);
    if (!verdict.valid) throw new InvalidRequest(verdict);
    const result = await next(args);
    if (checkResponses) {
      const output = result.output as CreateParticipantTokenOutput;
      const answer = checkResponse(output);
      const disagreements = answer.valid ? claimsDisagreements(verdict, output) : [];
      if (!answer.valid || disagreements.length > 0) throw new InconsistentResponseError(answer, disagreements);
    }
    return result;
  };
  return {
    applyToStack(stack: Stack) {
      stack.add(middleware, { step: "initialize", name: NAME, override: true, tags: ["VALIDATION"] });
    },
  };
}
