#!/usr/bin/env bash
# The runner's wheel as a user without Rust gets it: built with maturin, installed into a
# fresh venv, and run with a PATH that has no cargo or rustc. Checks `--version`, the
# suite against the embedded reference server (`run`), and `serve` answering README's
# curl example as written (its endpoint's port aside). Prints the wheel's size.
#
# Usage (from the repository root): runner-wheel/test.sh MATURIN
set -euo pipefail
cd "$(dirname "$0")/.."
maturin="$(realpath "$(command -v "${1:?usage: runner-wheel/test.sh MATURIN}")")"

out=target/runner-wheels
rm -rf "$out" target/runner-wheel-venv
(cd runner-wheel && "$maturin" build --release --quiet -o "../$out")
wheel="$(ls "$out"/ivs_conformance-*.whl)"
echo "wheel: $(basename "$wheel"), $(stat -c %s "$wheel") bytes"

python3 -m venv target/runner-wheel-venv
target/runner-wheel-venv/bin/pip install --quiet --disable-pip-version-check "$wheel"
venv_bin="$(realpath target/runner-wheel-venv/bin)"

# No Rust on this PATH: only the venv and the system's own directories.
clean_path="$venv_bin:/usr/bin:/bin"
for tool in cargo rustc; do
    if PATH="$clean_path" command -v "$tool" >/dev/null 2>&1; then
        echo "FAIL: $tool is on the clean PATH"
        exit 1
    fi
done
[ "$(PATH="$clean_path" command -v ivs-conformance)" = "$venv_bin/ivs-conformance" ] || {
    echo "FAIL: ivs-conformance is not the venv's"
    exit 1
}

# The wheel carries the project's license text, as installed.
target/runner-wheel-venv/bin/python - LICENSE <<'PY'
import importlib.metadata, sys
dist = importlib.metadata.distribution("ivs-conformance")
licenses = [f for f in dist.files or [] if f.name == "LICENSE"]
assert licenses, f"no LICENSE among {dist.files}"
assert licenses[0].read_text() == open(sys.argv[1]).read(), "the wheel's LICENSE is not the project's"
assert dist.metadata["License-Expression"] == "Apache-2.0", dist.metadata["License-Expression"]
print(f"license: {licenses[0]}")
PY

version="$(PATH="$clean_path" ivs-conformance --version)"
case "$version" in
    "ivs-conformance 0.1.0"*) echo "version: ${version%%$'\n'*}" ;;
    *) echo "FAIL: --version printed: $version"; exit 1 ;;
esac

# README's first use as written (the suite against the embedded reference server), from
# a directory with no cases in it: the wheel's executable carries them.
first_use="$(awk '/^<!-- runs: runner-wheel\/test.sh/{getline; inside=1; next} inside && /^```/{exit} inside' runner-wheel/README.md)"
[ "$first_use" = "ivs-conformance run" ] || { echo "FAIL: README's first use is: $first_use"; exit 1; }
summary="$(cd /tmp && PATH="$clean_path" bash -c "$first_use" | tail -n 1)"
echo "run: $summary"
case "$summary" in
    *" passed, 0 failed"*) ;;
    *) echo "FAIL: run did not pass"; exit 1 ;;
esac

# serve, and README's curl snippet as written, on the port serve chose.
log="$(mktemp)"
PATH="$clean_path" ivs-conformance serve --port 0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 50); do
    grep -q '^Ready' "$log" && break
    sleep 0.1
done
url="$(sed -n 's/^listening on //p' "$log")"
[ -n "$url" ] || { echo "FAIL: serve did not start:"; cat "$log"; exit 1; }
snippet="$(awk '/<!-- snippet: curl -->/{on=1; next} on && /^```sh/{next} on && /^```/{exit} on' README.md)"
[ -n "$snippet" ] || { echo "FAIL: README has no curl snippet"; exit 1; }
answer="$(PATH="$clean_path" bash -c "${snippet//http:\/\/localhost:4566/$url}")"
case "$answer" in
    *'"participantToken"'*'"token"'*) echo "serve: README's curl example got a participant token" ;;
    *) echo "FAIL: curl got: $answer"; exit 1 ;;
esac
echo "runner wheel: 3 passed, 0 failed"
