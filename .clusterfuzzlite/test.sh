#!/usr/bin/env bash
# ClusterFuzzLite's build, run here outside its container: build.sh with SRC, OUT and WORK
# set to temporary folders as the base image sets them (the repository linked in as
# $SRC/ivs-participant-token, the stable toolchain, no sanitizer), then checks what it left
# in $OUT (an executable, a seed corpus zip holding every seed, and a dictionary for each
# fuzz target) and fuzzes each executable for FUZZ_SECONDS (30) from its seed zip, then
# measures the parsing targets against serde_json's (fuzz/ratios.sh). hadolint checks the
# Dockerfile. The container build itself is not run: these machines have no
# container runtime.
#
# Usage (from the repository root): .clusterfuzzlite/test.sh HADOLINT
set -euo pipefail
cd "$(dirname "$0")/.."
hadolint="${1:?usage: .clusterfuzzlite/test.sh HADOLINT}"
seconds="${FUZZ_SECONDS:-30}"
passed=0

"$hadolint" .clusterfuzzlite/Dockerfile
echo "ok   hadolint: .clusterfuzzlite/Dockerfile"
passed=$((passed + 1))

base="$(mktemp -d)"
trap 'rm -rf "$base"' EXIT
export SRC="$base/src" OUT="$base/out" WORK="$base/work"
mkdir -p "$SRC" "$OUT" "$WORK"
ln -s "$PWD" "$SRC/ivs-participant-token"
IVS_CARGO_FUZZ_ARGS="--sanitizer none" bash .clusterfuzzlite/build.sh

targets="$(cd fuzz && cargo fuzz list | grep -v '^baseline_')"
for target in $targets; do
    [ -x "$OUT/$target" ] || { echo "FAIL $target: no executable in \$OUT"; exit 1; }
    [ -s "$OUT/$target.dict" ] || { echo "FAIL $target: no dictionary in \$OUT"; exit 1; }
    seeds="$(find "fuzz/corpus/$target" -maxdepth 1 -type f | wc -l)"
    zipped="$(python3 -c 'import sys, zipfile; print(len(zipfile.ZipFile(sys.argv[1]).namelist()))' \
        "$OUT/${target}_seed_corpus.zip")"
    [ "$seeds" -gt 0 ] && [ "$zipped" = "$seeds" ] \
        || { echo "FAIL $target: $zipped seeds zipped of $seeds"; exit 1; }
done
echo "ok   build.sh: $(echo "$targets" | wc -w) targets in \$OUT, each with its seed corpus zip and dictionary"
passed=$((passed + 1))

# Each executable from its seed zip, new inputs to a scratch folder; a crash fails.
for target in $targets; do
    mkdir -p "$WORK/seeds/$target" "$WORK/new/$target"
    python3 -m zipfile -e "$OUT/${target}_seed_corpus.zip" "$WORK/seeds/$target"
    echo "fuzzing $target for ${seconds}s"
    log="$WORK/$target.log"
    if ! "$OUT/$target" -max_total_time="$seconds" -dict="$OUT/$target.dict" \
        -print_final_stats=1 "$WORK/new/$target" "$WORK/seeds/$target" >"$log" 2>&1; then
        tail -n 60 "$log"
        echo "FAIL fuzz target $target crashed"
        exit 1
    fi
    grep -E '^(stat::(number_of_executed_units|average_exec_per_sec)|#[0-9]+ +DONE)' "$log" || true
    passed=$((passed + 1))
done
# The parsing targets' speed against serde_json's own reading, side by side with the
# same flags, dictionary and seeds (fuzz/ratios.sh; MEASURED.md "Fuzzing"): each at least
# half as fast, best round against best round over three alternating rounds of 10 s.
(cd fuzz && ./ratios.sh "${RATIO_SECONDS:-10}" 3 0.5) || { echo "FAIL fuzz/ratios.sh"; exit 1; }
passed=$((passed + 1))
echo "clusterfuzzlite: $passed passed, 0 failed"
