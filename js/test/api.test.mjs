// The functions on what callers pass: typed inputs read as the SDK sends them (checked
// against the SDK's own bytes), hostile arguments, Standard Schema, and the golden
// cases' expectations.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { CreateParticipantTokenCommand, IVSRealTimeClient } from "@aws-sdk/client-ivs-realtime";
import { checkRequest, checkRequestBody, checkResponse, checkResponseBody, requestSchema, responseSchema, rules, validateBeforeSend } from "../dist/esm/index.js";
// Internal modules, reached by path: not part of the package's API.
import { serializeInput } from "../dist/esm/wire.js";
import { requestVerdict } from "../dist/esm/verdict.js";
import { execFileSync } from "node:child_process";
import { REPO, cli, validateWithCli } from "./cli.mjs";

const ARN = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

async function sdkBody(input) {
  let body;
  const client = new IVSRealTimeClient({
    region: "us-west-2",
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
    requestHandler: {
      handle: async (req) => {
        body = req.body;
        throw new Error("captured");
      },
    },
  });
  await client.send(new CreateParticipantTokenCommand(input)).catch((e) => {
    if (e.message !== "captured") throw e;
  });
  return Buffer.from(body).toString("utf8");
}

test("a typed input is read as the SDK sends it", async () => {
  const inputs = [
    { stageArn: ARN },
    { stageArn: ARN, duration: 1.5, userId: undefined, attributes: { a: "b", n: null }, capabilities: ["PUBLISH", null] },
    { stageArn: null, duration: NaN, extra: 1 },
    { duration: Infinity, userId: "x" },
    { stageArn: 5, duration: "7", capabilities: "PUBLISH", attributes: { a: 1 } },
    { capabilities: [], attributes: {}, userId: "" },
  ];
  for (const input of inputs) {
    assert.equal(serializeInput(input, rules.request, "input"), await sdkBody(input), JSON.stringify(input));
  }
  assert.equal(checkRequest({ stageArn: ARN, duration: 1.5 }).serialization.kind, "notAnInteger");
  assert.equal(checkRequest({ stageArn: ARN, duration: NaN }).serialization.kind, "wrongType");
  assert.equal(checkRequest({ stageArn: ARN, duration: undefined }).effective.duration, 720);
});

test("checkRequest's direct reading gives what the body the SDK sends gives", () => {
  // Typed inputs from the generated request bodies that are JSON objects, and odd ones:
  // the direct path (plain strings, 32-bit integers) must agree with the long way.
  const out = execFileSync(cli(), ["bodies", "--count", "3000", "--seed", "5"], { maxBuffer: 256 << 20 });
  const inputs = [
    { stageArn: ARN, duration: -0 }, { stageArn: ARN, duration: 2147483648 }, { stageArn: ARN, duration: -2147483648 },
    { stageArn: ARN, userId: "\ud800x" }, { stageArn: ARN, attributes: { "\udc00": "v" } }, { stageArn: ARN, attributes: Object.create(null) },
    { stageArn: ARN, attributes: new Map([["a", "b"]]) }, { stageArn: ARN, capabilities: ["PUBLISH", 1] }, { stageArn: ARN, attributes: { a: () => 1 } },
    { stageArn: ARN, capabilities: [, "PUBLISH"] }, JSON.parse(`{"stageArn":"${ARN}","attributes":{"__proto__":"x"}}`), { stageArn: ARN, attributes: { a: "b", toJSON: () => ({}) } }, { stageArn: [ARN] },
  ];
  for (const line of out.toString("utf8").split("\n")) {
    if (line === "") continue;
    const { body, response } = JSON.parse(line);
    if (response) continue;
    try {
      const value = JSON.parse(Buffer.from(body, "hex").toString("utf8"));
      if (typeof value === "object" && value !== null && !Array.isArray(value)) inputs.push(value);
    } catch {
      // Not JSON: no typed input to make of it.
    }
  }
  assert.ok(inputs.length > 1000, `${inputs.length} inputs`);
  for (const input of inputs) {
    const long = requestVerdict(serializeInput(input, rules.request, "input"), "object");
    assert.deepStrictEqual(checkRequest(input), long, JSON.stringify(input));
  }
});

test("lengths count scalar values and the attributes' limit counts UTF-8 bytes", () => {
  assert.equal(checkRequest({ stageArn: ARN, userId: "😀".repeat(128) }).valid, true);
  const v = checkRequest({ stageArn: ARN, userId: "😀".repeat(129) });
  assert.deepEqual([v.violations[0].constraint, v.violations[0].length], ["length", 129]);
  // 1024 bytes: "é" is 2 bytes, so 511 of them and a 2-byte key.
  assert.equal(checkRequest({ stageArn: ARN, attributes: { ab: "é".repeat(511) } }).valid, true);
  const over = checkRequest({ stageArn: ARN, attributes: { ab: "é".repeat(512) } });
  assert.deepEqual([over.violations[0].constraint, over.violations[0].length], ["maxBytes", 1026]);
});

