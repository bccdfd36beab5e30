#!/usr/bin/env bash
# keygate, gitleaks v8.30.1 and betterleaks on real repositories: for each
# local clone given, the history, the working tree and a one-file staged
# commit, each measured with the three tools interleaved in one hyperfine run
# (medians, ratios within that run), and the peak RSS of each.
#
#   BETTERLEAKS=/path/to/betterleaks bench/real.sh ~/src/freqtrade ~/src/go-git
#   BETTERLEAKS_SRC=~/src/betterleaks BETTERLEAKS_GORE2_SRC=~/src/go-re2 bench/real.sh REPO…
#
# Tools: keygate is built from this checkout (or KEYGATE=path); gitleaks is
# installed for the run only into a temporary GOBIN (or GITLEAKS=path);
# betterleaks is a prebuilt binary (BETTERLEAKS=path) or built from its source
# (BETTERLEAKS_SRC, a work tree of github.com/betterleaks/betterleaks). Its
# pinned fork of go-re2 may be refused by the module proxy: then give the
# fork's source too (BETTERLEAKS_GORE2_SRC); it is copied, its module path and
# imports renamed to the fork's, and wired in with a `replace`, in temporary
# copies only. Nothing of either tool is kept or committed.
#
# A directory that is not a git work tree (the ops tree of `gen opstree`,
# as bench/dense.sh generates it) is measured as a working tree only, in
# place: `keygate scan .` reads every file, logs included, as the peers do.
# HISTORY=0 skips the history case (hummingbot's: gitleaks takes minutes a
# run).
#
# RUNS (default 3) runs per history and tree, 4*RUNS for the staged commit.
# INTERLEAVE=ROUNDS times each case with bench/interleave.py instead: the
# three tools round by round, ROUNDS rounds (4*ROUNDS for the staged
# commit) after one warm-up round, medians of wall and CPU time; no peak
# RSS. On a shared machine whose load drifts, the steadier ratios.
# The repositories are read, never written: the tree and staged cases use a
# local clone under $OUT. Peak RSS is the largest of the timed runs. keygate exits 2 on a partial clone whose blobs are
# missing (correct: it cannot vouch for them); the exit codes are printed but
# are not the measurement (hyperfine -i).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -eq 0 ]; then
  echo "usage: bench/real.sh REPO_PATH..." >&2
  exit 2
fi
RUNS=${RUNS:-3}
INTERLEAVE=${INTERLEAVE:-} # ROUNDS: time with bench/interleave.py instead of hyperfine
HISTORY=${HISTORY:-1}
WARMUP=${WARMUP:-1}   # 0 for the largest histories: gitleaks takes minutes a run
OUT=${OUT:-$(mktemp -d /tmp/keygate-real.XXXXXX)}
mkdir -p "$OUT"
echo "bench: output in $OUT"

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_tools

bench_keygate "$OUT"
bench_gitleaks "$OUT"
BL=${BETTERLEAKS:-}
if [ -z "$BL" ]; then
  if [ -z "${BETTERLEAKS_SRC:-}" ]; then
    echo "bench: betterleaks is needed: set BETTERLEAKS=binary or BETTERLEAKS_SRC=source (see bench/README.md)" >&2
    exit 2
  fi
  cp -r "$BETTERLEAKS_SRC" "$OUT/bl-src"
  rm -rf "$OUT/bl-src/.git"
  if [ -n "${BETTERLEAKS_GORE2_SRC:-}" ]; then
    cp -r "$BETTERLEAKS_GORE2_SRC" "$OUT/go-re2"
    rm -rf "$OUT/go-re2/.git"
    (cd "$OUT/go-re2" && go mod edit -module github.com/betterleaks/go-re2 &&
      grep -rl 'github.com/wasilibs/go-re2' --include='*.go' . | xargs -r sed -i 's#github.com/wasilibs/go-re2#github.com/betterleaks/go-re2#g')
    (cd "$OUT/bl-src" && go mod edit -replace "github.com/betterleaks/go-re2=$OUT/go-re2")
  fi
  (cd "$OUT/bl-src" && GOTOOLCHAIN=local go build -o "$OUT/betterleaks" .)
  BL="$OUT/betterleaks"
fi

echo "bench: machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench: $("$KG" version 2>&1 | head -n 1) ($KG); gitleaks ${GITLEAKS_VERSION:-$GITLEAKS_PIN} ($GL); betterleaks $("$BL" version 2>&1) ($BL${BETTERLEAKS_SRC:+, built from $BETTERLEAKS_SRC at $(git -C "$BETTERLEAKS_SRC" rev-parse --short=12 HEAD 2>/dev/null)})"

