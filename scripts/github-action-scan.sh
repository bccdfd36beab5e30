#!/usr/bin/env bash
# The scan step of keygate's GitHub Action (action.yml). Every input arrives
# as an environment variable, never interpolated into this script, so a
# crafted branch name or input cannot inject shell.
#
# Writes the job summary ($GITHUB_STEP_SUMMARY), the outputs status and
# findings ($GITHUB_OUTPUT), the SARIF file and the JSON report. Exits 0 on
# pass or findings (the action decides with fail-on-findings), and with
# keygate's code 2 when the scan could not run.
set -uo pipefail

bin="${KEYGATE_BIN:?KEYGATE_BIN must name the keygate binary}"
mode="${INPUT_MODE:-pr}"
sarif="${INPUT_SARIF_FILE:-keygate.sarif}"
tmp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
report="$tmp/keygate-latest.json"
summary="$tmp/keygate-summary.md"

args=()
case "$mode" in
  pr)
    base="${KEYGATE_BASE_SHA:-}"
    head="${KEYGATE_HEAD_SHA:-}"
    if [ -z "$base" ] || [ -z "$head" ]; then
      echo "::error::keygate mode 'pr' needs a pull_request event (base and head commits); use mode 'paths' or 'history' elsewhere"
      echo "status=error" >> "${GITHUB_OUTPUT:-/dev/null}"
      exit 2
    fi
    args+=(--history --range "$base..$head")
    ;;
  history) args+=(--history) ;;
  paths)
    if [ "${INPUT_INCLUDE_LOGS:-false}" = "true" ]; then args+=(--include-logs); fi
    ;;
  *)
    echo "::error::unknown keygate mode '$mode': use pr, paths or history"
    echo "status=error" >> "${GITHUB_OUTPUT:-/dev/null}"
    exit 2
    ;;
esac

# Extra arguments are split on whitespace, never evaluated.
extra=()
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<< "$INPUT_ARGS"
fi

"$bin" scan "${args[@]}" "${extra[@]}" --report "$report" --sarif "$sarif" --format markdown > "$summary"
code=$?

cat "$summary" >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
case "$code" in
  0) status=pass ;;
  1) status=fail ;;
  *) status=error ;;
esac
findings=0
if [ -f "$report" ]; then
  findings=$(grep -c '"rule_id":' "$report" || true)
fi
{
  echo "status=$status"
  echo "findings=${findings:-0}"
} >> "${GITHUB_OUTPUT:-/dev/null}"

if [ "$code" -ge 2 ]; then
  echo "::error::keygate could not complete the scan (exit $code); see the log above"
  exit "$code"
fi
exit 0