test("bad arguments get a verdict or a TypeError naming the argument", () => {
  for (const f of [checkRequest, checkResponse]) {
    for (const bad of [null, undefined, 42, "text", [1]]) {
      assert.throws(() => f(bad), (e) => e instanceof TypeError && /^(input|output) must be an object/.test(e.message));
    }
  }
  for (const f of [checkRequestBody, checkResponseBody]) {
    for (const bad of [null, 42, {}, [1]]) {
      assert.throws(() => f(bad), (e) => e instanceof TypeError && /^body must be/.test(e.message));
    }
  }
  const getter = { get stageArn() { throw new Error("boom"); } };
  assert.throws(() => checkRequest(getter), (e) => e instanceof TypeError && e.message.startsWith("input.stageArn could not be read"));
  assert.throws(() => checkRequest({ stageArn: ARN, duration: 10n }), (e) => e instanceof TypeError && e.message.includes("input.duration"));
  const cyclic = { a: "b" };
  cyclic.self = cyclic;
  assert.throws(() => checkRequest({ stageArn: ARN, attributes: cyclic }), (e) => e instanceof TypeError && /^input\.attributes(\.self)+ refers to itself/.test(e.message));
  let deep = [];
  for (let i = 0; i < 5000; i++) deep = [deep];
  // A list item must be a string: the reader refuses the first nested array.
  assert.deepEqual(checkRequest({ stageArn: ARN, capabilities: deep }).serialization.path, "/capabilities/0");
  const big = "x".repeat(5 << 20);
  const t0 = Date.now();
  assert.equal(checkRequestBody(big).serialization.kind, "syntax");
  assert.equal(checkRequest({ stageArn: ARN, userId: big }).violations[0].constraint, "length");
  assert.equal(checkRequestBody(`{"x":${"[".repeat(200)}`).serialization.kind, "tooDeep");
  assert.equal(checkRequestBody(`{"x":${"[".repeat(200)}${"]".repeat(200)}}`).serialization.kind, "tooDeep");
  assert.equal(checkRequest({ stageArn: ARN, attributes: { deep: JSON.parse("[".repeat(200) + "]".repeat(200)) } }).error, "SerializationException");
  assert.ok(Date.now() - t0 < 10_000, "hostile inputs took more than 10 s");
  const invalidUtf8 = new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]);
  assert.deepEqual(checkRequestBody(invalidUtf8).serialization, { column: 3, kind: "invalidUtf8", line: 1, path: "" });
  assert.equal(checkRequestBody(invalidUtf8.buffer).error, "SerializationException");
});

test("every function meets every hostile input with a verdict or a TypeError naming its argument", () => {
  const big = "x".repeat(5 << 20);
  const deepText = "[".repeat(200) + "]".repeat(200);
  const deep = JSON.parse(deepText);
  const throwing = Object.defineProperty({}, "participantToken", { get() { throw new Error("boom"); }, enumerable: true });
  Object.defineProperty(throwing, "stageArn", { get() { throw new Error("boom"); }, enumerable: true });
  const hostile = [null, 42, big, deep, throwing, new Uint8Array([0xff, 0xfe, 0x7b]), { stageArn: big, participantToken: { token: big } }, { stageArn: deep, participantToken: deep }];
  const argument = { checkRequest: "input", checkResponse: "output", checkRequestBody: "body", checkResponseBody: "body" };
  const fns = { checkRequest, checkResponse, checkRequestBody, checkResponseBody };
  for (const [name, f] of Object.entries(fns)) {
    for (const input of hostile) {
      const t0 = Date.now();
      try {
        const v = f(input);
        assert.equal(typeof v.valid, "boolean", name);
        assert.ok(v.valid || v.error !== null, name);
      } catch (e) {
        assert.ok(e instanceof TypeError, `${name}: ${e}`);
        assert.ok(e.message.startsWith(argument[name]), `${name}: ${e.message}`);
      }
      assert.ok(Date.now() - t0 < 5000, `${name} took ${Date.now() - t0} ms`);
    }
  }
  for (const input of hostile) {
    const out = requestSchema["~standard"].validate(input);
    assert.ok("value" in out || out.issues.length > 0);
  }
  for (const bad of [null, 42, "x"]) {
    assert.throws(() => validateBeforeSend(bad), (e) => e instanceof TypeError && /options must be an object/.test(e.message));
  }
});

