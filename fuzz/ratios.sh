#!/usr/bin/env bash
# The parsing fuzz targets' speed against serde_json's own reading into a `Value`
# (baseline_serde_json), built beside them with the same flags and run one after the
# other with the same flags, dictionary, seed inputs and random seed, so that the machine's speed on the day
# cancels out of the ratio. Each pair runs ROUNDS times, alternating; the ratio of each
# round is the target's exec/s over the baseline's, and the median is reported.
#
# Usage (from fuzz/, after `cargo fuzz build -O --debug-assertions --sanitizer none`):
#   ./ratios.sh [SECONDS] [ROUNDS] [MIN-RATIO]
# Exits 1 when a target's median ratio is below MIN-RATIO (default 0.5).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-10}"
rounds="${2:-3}"
min="${3:-0.5}"
bin=target/x86_64-unknown-linux-gnu/release
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

rate() { # TARGET SEEDS ROUND: exec/s of TARGET fuzzing from a fresh copy of SEEDS, its
    # mutations drawn from the round's random seed (the same for both sides of a pair)
    local dir="$scratch/$1-$3"
    mkdir -p "$dir"
    cp "$2"/* "$dir"/
    "$bin/$1" -seed="$3" -max_total_time="$seconds" -dict=dict/json.dict -print_final_stats=1 \
        "$dir" 2>&1 | sed -n 's/^stat::average_exec_per_sec: *//p'
}

status=0
for target in parse_request parse_response differential; do
    ratios=()
    for round in $(seq "$rounds"); do
        ours="$(rate "$target" "corpus/$target" "$round")"
        theirs="$(rate baseline_serde_json "corpus/$target" "$round")"
        ratios+=("$(python3 -c "print(f'{$ours / $theirs:.2f}')")")
        echo "$target round $round: $ours exec/s, serde_json $theirs exec/s"
    done
    median="$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(((rounds + 1) / 2))p")"
    verdict=ok
    if python3 -c "import sys; sys.exit(0 if $median >= $min else 1)"; then :; else
        verdict="BELOW $min"
        status=1
    fi
    echo "$target: ratio ${ratios[*]}, median $median ($verdict)"
done
exit "$status"
