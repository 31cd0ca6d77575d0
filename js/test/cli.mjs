// Where the Rust CLI is: $IVS_CONFORMANCE, or the workspace's debug build (built once by
// cargo when it is missing), so that every verdict here is compared with the real one.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const JS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO = resolve(JS_DIR, "..");

export function cli() {
  if (process.env.IVS_CONFORMANCE) return process.env.IVS_CONFORMANCE;
  const bin = join(REPO, "target", "debug", process.platform === "win32" ? "ivs-conformance.exe" : "ivs-conformance");
  if (!existsSync(bin)) {
    execFileSync("cargo", ["build", "-q", "-p", "ivs-conformance"], { cwd: REPO, stdio: "inherit" });
  }
  return bin;
}

/** `ivs-conformance validate` on `body`: its JSON verdict. */
export function validateWithCli(body, response = false) {
  const args = ["validate", ...(response ? ["--response"] : []), "-"];
  let out;
  try {
    out = execFileSync(cli(), args, { input: body, maxBuffer: 64 << 20 });
  } catch (e) {
    if (e.status !== 1) throw e;
    out = e.stdout;
  }
  return JSON.parse(out.toString("utf8"));
}
