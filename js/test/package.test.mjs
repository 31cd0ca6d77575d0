// Packaging as Node users expect: the `npm pack` tarball installs into a fresh directory
// where `import` and `require` both work and TypeScript type-checks a user file against
// it; publint and @arethetypeswrong/cli pass; the README's example runs as written.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { JS_DIR } from "./cli.mjs";

const require = createRequire(import.meta.url);
const node = (args, cwd) => execFileSync(process.execPath, args, { cwd, encoding: "utf8" });

test("the packed tarball installs, imports, requires and type-checks", () => {
  const dir = mkdtempSync(join(tmpdir(), "ivs-pt-"));
  try {
    const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: JS_DIR, encoding: "utf8" }));
    const tarball = join(dir, packed[0].filename);
    const app = join(dir, "app");
    execFileSync("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", tarball], { cwd: app, stdio: "pipe" });
    writeFileSync(join(app, "esm.mjs"), 'import { checkRequestBody } from "ivs-participant-token";\nconsole.log(checkRequestBody("{}").error);\n');
    writeFileSync(join(app, "cjs.cjs"), 'const { checkRequestBody } = require("ivs-participant-token");\nconsole.log(checkRequestBody("{}").error);\n');
    assert.equal(node(["esm.mjs"], app).trim(), "ValidationException");
    assert.equal(node(["cjs.cjs"], app).trim(), "ValidationException");
    writeFileSync(
      join(app, "user.ts"),
      [
        'import { checkRequest, validateBeforeSend, requestSchema, type Verdict } from "ivs-participant-token";',
        'const v: Verdict = checkRequest({ stageArn: "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234" });',
        "const ok: boolean = v.valid;",
        "const plugin = validateBeforeSend({ checkResponses: true });",
        'const vendor: string = requestSchema["~standard"].vendor;',
        "// @ts-expect-error duration is a number",
        'checkRequest({ stageArn: "x", duration: "7" });',
        "export { ok, plugin, vendor };",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, lib: ["ES2022"], types: [] }, files: ["user.ts"] }),
    );
    node([require.resolve("typescript/bin/tsc"), "-p", app], app);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("publint and @arethetypeswrong/cli pass", () => {
  node([join(JS_DIR, "node_modules", "publint", "src", "cli.js"), "--strict"], JS_DIR);
  const attw = join(JS_DIR, "node_modules", "@arethetypeswrong", "cli", "dist", "index.js");
  node([attw, "--pack", ".", "--format", "ascii"], JS_DIR);
});

test("the README's example runs as written", () => {
  const readme = readFileSync(join(JS_DIR, "README.md"), "utf8");
  const block = /```js\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, "the README has a js example");
  const file = join(JS_DIR, "test", ".readme-example.mjs");
  writeFileSync(file, block[1]);
  try {
    const out = node([file], JS_DIR);
    assert.match(out, /InvalidRequest \[ '\/duration', '\/capabilities\/0' \]/);
  } finally {
    rmSync(file, { force: true });
  }
});