# cpu FILE: user+system seconds (mean, children included: gitleaks' git log;
# the median where interleave.py measured) of each command; on a loaded
# machine less noisy than wall time.
cpu() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join('%.3f' % (r['cpu'] if 'cpu' in r else r['user'] + r['system']) for r in d['results']))" "$1"; }
codes() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join('/'.join(sorted(set(str(c) for c in r['exit_codes']))) for r in d['results']))" "$1"; }
median() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join('%.3f' % r['median'] for r in d['results']))" "$1"; }
ratio() { python3 -c "import sys; b = float(sys.argv[2]); print('%.1f' % (float(sys.argv[1]) / b) if b else 'n/a')" "$1" "$2"; }
# Every timed run goes through /usr/bin/time (the same few hundred µs for each
# tool), which appends its peak RSS in KB to a file; peak FILE: the largest, MB.
TM="/usr/bin/time -a -f %M -o"
peak() { grep -E '^[0-9]+$' "$1" | sort -n | tail -n 1 | awk '{printf "%d", $1 / 1024}'; }

# measure CASE RSS WARMUP RUNS KEYGATE_CMD GITLEAKS_CMD BETTERLEAKS_CMD: one
# hyperfine run of the three commands interleaved, its JSON in $W/CASE.json.
# It prints them and sets M (wall-time medians, s), C (mean CPU, s), X
# (exit codes) and, with RSS=rss, R (peak RSS, MB), each "keygate
# gitleaks betterleaks". RSS
# is not measured for the staged commit: /usr/bin/time's cost would be a
# visible part of a run of a few milliseconds.
measure() {
  local case=$1 rss=$2 warmup=$3 runs=$4 name
  shift 4
  local args=() named=()
  R=""
  for name in keygate gitleaks betterleaks; do
    named+=("$name=$1")
    if [ "$rss" = rss ]; then
      rm -f "$W/rss-$case-$name"
      args+=(-n "$name" "$TM $W/rss-$case-$name $1")
    else
      args+=(-n "$name" "$1")
    fi
    shift
  done
  if [ -n "$INTERLEAVE" ]; then
    # Round by round (bench/interleave.py): INTERLEAVE rounds (4x for the
    # staged commit) after one warm-up round; no peak RSS.
    python3 bench/interleave.py --json "$W/$case.json" $((runs * INTERLEAVE / RUNS)) "${named[@]}" >/dev/null
    [ "$rss" = rss ] && R="- - -"
    rss=no-rss
  else
    hyperfine -N -w "$warmup" -r "$runs" -i --export-json "$W/$case.json" "${args[@]}" >/dev/null
  fi
  M=$(median "$W/$case.json") C=$(cpu "$W/$case.json") X=$(codes "$W/$case.json")
  if [ "$rss" = rss ]; then
    R="$(peak "$W/rss-$case-keygate") $(peak "$W/rss-$case-gitleaks") $(peak "$W/rss-$case-betterleaks")"
  fi
  echo "   $case (keygate / gitleaks / betterleaks): ${M// / \/ } s; CPU ${C// / \/ } s; exit ${X// / \/ }${R:+; RSS ${R// / \/ } MB}"
}
GLF="--no-banner --log-level error --exit-code 0 --report-format json"

ROWS=""
for REPO in "$@"; do
  REPO=$(cd "$REPO" && pwd)
  NAME=$(basename "$REPO" .git)
  [ "$NAME" = repo ] && NAME=$(basename "$(dirname "$REPO")")
  if [ "$(git -C "$REPO" rev-parse --show-toplevel 2>/dev/null)" != "$REPO" ] &&
    [ "$(git -C "$REPO" rev-parse --is-bare-repository 2>/dev/null)" != true ]; then
    # A plain directory: its tree only, read in place.
    W="$OUT/$NAME"
    mkdir -p "$W"
    NFILES=$(find "$REPO" -type f | wc -l)
    echo "== $NAME: $NFILES files, $(du -sm "$REPO" | cut -f1) MB, not a git work tree: tree only"
    echo "   load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    measure tree rss "$WARMUP" "$RUNS" \
      "$KG -C $REPO scan . --no-env-file --report $W/kg-tree.json" \
      "$GL dir $REPO $GLF --report-path $W/gl-tree.json" \
      "$BL dir $REPO $GLF --report-path $W/bl-tree.json"
    read -r T_KG T_GL T_BL <<< "$M"
    read -r TC_KG TC_GL TC_BL <<< "$C"
    read -r R_TKG R_TGL R_TBL <<< "$R"
    echo "   load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    ROWS="$ROWS| $NAME | (no git) | $NFILES files | tree | $T_KG s ($TC_KG) | $T_GL s ($TC_GL) | $T_BL s ($TC_BL) | **$(ratio "$T_GL" "$T_KG")x** ($(ratio "$TC_GL" "$TC_KG")x) | **$(ratio "$T_BL" "$T_KG")x** ($(ratio "$TC_BL" "$TC_KG")x) | $R_TKG / $R_TGL / $R_TBL MB |
