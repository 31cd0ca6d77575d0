#!/bin/bash -eu
# Builds every fuzz target of fuzz/ for ClusterFuzzLite (and OSS-Fuzz), as their runners
# expect: in $OUT, one executable per target, `<target>_seed_corpus.zip` holding that
# target's seeds (fuzz/corpus/<target>/), and `<target>.dict` (fuzz/dict/<target>.dict
# when there is one, else the shared fuzz/dict/json.dict).
#
# In the builder image, $SRC, $OUT and $WORK are set and cargo-fuzz picks the sanitizer
# from $SANITIZER. Outside it (.clusterfuzzlite/test.sh), IVS_CARGO_FUZZ_ARGS passes
# `--sanitizer none` for the stable toolchain.

repo="$SRC/ivs-participant-token"
cd "$repo/fuzz"

# shellcheck disable=SC2086 # the extra arguments are words on purpose
cargo fuzz build -O --debug-assertions ${IVS_CARGO_FUZZ_ARGS:-}

bin_dir="$repo/fuzz/target/x86_64-unknown-linux-gnu/release"
# baseline_* targets are not ours (serde_json's own reading, the yardstick of
# fuzz/ratios.sh): built with the rest, never shipped to the fuzzing service.
for target in $(cargo fuzz list | grep -v '^baseline_'); do
    cp "$bin_dir/$target" "$OUT/$target"
    corpus="$repo/fuzz/corpus/$target"
    seeds=$(find "$corpus" -maxdepth 1 -type f | wc -l)
    if [ "$seeds" -gt 0 ]; then
        rm -f "$OUT/${target}_seed_corpus.zip"
        if command -v zip >/dev/null 2>&1; then
            (cd "$corpus" && zip -q -j "$OUT/${target}_seed_corpus.zip" ./*)
        else
            (cd "$corpus" && python3 -m zipfile -c "$OUT/${target}_seed_corpus.zip" ./*)
        fi
    fi
    dict="$repo/fuzz/dict/$target.dict"
    [ -f "$dict" ] || dict="$repo/fuzz/dict/json.dict"
    cp "$dict" "$OUT/$target.dict"
done