test("requestSchema implements Standard Schema V1", () => {
  const std = requestSchema["~standard"];
  assert.equal(std.version, 1);
  assert.equal(std.vendor, "ivs-participant-token");
  const ok = std.validate({ stageArn: ARN });
  assert.deepEqual(ok, { value: { stageArn: ARN } });
  const bad = std.validate({ stageArn: ARN, duration: 0, capabilities: ["ADMIN"] });
  assert.deepEqual(bad.issues.map((i) => i.path), [["duration"], ["capabilities", 0]]);
  assert.match(bad.issues[0].message, /Member must be between 1 and 20160, inclusive/);
  assert.equal(std.validate(null).issues.length, 1);
});

test("every golden case that applies to models gets what it expects", () => {
  const dir = join(REPO, "conformance", "cases");
  let checked = 0;
  const skipped = [];
  const otherOperations = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const doc = JSON.parse(readFileSync(join(dir, file), "utf8"));
    for (const c of doc.cases) {
      if (!(c.appliesTo ?? []).includes("model")) continue;
      // This package checks CreateParticipantToken bodies only; CreateStage's cases are
      // the Rust core's, the CLI's and the Python package's.
      const operation = c.operation ?? doc.defaults?.operation ?? "CreateParticipantToken";
      if (operation !== "CreateParticipantToken") {
        otherOperations.push(c.id);
        continue;
      }
      const e = c.expect;
      let v;
      if (c.response !== undefined) {
        if (c.response.status !== 200) {
          // An error answer's wire form (X-Amzn-Errortype, message) is the runner's to
          // judge; this package checks 200 bodies.
          skipped.push(c.id);
          continue;
        }
        v = checkResponseBody(c.response.bodyHex !== undefined ? Buffer.from(c.response.bodyHex, "hex") : c.response.body);
        assert.equal(v.valid, e.conforms, c.id);
      } else {
        const body = c.request.bodyHex !== undefined ? Buffer.from(c.request.bodyHex, "hex") : Buffer.from((c.request.body ?? "").replaceAll("{{stageArn}}", ARN));
        v = checkRequestBody(body);
        if (e.status !== undefined) assert.equal(v.valid ? 200 : 400, e.status, c.id);
        if (e.errorType !== undefined) assert.equal(v.error, e.errorType, c.id);
      }
      if (e.violations !== undefined) {
        assert.deepEqual(
          v.violations.map((x) => [x.path, x.constraint]),
          e.violations.map((x) => [x.path, x.constraint]),
          c.id,
        );
      }
      if (e.serialization !== undefined) {
        for (const [k, want] of Object.entries(e.serialization)) assert.deepEqual(v.serialization?.[k], want, `${c.id}: serialization.${k}`);
      }
      if (e.effective !== undefined) {
        // As the runner compares: a list as a set (capabilities are documented as one).
        const same = (x) => (Array.isArray(x) ? [...x].sort() : x);
        for (const [k, want] of Object.entries(e.effective)) {
          assert.deepEqual(same(v.effective?.[k] ?? null), same(want), `${c.id}: effective.${k}`);
        }
      }
      if (e.advisories !== undefined) assert.deepEqual(v.advisories.map((a) => a.path).sort(), [...e.advisories].sort(), c.id);
      checked++;
    }
  }
  assert.ok(checked > 180, `only ${checked} cases checked`);
  if (skipped.length > 0) console.log(`# skipped ${skipped.length} error-answer cases (not 200 bodies): ${skipped.join(", ")}`);
  if (otherOperations.length > 0) console.log(`# skipped ${otherOperations.length} cases of another operation than CreateParticipantToken, which this package does not check`);
});

test("checking an object says where in it, never a line or column of a body it did not write", () => {
  for (const input of [
    { stageArn: ARN, userId: "\ud800" },
    { stageArn: ARN, duration: 1.5 },
    { stageArn: ARN, attributes: { a: { deep: "x" } } },
  ]) {
    const v = checkRequest(input);
    assert.equal(v.error, "SerializationException", JSON.stringify(input));
    assert.deepEqual(Object.keys(v.serialization).sort(), ["kind", "path"]);
    assert.doesNotMatch(v.message, /line \d+|column \d+/, v.message);
    assert.match(v.message, new RegExp(`at '${v.serialization.path}'`), v.message);
  }
  const out = checkResponse({ participantToken: { participantId: "\udc00", token: "t", expirationTime: new Date(0) } });
  assert.equal(out.error, "SerializationException");
  assert.doesNotMatch(out.message, /line \d+|column \d+/, out.message);
  // A body the caller wrote keeps its position.
  assert.match(checkRequestBody(`{"stageArn":"${ARN}","duration":1.5}`).message, /\(line 1, column \d+\)/);
});

