#!/usr/bin/env bash
# keygate's precision comparison (bench/PRECISION.md): keygate and gitleaks
# v8.30.1 on the same working trees (or histories), findings counted by rule.
#
#   bench/precision.sh /tmp/prec/freqtrade /tmp/prec/go-redis ...
#   KEYGATE=/tmp/kg GITLEAKS=/tmp/glbin/gitleaks OUT=/tmp/prec-out bench/precision.sh DIR...
#   HISTORY=1 bench/precision.sh DIR...   # keygate scan --history vs gitleaks git
#   BEFORE=/tmp/kg-old NO_GITLEAKS=1 bench/precision.sh DIR...   # two keygate builds
#
# Each DIR is a checked-out tree (a clone; its HEAD commit is printed). The
# raw reports stay in $OUT (kg-NAME.json, gl-NAME.json, NAME = the DIR's base
# name) for reading and classifying each finding; they hold gitleaks'
# unmasked secrets, so keep them out of the repository. Prints, per DIR, the
# commit and both tools' counts by rule. With BEFORE (another keygate
# binary) it also scans with that build (kg0-NAME.json) and prints each
# finding only one build reports ("-" before only, "+" this build only),
# keyed by rule, path, line and masked value, the way bench/PRECISION.md
# compares builds; NO_GITLEAKS=1 leaves gitleaks out. Needs jq.
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
GL=
[ -n "${NO_GITLEAKS:-}" ] || bench_gitleaks "$OUT"
# go install leaves gitleaks' version string unset; it is the one installed.
echo "precision: keygate ($KG_COMMIT)${BEFORE:+ against $BEFORE}, gitleaks ${GL:+${GITLEAKS_VERSION:-$GITLEAKS_PIN}}${GL:-left out}; reports in $OUT"

# kgscan BIN DIR REPORT runs one keygate build on DIR's tree or history.
kgscan() {
  local rc=0
  if [ -n "${HISTORY:-}" ]; then
    (cd "$2" && "$1" scan --history --no-env-file --format json --report "$3.latest.json") >"$3" || rc=$?
  else
    (cd "$OUT" && "$1" scan "$2" --no-env-file --format json --report "$3.latest.json") >"$3" || rc=$?
  fi
  # keygate exits 1 on findings; 2 is an error worth stopping for, except
  # that a snapshot missing blobs exits 2 after scanning the rest (the
  # report names the scan's error; both builds read the same blobs).
  if [ "$rc" -gt 1 ] && ! jq -e '.findings' "$3" >/dev/null 2>&1; then
    echo "precision: keygate $1 failed on $2 (exit $rc)" >&2
    exit 2
  fi
  [ "$rc" -le 1 ] || echo "precision: keygate $1 exited $rc on $2 (see its stderr above); its findings are compared as they are" >&2
}

# keys REPORT DIR prints one line per finding: rule, path (relative to
# DIR), line, masked value.
keys() {
  jq -r --arg d "$2/" '.findings[] | [.rule_id, (.path | ltrimstr($d)), .line, .secret_masked] | @tsv' "$1" | LC_ALL=C sort
}

for dir in "${dirs[@]}"; do
  name=$(basename "$dir")
  commit=$(git -C "$dir" rev-parse HEAD 2>/dev/null || echo "not a git tree")
  kgscan "$KG" "$dir" "$OUT/kg-$name.json"
  [ -z "${BEFORE:-}" ] || kgscan "$BEFORE" "$dir" "$OUT/kg0-$name.json"
  if [ -n "$GL" ] && [ -n "${HISTORY:-}" ]; then
    "$GL" git "$dir" --report-format json --report-path "$OUT/gl-$name.json" --exit-code 0 --no-banner --log-level error
  elif [ -n "$GL" ]; then
    "$GL" dir "$dir" --report-format json --report-path "$OUT/gl-$name.json" --exit-code 0 --no-banner --log-level error
  fi
  echo
  echo "## $name ($commit)"
  echo "keygate: $(jq '.findings | length' "$OUT/kg-$name.json") findings"
  jq -r '.findings | group_by(.rule_id)[] | "  \(.[0].rule_id) \(length)"' "$OUT/kg-$name.json"
  if [ -n "${BEFORE:-}" ]; then
    echo "keygate before: $(jq '.findings | length' "$OUT/kg0-$name.json") findings; differences:"
    # comm on sorted lists is a multiset difference: a finding twice in
    # one build and once in the other shows once.
    comm -3 <(keys "$OUT/kg0-$name.json" "$dir") <(keys "$OUT/kg-$name.json" "$dir") |
      sed -e 's/^\t/  + /' -e 't' -e 's/^/  - /'
  fi
  if [ -n "$GL" ]; then
    echo "gitleaks: $(jq 'length' "$OUT/gl-$name.json") findings"
    jq -r 'group_by(.RuleID)[] | "  \(.[0].RuleID) \(length)"' "$OUT/gl-$name.json"
  fi
done
