// Builds the ESM and the CommonJS forms of the package with the TypeScript compiler: one
// source, two outputs, the CommonJS one marked as such by its own package.json. Works with
// TypeScript 5 and 7: the compiler is found by its package's `bin` (TypeScript 7 exports
// no `typescript/bin/tsc`), and both forms use NodeNext resolution (7 has no `node10`).
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
// IVS_TYPESCRIPT: another TypeScript package folder to build with (the tests build with
// the newest too).
const manifest = process.env.IVS_TYPESCRIPT
  ? join(process.env.IVS_TYPESCRIPT, "package.json")
  : require.resolve("typescript/package.json");
const tsc = join(dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin.tsc);
const compile = (project) => execFileSync(process.execPath, [tsc, "-p", project], { stdio: "inherit" });

rmSync("dist", { recursive: true, force: true });
rmSync("build", { recursive: true, force: true });
compile("tsconfig.json");
// NodeNext emits CommonJS for sources whose nearest package.json says so: the same
// sources, copied under one that does.
cpSync("src", "build/cjs", { recursive: true });
writeFileSync("build/cjs/package.json", '{ "type": "commonjs" }\n');
try {
  compile("tsconfig.cjs.json");
} finally {
  rmSync("build", { recursive: true, force: true });
}
mkdirSync("dist/cjs", { recursive: true });
writeFileSync("dist/cjs/package.json", '{ "type": "commonjs" }\n');
