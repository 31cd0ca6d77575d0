#!/usr/bin/env bash
# Load benchmark of the reference server: wrk at 64 connections against a trivial
# endpoint (GET /health) and against CreateParticipantToken, in the same run, with the
# server's resident memory sampled through a longer token run.
#
#   server/benches/load.sh [SECONDS_PER_RUN] [MEMORY_RUN_SECONDS]     (defaults 20 and 60)
#
# Needs wrk (Debian package `wrk`). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-20}"
memsecs="${2:-60}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 2; }
cargo build --release -q -p ivs-conformance
arn="arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234"
port=$((20000 + RANDOM % 20000))
RUST_LOG=warn target/release/ivs-conformance serve --port "$port" --stage "$arn" >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -s "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port"

run() { # name, then wrk arguments
    local name="$1"; shift
    local out
    out="$(wrk -t2 -c64 -d"${secs}s" --latency "$@")"
    local rps p99 non2xx
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
    non2xx="$(awk '/Non-2xx/ {print $5}' <<<"$out")"
    printf '| %s | %s | %s | %s |\n' "$name" "$rps" "$p99" "${non2xx:-0}"
    echo "$rps" > "/tmp/ivs-load-$name"
}

rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }

echo "| endpoint | requests/s | p99 latency | non-2xx |"
echo "| --- | --- | --- | --- |"
run health "$url/health"
run CreateParticipantToken -s server/benches/post.lua "$url/CreateParticipantToken"
ratio="$(awk -v a="$(cat /tmp/ivs-load-CreateParticipantToken)" -v b="$(cat /tmp/ivs-load-health)" 'BEGIN {printf "%.2f", a / b}')"
echo
echo "tokens/s over trivial requests/s: $ratio"

# Memory: RSS before, during and after a longer token run.
wrk -t2 -c64 -d"${memsecs}s" -s server/benches/post.lua "$url/CreateParticipantToken" >/tmp/ivs-load-mem.txt &
wrk_pid=$!
samples=()
for _ in $(seq 2 "$((memsecs / 5))"); do sleep 5; samples+=("$(rss)"); done
wait "$wrk_pid"
first="${samples[0]}"; last="${samples[${#samples[@]}-1]}"
echo "resident memory over ${memsecs}s of load, sampled every 5 s (KiB): ${samples[*]}"
awk -v a="$first" -v b="$last" 'BEGIN {printf "change from the first to the last sample: %+.1f%%\n", (b - a) * 100 / a}'
echo "non-2xx during the memory run: $(awk '/Non-2xx/ {n = $5} END {print n + 0}' /tmp/ivs-load-mem.txt)"