"
    continue
  fi
  COMMIT=$(git -C "$REPO" rev-parse --short=12 HEAD)
  NCOMMITS=$(git -C "$REPO" rev-list --count --all)
  W="$OUT/$NAME"
  mkdir -p "$W"
  echo "== $NAME at $COMMIT, $NCOMMITS commits (all refs)"
  echo "   load before: $(cut -d' ' -f1-3 /proc/loadavg)"

  # 1. History.
  HROW=""
  if [ "$HISTORY" = 1 ]; then
    measure history rss "$WARMUP" "$RUNS" \
      "$KG -C $REPO scan --history --no-env-file --report $W/kg-hist.json" \
      "$GL git $REPO $GLF --report-path $W/gl-hist.json" \
      "$BL git $REPO $GLF --report-path $W/bl-hist.json"
    read -r H_KG H_GL H_BL <<< "$M"
    read -r HC_KG HC_GL HC_BL <<< "$C"
    read -r R_HKG R_HGL R_HBL <<< "$R"
    HROW="| $NAME | \`$COMMIT\` | $NCOMMITS commits | history | $H_KG s ($HC_KG) | $H_GL s ($HC_GL) | $H_BL s ($HC_BL) | **$(ratio "$H_GL" "$H_KG")x** ($(ratio "$HC_GL" "$HC_KG")x) | **$(ratio "$H_BL" "$H_KG")x** ($(ratio "$HC_BL" "$HC_KG")x) | $R_HKG / $R_HGL / $R_HBL MB |
"
  fi

  # 2. Working tree, on a local clone's checkout.
  CO="$W/checkout"
  rm -rf "$CO"
  if ! git clone -q "$REPO" "$CO" 2>"$W/clone.err"; then
    # A partial clone: the checkout stops at the first missing blob. Check out
    # what is there and fill the index from HEAD's tree (needs no blobs).
    git -C "$CO" read-tree HEAD
    git -C "$CO" checkout-index -a -q 2>/dev/null || true
    echo "   checkout: $(git -C "$CO" ls-files --deleted | wc -l) files missing from the partial clone"
  fi
  NFILES=$(git -C "$CO" ls-files | wc -l)
  echo "   tree: $NFILES files"
  measure tree rss "$WARMUP" "$RUNS" \
    "$KG -C $CO scan . --no-env-file --report $W/kg-tree.json" \
    "$GL dir $CO $GLF --report-path $W/gl-tree.json" \
    "$BL dir $CO $GLF --report-path $W/bl-tree.json"
  read -r T_KG T_GL T_BL <<< "$M"
  read -r TC_KG TC_GL TC_BL <<< "$C"
  read -r R_TKG R_TGL R_TBL <<< "$R"

  # 3. A one-file staged commit: one line appended to a tracked text file.
  # sed, not head: head would close the pipe early and pipefail end the script.
  f=$(git -C "$CO" ls-files '*.md' '*.go' '*.py' '*.ts' '*.js' | sed -n 1p)
  echo "one more line for the commit" >> "$CO/$f"
  git -C "$CO" add "$f"
  echo "   staged: one line appended to $f"
  measure staged no-rss 3 $((RUNS * 4)) \
    "$KG -C $CO scan --staged --no-env-file" \
    "$GL git --pre-commit --staged $CO --no-banner --log-level error --exit-code 0" \
    "$BL git --pre-commit --staged $CO --no-banner --log-level error --exit-code 0"
  read -r S_KG S_GL S_BL <<< "$M"
  read -r SC_KG SC_GL SC_BL <<< "$C"
  echo "   load after: $(cut -d' ' -f1-3 /proc/loadavg)"

  [ -n "$HROW" ] || HROW="| $NAME | \`$COMMIT\` | $NCOMMITS commits | history | not measured | | | | | |
"
  ROWS="$ROWS$HROW| | | $NFILES files | tree | $T_KG s ($TC_KG) | $T_GL s ($TC_GL) | $T_BL s ($TC_BL) | $(ratio "$T_GL" "$T_KG")x ($(ratio "$TC_GL" "$TC_KG")x) | **$(ratio "$T_BL" "$T_KG")x** ($(ratio "$TC_BL" "$TC_KG")x) | $R_TKG / $R_TGL / $R_TBL MB |
| | | | staged, 1 file | $S_KG s ($SC_KG) | $S_GL s ($SC_GL) | $S_BL s ($SC_BL) | **$(ratio "$S_GL" "$S_KG")x** ($(ratio "$SC_GL" "$SC_KG")x) | $(ratio "$S_BL" "$S_KG")x ($(ratio "$SC_BL" "$SC_KG")x) | |
"
done

METHOD="wall-time median of $RUNS runs"
[ -n "$INTERLEAVE" ] && METHOD="wall-time median of $INTERLEAVE rounds, the tools round by round (bench/interleave.py)"
{
  echo "## Real repositories ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $METHOD, (CPU user+system s))"
  echo
  echo "| repository | commit | commits / files | case | keygate | gitleaks | betterleaks | vs gitleaks | vs betterleaks | peak RSS kg / gl / bl |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s' "$ROWS"
} | tee "$OUT/results.md"
