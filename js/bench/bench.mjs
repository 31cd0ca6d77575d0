// checkRequest and checkRequestBody on the typical request, against ajv compiled from
// `ivs-conformance schema` on the same input, in one run. Prints each time per call and
// the ratios to ajv (ours / ajv).
import { execFileSync } from "node:child_process";
import Ajv2020 from "ajv/dist/2020.js";
import { checkRequest, checkRequestBody } from "../dist/esm/index.js";
import { cli } from "../test/cli.mjs";

const schema = JSON.parse(execFileSync(cli(), ["schema"], { encoding: "utf8" }));
const ajv = new Ajv2020();
const validate = ajv.compile(schema);

// The request of AWS's serverless demo: a stage, a user, attributes, 20160 minutes.
const input = {
  stageArn: "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234",
  userId: "alice",
  attributes: { username: "alice", avatarUrl: "https://example.com/a.png" },
  capabilities: ["PUBLISH", "SUBSCRIBE"],
  duration: 20160,
};
const body = JSON.stringify(input);
const bytes = new TextEncoder().encode(body);

function time(name, f) {
  for (let i = 0; i < 20000; i++) f();
  const rounds = [];
  for (let r = 0; r < 7; r++) {
    const n = 50000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f();
    rounds.push(Number(process.hrtime.bigint() - t0) / n);
  }
  rounds.sort((a, b) => a - b);
  return rounds[3];
}

if (!checkRequest(input).valid || !validate(input)) throw new Error("the typical request must be valid");
const results = {
  "ajv(object)": time("ajv", () => validate(input)),
  "ajv(JSON.parse(body))": time("ajv-body", () => validate(JSON.parse(body))),
  "checkRequest(object)": time("checkRequest", () => checkRequest(input)),
  "checkRequestBody(bytes)": time("checkRequestBody", () => checkRequestBody(bytes)),
};
for (const [name, ns] of Object.entries(results)) console.log(`${name.padEnd(26)} ${ns.toFixed(0).padStart(7)} ns/call`);
console.log(`ratio checkRequest / ajv(object):                ${(results["checkRequest(object)"] / results["ajv(object)"]).toFixed(2)}`);
console.log(`ratio checkRequestBody / ajv(JSON.parse(body)): ${(results["checkRequestBody(bytes)"] / results["ajv(JSON.parse(body))"]).toFixed(2)}`);
