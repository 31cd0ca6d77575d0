// The TypeScript verdict equals `ivs-conformance validate`'s JSON, messages included: on
// every golden case body, and on 10,000 bodies from the core's proptest strategies
// (valid, broken by one constraint, and broken as JSON), written by the CLI.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
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
