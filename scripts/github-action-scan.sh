#!/usr/bin/env bash
# The scan step of keygate's GitHub Action (action.yml). Every input arrives
# as an environment variable, never interpolated into this script, so a
# crafted branch name or input cannot inject shell.
#
# What is scanned follows the event (mode auto):
#   pull_request    what the PR adds: --history --range BASE..HEAD
#   push            the pushed commits: --history --range BEFORE..AFTER; a
#                   new branch (all-zero BEFORE) from the default branch on,
#                   or its whole history when there is none to compare with
#   schedule, workflow_dispatch and others: the whole history (mode history)
#                   or the configured scopes (mode paths)
#
# Writes annotations (workflow commands, at most 50, masked values only),
# the job summary ($GITHUB_STEP_SUMMARY), the outputs ($GITHUB_OUTPUT:
# status, findings, report, sarif, upload-sarif), the SARIF file and the
# JSON report. Exits 0 on pass or findings (the action decides with
# fail-on-findings), and 2 when the scan could not run.
set -uo pipefail

bin="${KEYGATE_BIN:?KEYGATE_BIN must name the keygate binary}"
event="${GITHUB_EVENT_NAME:-}"
mode="${INPUT_MODE:-auto}"
sarif="${INPUT_SARIF_FILE:-keygate.sarif}"
tmp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
out="${GITHUB_OUTPUT:-/dev/null}"
report="$tmp/keygate/latest.json"
summary="$tmp/keygate/summary.md"
zero=0000000000000000000000000000000000000000
mkdir -p "$tmp/keygate"

# stop ends the step as an error: the scan could not run.
stop() {
  echo "::error title=keygate::$*"
  echo "status=error" >> "$out"
  exit 2
}

# needs_history fails with the fix when the checkout is shallow: the commits
# to scan (and the base to compare with) are not there.
needs_history() {
  if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
    stop "keygate mode '$mode' reads git history, but this checkout is shallow: set 'fetch-depth: 0' on actions/checkout"
  fi
}

# have COMMIT: the commit is in this clone.
have() { git cat-file -e "$1^{commit}" 2>/dev/null; }

if [ "$mode" = auto ]; then
  case "$event" in
    pull_request | pull_request_target) mode="pr" ;;
    push) mode="push" ;;
    *) mode="history" ;;
  esac
fi

args=()
case "$mode" in
  pr)
    base="${KEYGATE_BASE_SHA:-}"
    head="${KEYGATE_HEAD_SHA:-}"
    if [ -z "$base" ] || [ -z "$head" ]; then
      stop "keygate mode 'pr' needs a pull_request event (base and head commits); use mode auto, push, paths or history elsewhere"
    fi
    needs_history
    have "$base" || stop "the pull request's base commit $base is not in this clone: set 'fetch-depth: 0' on actions/checkout"
    args+=(--history --range "$base..$head")
    ;;
  push)
    after="${KEYGATE_AFTER_SHA:-${GITHUB_SHA:-}}"
    before="${KEYGATE_BEFORE_SHA:-}"
    if [ -z "$after" ] || [ "$after" = "$zero" ]; then
      echo "::notice title=keygate::the push deleted a branch: nothing to scan"
      {
        echo "status=pass"
        echo "findings=0"
      } >> "$out"
      exit 0
    fi
    needs_history
    if [ -n "$before" ] && [ "$before" != "$zero" ] && have "$before"; then
      args+=(--history --range "$before..$after")
    else
      # A new branch, or a force-push whose old tip is gone: scan what the
      # branch holds beyond the default branch, or all of it.
      default="${KEYGATE_DEFAULT_BRANCH:-}"
      if [ -n "$default" ] && have "refs/remotes/origin/$default" && [ "${GITHUB_REF:-}" != "refs/heads/$default" ]; then
        echo "::notice title=keygate::new branch: scanning the commits not on $default"
        args+=(--history --range "refs/remotes/origin/$default..$after")
      else
        echo "::notice title=keygate::no earlier commit to compare with: scanning the whole history"
        args+=(--history)
      fi
    fi
    ;;
  history)
    needs_history
    args+=(--history)
    ;;
  paths)
    if [ "${INPUT_INCLUDE_LOGS:-false}" = "true" ]; then args+=(--include-logs); fi
    ;;
  *)
    stop "unknown keygate mode '$mode': use auto, pr, push, paths or history"
    ;;
esac
if [ -n "${INPUT_FAIL_ON:-}" ]; then args+=(--fail-on "$INPUT_FAIL_ON"); fi
# A range is judged by its base's policy; a maintainer's accept-policy-changes
# (from a trusted context, such as a label) lets the range's own policy apply.
if [ "${INPUT_ACCEPT_POLICY_CHANGES:-false}" = "true" ]; then
  case " ${args[*]} " in
    *" --range "*)
      echo "::notice title=keygate::accept-policy-changes: the range's own suppressions are accepted and listed"
      args+=(--accept-policy-changes)
      ;;
    *) echo "::notice title=keygate::accept-policy-changes applies to pull request and push ranges only: ignored" ;;
  esac
fi

# Extra arguments are split on whitespace, never evaluated.
extra=()
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<< "$INPUT_ARGS"
fi

# An earlier step's SARIF file at the same path must not be uploaded as
# this scan's when the scan fails before writing one.
rm -f "$report" "$summary" "$sarif"
# stdout is workflow commands (annotations) and the summary line.
"$bin" scan "${args[@]}" "${extra[@]}" --report "$report" --sarif "$sarif" --summary "$summary" --format github --no-color
code=$?

if [ -f "$summary" ]; then cat "$summary" >> "${GITHUB_STEP_SUMMARY:-/dev/null}"; fi
case "$code" in
  0) status=pass ;;
  1) status=fail ;;
  *) status=error ;;
esac
findings=0
if [ -f "$report" ]; then
  # The summary's count: suppressed findings and rule overrides also
  # name a rule_id, and they are not findings.
  findings=$(grep -m1 -o '"findings": [0-9]*' "$report" | grep -o '[0-9]*$' || true)
fi

# Code scanning refuses a fork pull request's upload (its token is
# read-only): skip it there; elsewhere the upload step is non-fatal (a
# private repository without code scanning).
upload="${INPUT_UPLOAD_SARIF:-true}"
if [ "$upload" = true ] && [ "$mode" = pr ] && [ -n "${KEYGATE_PR_HEAD_REPO:-}" ] && [ "${KEYGATE_PR_HEAD_REPO}" != "${GITHUB_REPOSITORY:-}" ]; then
  echo "::notice title=keygate::pull request from a fork: SARIF is not uploaded to code scanning (read-only token); see the annotations, the job summary and the artifact"
  upload=false
fi
if [ ! -f "$sarif" ]; then upload=false; fi
{
  echo "status=$status"
  echo "findings=${findings:-0}"
  if [ -f "$report" ]; then echo "report=$report"; fi
  if [ -f "$sarif" ]; then echo "sarif=$sarif"; fi
  echo "upload-sarif=$upload"
} >> "$out"

if [ "$code" -ge 2 ]; then
  echo "::error title=keygate::keygate could not complete the scan (exit $code); see the log above"
  exit "$code"
fi
exit 0
