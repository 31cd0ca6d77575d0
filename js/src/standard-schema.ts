// Standard Schema V1 (https://standardschema.dev): `requestSchema` validates a
// CreateParticipantToken input with the same verdict as `checkRequest`, so that tools
// which accept zod or valibot schemas accept it. The interface below is written after the
// spec's published types, which its authors ask implementers to declare in their own
// package rather than depend on one.

import {
  checkRequest,
  checkResponse,
  type CreateParticipantTokenInput,
  type CreateParticipantTokenOutput,
} from "./index.js";
import type { Verdict } from "./verdict.js";

/** The Standard Schema interface (V1), as published by its authors. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaV1.Props<Input, Output>;
}

// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace StandardSchemaV1 {
  export interface Props<Input = unknown, Output = Input> {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    readonly types?: Types<Input, Output> | undefined;
  }
  export type Result<Output> = SuccessResult<Output> | FailureResult;
  export interface SuccessResult<Output> {
    readonly value: Output;
    readonly issues?: undefined;
  }
  export interface FailureResult {
    readonly issues: ReadonlyArray<Issue>;
  }
  export interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  export interface PathSegment {
    readonly key: PropertyKey;
  }
  export interface Types<Input = unknown, Output = Input> {
    readonly input: Input;
    readonly output: Output;
  }
  export type InferInput<Schema extends StandardSchemaV1> = NonNullable<Schema["~standard"]["types"]>["input"];
  export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema["~standard"]["types"]>["output"];
}

function pathOf(pointer: string): PropertyKey[] {
  if (pointer === "") return [];
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** A Standard Schema whose `validate` gives a value back as it was when `check` finds it
 * valid, and otherwise one issue per violation (or the serialization error), with its
 * message and path; a value `check` cannot read at all is one issue saying why. */
function schemaOf<T>(check: (value: T) => Verdict): StandardSchemaV1<T, T> {
  return {
    "~standard": {
      version: 1,
      vendor: "ivs-participant-token",
      validate(value: unknown) {
        let verdict: Verdict;
        try {
          verdict = check(value as T);
        } catch (e) {
          return { issues: [{ message: e instanceof Error ? e.message : String(e) }] };
        }
        if (verdict.valid) return { value: value as T };
        if (verdict.error === "SerializationException") {
          return { issues: [{ message: verdict.message, path: pathOf(verdict.serialization.path) }] };
        }
        return { issues: verdict.violations.map((v) => ({ message: v.message, path: pathOf(v.path) })) };
      },
    },
  };
}

/** The CreateParticipantToken input as a Standard Schema, with the verdict of
 * `checkRequest`. */
export const requestSchema: StandardSchemaV1<CreateParticipantTokenInput, CreateParticipantTokenInput> =
  schemaOf(checkRequest);

/** The CreateParticipantToken output as a Standard Schema, with the verdict of
 * `checkResponse`. */
export const responseSchema: StandardSchemaV1<CreateParticipantTokenOutput, CreateParticipantTokenOutput> =
  schemaOf(checkResponse);
