#!/usr/bin/env bash
# The GitHub Action's one script (action.yml calls it; everything the action does lives
# here). Runs the conformance suite against a server and writes the reports and counts.
# It takes its inputs from the environment, so it runs the same in any CI:
#
#   IVS_ENDPOINT           required  the server's base URL (http://127.0.0.1:8080)
#   IVS_STAGE_ARN          required  a stage that exists on that server
#   IVS_UNKNOWN_STAGE_ARN            an ARN of no stage (enables the stage-not-found case)
#   IVS_LEVEL                        must, should or may (the weakest level run; may: all)
#   IVS_SIGN                         true: sign with SigV4 (credentials from AWS_* variables)
#   IVS_REGION                       the SigV4 region (us-west-2)
#   IVS_TIMEOUT                      seconds to wait for one answer (10)
#   IVS_EXPECTED_FAILURES            a file of case ids known to fail
#   IVS_FORMATS                      reports besides JSON, comma-separated: junit, html, badge
#   IVS_REPORT_DIR         required  an absolute directory for the reports
#
# Writes IVS_REPORT_DIR/ivs-conformance.{json,xml,html,badge.json}; when GITHUB_OUTPUT is
# set, the outputs passed, failed, failed-must, expected, skipped, stale, causes and
# report-dir; when GITHUB_STEP_SUMMARY is set, the counts and the causes, largest first,
# as the job's summary; and one ::error annotation for each cause (at most 10). Exits as
# the runner does: 0 when no MUST case failed (and, with expected failures, none is stale),
# 1 when one did, 2 for anything that kept the suite from running.
set -euo pipefail

fail() {
    echo "ivs-conformance action: $*" >&2
    exit 2
}

