#!/usr/bin/env bash
# The parsing fuzz targets' speed against serde_json's own reading into a `Value`
# (baseline_serde_json), built beside them with the same flags and run one after the
# other with the same flags, dictionary, seed inputs and random seed, so that the
# machine's speed on the day cancels out of the ratio. Speed is executions per
# CPU-second of the fuzzing process (libFuzzer's own exec/s counts wall time, which a
# busy neighbour stretches). Each pair runs ROUNDS times, alternating; the ratio is the
# target's best rate over the baseline's best (load from elsewhere only ever slows a
# run, so the best round of each side is the one with the least noise in it).
#
# Usage (from fuzz/, after `cargo fuzz build -O --debug-assertions --sanitizer none`):
#   ./ratios.sh [SECONDS] [ROUNDS] [MIN-RATIO]
# Exits 1 when a target's ratio is below MIN-RATIO (default 0.5). TARGETS="parse_request"
# measures only the targets it names.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-10}"
rounds="${2:-3}"
min="${3:-0.5}"
bin=target/x86_64-unknown-linux-gnu/release
# The corpus copies live on tmpfs where there is one: each new unit is a file created,
# and on ext4 creating files among many recently deleted ones costs more than a run of
# either target, a cost borne by the side that finds more new units, not by its parsing.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    scratch="$(mktemp -d -p /dev/shm)"
else
    scratch="$(mktemp -d)"
fi
trap 'rm -rf "$scratch"' EXIT

rate() { # TARGET SEEDS ROUND: executions per CPU-second of TARGET fuzzing from a fresh
    # copy of SEEDS, its mutations drawn from the round's random seed (the same for both
    # sides of a pair). CPU time, not wall time: a neighbour's load stretches a run's wall
    # time, and CI's machines share their cores, while the CPU time an input costs stays.
    local dir="$scratch/$1-$3"
    mkdir -p "$dir"
    cp "$2"/* "$dir"/
    python3 - "$bin/$1" "$3" "$seconds" "$dir" <<'PY'
import re, resource, subprocess, sys
binary, seed, seconds, corpus = sys.argv[1:]
before = resource.getrusage(resource.RUSAGE_CHILDREN)
run = subprocess.run(
    [binary, f"-seed={seed}", f"-max_total_time={seconds}", "-dict=dict/json.dict",
     "-print_final_stats=1", corpus],
    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, errors="replace")
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
units = re.search(r"stat::number_of_executed_units:\s*(\d+)", run.stderr)
print(f"{int(units.group(1)) / cpu:.0f}" if units and cpu > 0 else "0")
PY
}

parse_targets="${TARGETS:-parse_request parse_response differential}"
status=0
for target in $parse_targets; do
    ours_all=()
    theirs_all=()
    for round in $(seq "$rounds"); do
        ours="$(rate "$target" "corpus/$target" "$round")"
        theirs="$(rate baseline_serde_json "corpus/$target" "$round")"
        ours_all+=("$ours")
        theirs_all+=("$theirs")
        echo "$target round $round: $ours exec per CPU-second, serde_json $theirs"
    done
    # The best round of each side: a neighbour's load only ever slows a run, so each
    # side's fastest round is its rate with the least noise in it.
    read -r best_ours best_theirs ratio <<<"$(python3 -c "
import sys
ours = [float(x) for x in sys.argv[1].split()]
theirs = [float(x) for x in sys.argv[2].split()]
print(f'{max(ours):.0f} {max(theirs):.0f} {max(ours) / max(theirs):.2f}')
" "${ours_all[*]}" "${theirs_all[*]}")"
    verdict=ok
    if ! python3 -c "import sys; sys.exit(0 if $ratio >= $min else 1)"; then
        verdict="BELOW $min"
        status=1
    fi
    echo "$target: best $best_ours exec per CPU-second, serde_json's best $best_theirs, ratio $ratio ($verdict)"
done
exit "$status"
