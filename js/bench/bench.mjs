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

// A typical request: a stage, a user, two attributes, both capabilities, and the
// 20160-minute duration of AWS's serverless demo.
const input = {
  stageArn: "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234",
  userId: "alice",
  attributes: { username: "alice", avatarUrl: "https://example.com/a.png" },
  capabilities: ["PUBLISH", "SUBSCRIBE"],
  duration: 20160,
};
const body = JSON.stringify(input);
const bytes = new TextEncoder().encode(body);

// Each round times every subject for the same number of calls, one after the other, so
// that the ratios of a round share the machine's load; the medians over rounds are shown.
function measure(subjects, rounds = 21, calls = 20000) {
  for (const f of Object.values(subjects)) for (let i = 0; i < calls; i++) f();
  const times = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [k, f] of Object.entries(subjects)) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) f();
      times[k].push(Number(process.hrtime.bigint() - t0) / calls);
    }
  }
  return times;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

if (!checkRequest(input).valid || !validate(input)) throw new Error("the typical request must be valid");
const times = measure({
  "ajv(object)": () => validate(input),
  "ajv(JSON.parse(body))": () => validate(JSON.parse(body)),
  "checkRequest(object)": () => checkRequest(input),
  "checkRequestBody(bytes)": () => checkRequestBody(bytes),
});
for (const [name, xs] of Object.entries(times)) console.log(`${name.padEnd(26)} ${median(xs).toFixed(0).padStart(7)} ns/call`);
const ratio = (a, b) => median(times[a].map((x, i) => x / times[b][i]));
console.log(`ratio checkRequest / ajv(object):                ${ratio("checkRequest(object)", "ajv(object)").toFixed(2)}`);
console.log(`ratio checkRequestBody / ajv(JSON.parse(body)): ${ratio("checkRequestBody(bytes)", "ajv(JSON.parse(body))").toFixed(2)}`);
