#!/usr/bin/env bash
# keygate against its reference build on keyword-dense inputs: the
# generated ops tree (`gen opstree`: configs, bot code, CI files, incident
# notes and request logs that name credentials on most lines, as a trading
# team's repositories do) and, for each local clone given, its working tree
# and its history. Each case runs the builds interleaved in one hyperfine
# run; the table gives wall-time medians, CPU (user+system, the steadier
# figure on a shared machine), throughput in MB of input per CPU-second
# (per core), and the ratios to the reference. With BEFORE set, findings
# are compared finding by finding between that build and this checkout.
#
#   bench/dense.sh                          # ops tree only
#   bench/dense.sh /tmp/hummingbot /tmp/go-git
#   REF=e872180 BEFORE=main MB=50 RUNS=5 bench/dense.sh /tmp/hummingbot
#
# REF (default e872180, the engine before issue 26's detection: 57 rules, no
# decoding) stays the reference until the detector beats it. REF and BEFORE
# are built from git history in temporary worktrees, removed afterwards;
# BEFORE may also be a prebuilt binary (a build with one change undone).
# HISTORY=0 skips the histories. The clones are only read.
set -euo pipefail
cd "$(dirname "$0")/.."

REF=${REF:-e872180}
BEFORE=${BEFORE:-}
MB=${MB:-50}
RUNS=${RUNS:-5}
HISTORY=${HISTORY:-1}
OUT=${OUT:-$(mktemp -d /tmp/keygate-dense.XXXXXX)}
mkdir -p "$OUT"
echo "bench: output in $OUT"

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_tools

# build REV NAME: keygate at REV, built in a temporary worktree.
build() {
  local wt="$OUT/src-$2"
  git worktree add -q --detach "$wt" "$1"
  (cd "$wt" && CGO_ENABLED=0 go build -trimpath -o "$OUT/$2" ./cmd/keygate)
  git worktree remove --force "$wt"
}
CGO_ENABLED=0 go build -trimpath -o "$OUT/new" ./cmd/keygate
build "$REF" ref
NAMES=(ref new)
if [ -n "$BEFORE" ]; then
  if [ -x "$BEFORE" ] && [ -f "$BEFORE" ]; then
    cp "$BEFORE" "$OUT/before" # a prebuilt binary
  else
    build "$BEFORE" before
  fi
  NAMES=(ref before new)
fi
go build -o "$OUT/gen" ./bench/gen
"$OUT/gen" opstree -out "$OUT/ops" -mb "$MB"

echo "bench: machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); ref $REF, new $(git rev-parse --short=12 HEAD)${BEFORE:+, before $BEFORE}"

TM="/usr/bin/time -a -f %M -o"
# row CASE MBYTES ARGS...: one hyperfine run of every build on ARGS (a
# keygate command line after the binary), interleaved; prints a table row.
ROWS=""
row() {
  local case=$1 mb=$2
  shift 2
  local args=() n
  for n in "${NAMES[@]}"; do
    rm -f "$OUT/rss-$n"
    args+=(-n "$n" "$TM $OUT/rss-$n $OUT/$n $* --report $OUT/$case-$n.json")
  done
  hyperfine -N -w 1 -r "$RUNS" -i --export-json "$OUT/$case.json" "${args[@]}" >/dev/null
  local line
  line=$(python3 - "$OUT/$case.json" "$mb" "$OUT" "${NAMES[@]}" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); mb = float(sys.argv[2]); out = sys.argv[3]; names = sys.argv[4:]
res = {r['command']: r for r in d['results']}
def cpu(r): return r['user'] + r['system']
def rss(n):
    v = [int(x) for x in open('%s/rss-%s' % (out, n)) if x.strip().isdigit()]
    return max(v) // 1024 if v else 0
ref, new = res['ref'], res['new']
cells = []
for n in names:
    r = res[n]
    cells.append('%.3f s (CPU %.2f, %.0f MB/s, %d MB)' % (r['median'], cpu(r), mb / cpu(r) if cpu(r) else 0, rss(n)))
print(' | '.join(cells) + ' | %.2fx (CPU %.2fx)' % (new['median'] / ref['median'], cpu(new) / cpu(ref)))
PY
)
  echo "   $case: $line"
  ROWS="$ROWS| $case | ${mb} MB | $line |
"
  if [ -n "$BEFORE" ]; then
    python3 - "$OUT/$case-before.json" "$OUT/$case-new.json" <<'PY'
import json, sys
def load(p):
    fs = json.load(open(p)).get('findings') or []
    return sorted(json.dumps({k: v for k, v in f.items() if k not in ('generated_at',)}, sort_keys=True) for f in fs)
a, b = load(sys.argv[1]), load(sys.argv[2])
print('   findings: before %d, new %d: %s' % (len(a), len(b), 'identical' if a == b else 'DIFFERENT'))
if a != b:
    sys.exit(1)
PY
  fi
}
size() { du -sm --exclude=.git "$1" | cut -f1; }
packsize() { du -sm "$(git -C "$1" rev-parse --absolute-git-dir)/objects" | cut -f1; }

row ops-tree "$(size "$OUT/ops")" "-C $OUT/ops scan --include-logs --no-env-file"
for REPO in "$@"; do
  REPO=$(cd "$REPO" && pwd)
  NAME=$(basename "$REPO")
  row "$NAME-tree" "$(size "$REPO")" "-C $REPO scan . --no-env-file"
  if [ "$HISTORY" = 1 ]; then
    row "$NAME-history" "$(packsize "$REPO")" "-C $REPO scan --history --no-env-file"
  fi
done

{
  echo "## Keyword-dense inputs ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), median of $RUNS runs)"
  echo
  echo "Each cell: wall-time median (CPU user+system, MB of input per CPU-second, peak RSS). Histories' MB are the .git objects'."
  echo
  printf '| input | size |'; for n in "${NAMES[@]}"; do printf ' %s |' "$n"; done; echo " new / ref |"
  printf '|---|---|'; for _ in "${NAMES[@]}"; do printf '%s' '---|'; done; echo '---|'
  printf '%s' "$ROWS"
} | tee "$OUT/results.md"
