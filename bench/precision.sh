#!/usr/bin/env bash
# keygate's precision comparison (bench/PRECISION.md): keygate and gitleaks
# v8.30.1 on the same working trees (or histories), findings counted by rule.
#
#   bench/precision.sh /tmp/prec/freqtrade /tmp/prec/go-redis ...
#   KEYGATE=/tmp/kg GITLEAKS=/tmp/glbin/gitleaks OUT=/tmp/prec-out bench/precision.sh DIR...
#   HISTORY=1 bench/precision.sh DIR...   # keygate scan --history vs gitleaks git
#
# Each DIR is a checked-out tree (a clone; its HEAD commit is printed). The
# raw reports stay in $OUT (kg-NAME.json, gl-NAME.json, NAME = the DIR's base
# name) for reading and classifying each finding; they hold gitleaks'
# unmasked secrets, so keep them out of the repository. Prints, per DIR, the
# commit and both tools' counts by rule. Needs jq.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: bench/precision.sh DIR..." >&2; exit 2; }
dirs=()
for dir in "$@"; do
  [ -d "$dir" ] || { echo "precision: $dir: not a directory" >&2; exit 2; }
  dirs+=("$(cd "$dir" && pwd)")
done
cd "$(dirname "$0")/.."
command -v jq >/dev/null || { echo "precision: jq is required" >&2; exit 2; }

OUT=${OUT:-$(mktemp -d /tmp/keygate-precision.XXXXXX)}
mkdir -p "$OUT"
KG=${KEYGATE:-}
KG_COMMIT="given binary"
if [ -z "$KG" ]; then
  go build -o "$OUT/keygate" ./cmd/keygate
  KG="$OUT/keygate"
  KG_COMMIT="commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' with local changes')"
fi
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_gitleaks "$OUT"
# go install leaves gitleaks' version string unset; it is the one installed.
echo "precision: keygate ($KG_COMMIT), gitleaks ${GITLEAKS_VERSION:-$GITLEAKS_PIN}; reports in $OUT"

for dir in "${dirs[@]}"; do
  name=$(basename "$dir")
  commit=$(git -C "$dir" rev-parse HEAD 2>/dev/null || echo "not a git tree")
  # keygate exits 1 on findings; 2 is an error worth stopping for.
  rc=0
  if [ -n "${HISTORY:-}" ]; then
    (cd "$dir" && "$KG" scan --history --no-env-file --format json --report "$OUT/kg-$name.latest.json") >"$OUT/kg-$name.json" || rc=$?
  else
    (cd "$OUT" && "$KG" scan "$dir" --no-env-file --format json --report "$OUT/kg-$name.latest.json") >"$OUT/kg-$name.json" || rc=$?
  fi
  [ "$rc" -le 1 ] || { echo "precision: keygate failed on $dir (exit $rc)" >&2; exit 2; }
  if [ -n "${HISTORY:-}" ]; then
    "$GL" git "$dir" --report-format json --report-path "$OUT/gl-$name.json" --exit-code 0 --no-banner --log-level error
  else
    "$GL" dir "$dir" --report-format json --report-path "$OUT/gl-$name.json" --exit-code 0 --no-banner --log-level error
  fi
  echo
  echo "## $name ($commit)"
  echo "keygate: $(jq '.findings | length' "$OUT/kg-$name.json") findings"
  jq -r '.findings | group_by(.rule_id)[] | "  \(.[0].rule_id) \(length)"' "$OUT/kg-$name.json"
  echo "gitleaks: $(jq 'length' "$OUT/gl-$name.json") findings"
  jq -r 'group_by(.RuleID)[] | "  \(.[0].RuleID) \(length)"' "$OUT/gl-$name.json"
done