require() { # NAME INPUT WHAT
    [ -n "${!1:-}" ] || fail "$1 (input '$2') is empty: it must be $3"
}
require IVS_ENDPOINT endpoint "the base URL of the server under test, such as http://127.0.0.1:8080"
require IVS_STAGE_ARN stage-arn "the ARN of a stage that exists on that server"
require IVS_REPORT_DIR report-dir "a directory for the reports"
# A line break in a value written to $GITHUB_OUTPUT would start an output of its own
# (failed-must=0 after the real counts, say): refused, as any such output value is.
case "$IVS_REPORT_DIR" in
    *$'\n'* | *$'\r'*) fail "IVS_REPORT_DIR (input 'report-dir') holds a line break: give a directory name without one" ;;
    /*) ;;
    *) fail "IVS_REPORT_DIR (input 'report-dir') is '$IVS_REPORT_DIR', a relative path: give an absolute one (the action prefixes the workspace)" ;;
esac
command -v ivs-conformance >/dev/null 2>&1 \
    || fail "ivs-conformance is not on PATH: install it first (pipx install ivs-conformance)"

args=(run --endpoint "$IVS_ENDPOINT" --stage-arn "$IVS_STAGE_ARN")
level="${IVS_LEVEL:-may}"
case "$level" in
    must | should | may) args+=(--level "$level") ;;
    *) fail "IVS_LEVEL (input 'level') is '$level': it must be must, should or may" ;;
esac
[ -z "${IVS_UNKNOWN_STAGE_ARN:-}" ] || args+=(--unknown-stage-arn "$IVS_UNKNOWN_STAGE_ARN")
case "${IVS_SIGN:-false}" in
    true) args+=(--sign --region "${IVS_REGION:-us-west-2}") ;;
    false | "") ;;
    *) fail "IVS_SIGN (input 'sign') is '$IVS_SIGN': it must be true or false" ;;
esac
[ -z "${IVS_TIMEOUT:-}" ] || args+=(--timeout "$IVS_TIMEOUT")
if [ -n "${IVS_EXPECTED_FAILURES:-}" ]; then
    [ -f "$IVS_EXPECTED_FAILURES" ] \
        || fail "IVS_EXPECTED_FAILURES (input 'expected-failures') names no file: $IVS_EXPECTED_FAILURES"
    args+=(--expected-failures "$IVS_EXPECTED_FAILURES")
fi

mkdir -p "$IVS_REPORT_DIR" || fail "cannot make the report directory $IVS_REPORT_DIR"
json="$IVS_REPORT_DIR/ivs-conformance.json"
args+=(--report "json=$json")
IFS=',' read -r -a formats <<<"${IVS_FORMATS:-}"
for format in "${formats[@]}"; do
    format="${format// /}"
    case "$format" in
        "") ;;
        junit) args+=(--report "junit=$IVS_REPORT_DIR/ivs-conformance.xml") ;;
        html) args+=(--report "html=$IVS_REPORT_DIR/ivs-conformance.html") ;;
        badge) args+=(--report "badge=$IVS_REPORT_DIR/ivs-conformance.badge.json") ;;
        json) ;; # always written
        *) fail "IVS_FORMATS (input 'formats') has '$format': the formats are junit, html, badge and json" ;;
    esac
done

status=0
ivs-conformance "${args[@]}" || status=$?
if [ "$status" -ge 2 ] || [ ! -s "$json" ]; then
    echo "ivs-conformance action: the suite did not run (exit $status); see the message above" >&2
    exit 2
fi

# The counts, from the JSON report, as outputs (and a line in the log); the causes as
# annotations and, with the counts, as the job's summary. Everything from the report is
# escaped where it lands: workflow-command syntax in annotations, Markdown and HTML in
# the summary.
counts="$(python3 - "$json" "$IVS_REPORT_DIR/annotations" <<'PY'
import json, os, sys
r = json.load(open(sys.argv[1]))
causes = r.get("causes", [])
for key, name in [("passed", "passed"), ("failed", "failed"), ("failedMust", "failed-must"),
                  ("expectedFailures", "expected"), ("skipped", "skipped"), ("stale", "stale")]:
    print(f"{name}={int(r[key])}")
print(f"causes={len(causes)}")

def plain(text, limit=300):
    # One line of printable text, cut.
    text = "".join(c if c.isprintable() else " " for c in str(text))
    return text if len(text) <= limit else text[:limit] + "…"

def command_data(text):
    return plain(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

def command_property(text):
    return command_data(text).replace(":", "%3A").replace(",", "%2C")

def markdown(text):
    text = plain(text)
    for a, b in [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "&#124;"),
                 ("`", "&#96;"), ("*", "&#42;"), ("_", "&#95;"), ("[", "&#91;"),
                 ("]", "&#93;"), ("\\", "&#92;"), ("#", "&#35;"), ("@", "&#64;"),
                 (":", "&#58;"), ("~", "&#126;")]:
        text = text.replace(a, b)
    return text

with open(sys.argv[2], "w") as out:
    for g in causes[:10]:
        title = f"{g['cases']} cases ({g['must']} MUST), e.g. {g['example']}"
        hint = f" The table asks: {g['hint']}" if g.get("hint") else ""
        out.write(f"::error title={command_property(title)}::{command_data(g['key'] + '.' + hint)}\n")

summary = os.environ.get("GITHUB_STEP_SUMMARY")
if summary:
    with open(summary, "a") as out:
        out.write("## IVS conformance\n\n")
        out.write("| passed | failed | failed MUST | expected to fail | stale | skipped |\n")
        out.write("| ---: | ---: | ---: | ---: | ---: | ---: |\n")
        out.write("| " + " | ".join(str(int(r[k])) for k in
                  ["passed", "failed", "failedMust", "expectedFailures", "stale", "skipped"]) + " |\n\n")
        if causes:
            out.write("### Causes, largest first: fix the first one first\n\n")
            out.write("| cases | MUST | cause | what the table asks | e.g. |\n| ---: | ---: | --- | --- | --- |\n")
            for g in causes:
                out.write(f"| {int(g['cases'])} | {int(g['must'])} | {markdown(g['key'])} | "
                          f"{markdown(g.get('hint') or '')} | {markdown(g['example'])} |\n")
            out.write("\n")
PY
)" || fail "cannot read the JSON report $json or write the job summary"
echo "$counts" | tr '\n' ' '
echo
# Annotations are workflow commands: they go to standard output, one a line.
cat "$IVS_REPORT_DIR/annotations"
rm -f "$IVS_REPORT_DIR/annotations"
output() { # NAME VALUE: one line of $GITHUB_OUTPUT, refused if VALUE would make more
    case "$2" in
        *$'\n'* | *$'\r'*) fail "the output $1 would hold a line break" ;;
    esac
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
}
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    while IFS='=' read -r name value; do
        output "$name" "$value"
    done <<<"$counts"
    output report-dir "$IVS_REPORT_DIR"
fi
exit "$status"