test("a string body is judged as the UTF-8 bytes it is sent as: a lone surrogate as U+FFFD", () => {
  for (const body of [`{"stageArn":"${ARN}","userId":"a\ud800b"}`, `{"stageArn":"${ARN}","\udc00":1}`, `{"\ud83d`]) {
    const bytes = new TextEncoder().encode(body);
    assert.deepStrictEqual(checkRequestBody(body), checkRequestBody(bytes), JSON.stringify(body));
    assert.deepStrictEqual(checkRequestBody(body), validateWithCli(Buffer.from(bytes)), JSON.stringify(body));
  }
  assert.equal(checkRequestBody(`{"stageArn":"${ARN}","userId":"a\ud800b"}`).valid, true);
});

test("the verdict narrows: valid has its whole effective request, malformed its serialization", () => {
  const valid = checkRequest({ stageArn: ARN });
  assert.equal(valid.valid, true);
  assert.deepEqual(valid.effective, { stageArn: ARN, duration: 720, capabilities: ["PUBLISH", "SUBSCRIBE"] });
  const invalid = checkRequest({ stageArn: ARN, duration: 0 });
  assert.deepEqual([invalid.valid, invalid.error, invalid.effective, invalid.serialization], [false, "ValidationException", null, undefined]);
  const malformed = checkRequestBody("[");
  assert.deepEqual([malformed.valid, malformed.error, malformed.violations], [false, "SerializationException", []]);
  assert.equal(typeof malformed.serialization.kind, "string");
});

test("an unknown plugin option is a TypeError naming it", () => {
  assert.throws(() => validateBeforeSend({ checkResponse: true }), (e) => e instanceof TypeError && /unknown option "checkResponse"/.test(e.message));
  assert.throws(() => validateBeforeSend({ checkResponses: "yes" }), (e) => e instanceof TypeError && /checkResponses must be true or false/.test(e.message));
  assert.doesNotThrow(() => validateBeforeSend({ checkResponses: false }));
});

test("responseSchema implements Standard Schema V1 with checkResponse's verdict", () => {
  const std = responseSchema["~standard"];
  assert.equal(std.version, 1);
  const good = { participantToken: { participantId: "p", token: "a.b.c", expirationTime: "2026-11-24T07:04:31Z" } };
  assert.deepEqual(std.validate(good), { value: good });
  const bad = std.validate({ participantToken: { participantId: "a b", token: "t", expirationTime: "2026-11-24T07:04:31Z" } });
  assert.deepEqual(bad.issues.map((i) => i.path), [["participantToken", "participantId"]]);
  assert.match(std.validate(5).issues[0].message, /output must be an object/);
});

test("what JSON.parse and the shipped JSON Schema (with ajv) see, and what only the strict reader sees", async () => {
  const { default: Ajv2020 } = await import("ajv/dist/2020.js");
  const schema = JSON.parse(readFileSync(new URL("../schemas/request.schema.json", import.meta.url), "utf8"));
  const ajv = new Ajv2020().compile(schema);
  const viaAjv = (body) => {
    try {
      return ajv(JSON.parse(body));
    } catch {
      return "JSON.parse refuses";
    }
  };
  const user = (n) => `{"stageArn":"${ARN}","userId":"${"😀".repeat(n)}"}`;
  // Lengths in Unicode scalar values: ajv's default counts them too.
  assert.deepEqual([viaAjv(user(128)), checkRequestBody(user(128)).valid], [true, true]);
  assert.deepEqual([viaAjv(user(129)), checkRequestBody(user(129)).valid], [false, false]);
  // What JSON.parse hides from any schema, or no keyword expresses: the strict reader's.
  for (const [what, body] of [
    ["a duplicate member", `{"stageArn":"x","stageArn":"${ARN}"}`],
    ["an integer written with a fraction", `{"stageArn":"${ARN}","duration":720.0}`],
    ["an integer written with an exponent", `{"stageArn":"${ARN}","duration":7.2e2}`],
    ["a lone surrogate escape", `{"stageArn":"${ARN}","userId":"\\ud800"}`],
    ["attributes over 1 KB of UTF-8", `{"stageArn":"${ARN}","attributes":{"a":"${"é".repeat(600)}"}}`],
  ]) {
    assert.equal(viaAjv(body), true, `${what}: ajv accepts it`);
    assert.equal(checkRequestBody(body).valid, false, `${what}: the strict reader refuses it`);
  }
});
