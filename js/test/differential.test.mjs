// The TypeScript verdict equals `ivs-conformance validate`'s JSON, messages included: on
// every golden case body, and on 10,000 bodies from the core's proptest strategies
// (valid, broken by one constraint, and broken as JSON), written by the CLI.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { checkRequestBody, checkResponseBody } from "../dist/esm/index.js";
import { REPO, cli, validateWithCli } from "./cli.mjs";

const ARN = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

function report(disagreements, total) {
  const shown = disagreements.slice(0, 5).map(
    (d) =>
      `body ${JSON.stringify(d.body).slice(0, 400)} (${d.response ? "response" : "request"}):\n  ours ${JSON.stringify(d.ours).slice(0, 800)}\n  core ${JSON.stringify(d.core).slice(0, 800)}`,
  );
  return `${disagreements.length} of ${total} verdicts differ:\n${shown.join("\n")}`;
}

test("every golden case body gets the verdict `ivs-conformance validate` prints", () => {
  const dir = join(REPO, "conformance", "cases");
  const disagreements = [];
  let total = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    for (const c of JSON.parse(readFileSync(join(dir, file), "utf8")).cases) {
      for (const [side, response] of [["request", false], ["response", true]]) {
        const spec = c[side];
        if (spec === undefined || (spec.body === undefined && spec.bodyHex === undefined)) continue;
        const body =
          spec.bodyHex !== undefined
            ? Buffer.from(spec.bodyHex, "hex")
            : Buffer.from(spec.body.replaceAll("{{stageArn}}", ARN), "utf8");
        const core = validateWithCli(body, response);
        const ours = response ? checkResponseBody(body) : checkRequestBody(body);
        total++;
        try {
          assert.deepStrictEqual(JSON.parse(JSON.stringify(ours)), core);
        } catch {
          disagreements.push({ body: body.toString("latin1"), response, ours, core });
        }
      }
    }
  }
  assert.ok(total > 150, `only ${total} case bodies were found`);
  assert.equal(disagreements.length, 0, report(disagreements, total));
});

// Where serde_json's byte positions and the reader's text positions part: errors inside
// or just after a multi-byte character, a \u escape over one, line breaks in odd places,
// numbers at their edges.
const EDGES = [
  '{"a":tré}', '{"a":-é}', '{"a":1eé}', '{"duration":1eé}', '"\\é"', '{"userId":"\\é"}',
  '{"userId":"\\u00é1"}', '{"userId":"\\ud800é"}', '{"userId":"\\ud800\\é"}', '{"userId":"\\u12é"}',
  '{é}', '[é', '{"a":1é}', '{"a":"😀"x}', '😀', '{"userId":"😀\u0001"}', '{"x":"\\u0\n12"}',
  '{\n"a"\n:\n\n[1,\n]}', '{"duration":-0}', '{"duration":-9223372036854775808}',
  '{"duration":-9223372036854775809}', '{"duration":18446744073709551615}', '{"duration":18446744073709551616}',
  '{"duration":1.7976931348623157e308}', '{"duration":1.8e308}', '{"duration":0.0000000000000000000000001e400}',
  '{"duration":1e-400}', '{"duration":123456789012345678901234567890.5}', '{"duration":2147483647.0}',
  '{"duration":1e9}', '{"duration":123456789}', '{"duration":-123456789}', '{"duration":1234567890}',
  '{"duration":-2147483649}', '{"duration":0}', '{"duration":-1}', '{"duration":7x}', '{"duration": 720 }', '{"duration":00}', '{"duration":-}', '{"duration":1.}', '{"duration":1.e5}',
  '{"duration":1e+}', '{"duration":9999999999999999999999e-3}', '{"duration":99999999999999999999e999999999999}',
  '{"duration":0e999999999999}', '{"x":tru', '{"x":nul}', '{"a":1,"a":2}', '{"attributes":{"k":"v","k":"w"}}',
  '{"capabilities":["PUBLISH",null]}', '{"capabilities":[1]}', '{"attributes":{"é/~":1}}',
  '{"stageArn":"arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234","attributes":{"__proto__":"x","a":"b"}}',
  '{"stageArn":"\ufeffarn"}', '\ufeff{}', '  ', '{"x":[[[]]],"x":1}',
];

test("bodies at the edges of positions and numbers get the core's verdict, as text and as bytes", () => {
  const disagreements = [];
  for (const text of EDGES) {
    const body = Buffer.from(text, "utf8");
    for (const response of [false, true]) {
      const core = validateWithCli(body, response);
      const check = response ? checkResponseBody : checkRequestBody;
      for (const input of [body, text]) {
        const ours = JSON.parse(JSON.stringify(check(input)));
        try {
          assert.deepStrictEqual(ours, core);
        } catch {
          disagreements.push({ body: text, response, ours, core });
        }
      }
    }
  }
  assert.equal(disagreements.length, 0, report(disagreements, EDGES.length * 4));
});

test("10,000 generated bodies get the verdict of the core", () => {
  const out = execFileSync(cli(), ["bodies", "--count", "10000", "--seed", "24"], { maxBuffer: 256 << 20 });
  const lines = out.toString("utf8").split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 10000);
  const disagreements = [];
  const kinds = new Set();
  for (const line of lines) {
    const { body: hex, response, verdict: core } = JSON.parse(line);
    const body = Buffer.from(hex, "hex");
    const ours = response ? checkResponseBody(body) : checkRequestBody(body);
    // The same body as text, where it is UTF-8: the reader's other way in.
    const text = body.toString("utf8");
    if (Buffer.from(text, "utf8").equals(body)) {
      const asText = response ? checkResponseBody(text) : checkRequestBody(text);
      if (!isDeepStrictEqual(asText, ours)) disagreements.push({ body: text, response, ours: asText, core });
    }
    kinds.add(core.serialization?.kind ?? core.error ?? "valid");
    try {
      assert.deepStrictEqual(JSON.parse(JSON.stringify(ours)), core);
    } catch {
      disagreements.push({ body: body.toString("latin1"), response, ours, core });
    }
  }
  // The bodies cover every verdict: valid, invalid, and malformed in several ways.
  for (const kind of ["valid", "ValidationException", "syntax", "unexpectedEnd", "invalidUtf8", "notAnObject"]) {
    assert.ok(kinds.has(kind), `no generated body gave ${kind}`);
  }
  assert.equal(disagreements.length, 0, report(disagreements, lines.length));
});

test("the bodies command prints what validate prints", () => {
  const out = execFileSync(cli(), ["bodies", "--count", "12", "--seed", "7"]);
  for (const line of out.toString("utf8").split("\n").filter((l) => l !== "")) {
    const { body, response, verdict } = JSON.parse(line);
    assert.deepStrictEqual(validateWithCli(Buffer.from(body, "hex"), response), verdict);
  }
});
