#!/usr/bin/env bash
# The push gate's cost: the pre-push hook (`keygate hook pre-push`, as git
# runs it, the ref line on stdin) over a push of a few commits, against the
# pre-commit gate (`keygate scan --staged`, one staged file), on the same
# repository: a generated history of COMMITS commits, repacked as a clone
# is. Whole processes, medians (hyperfine), in one run. Target: the push
# within 2x of the staged scan.
#
#   bench/push.sh
#   COMMITS=3000 PUSHED=5 HEAVY_SCALE=10 bench/push.sh
set -euo pipefail
cd "$(dirname "$0")/.."

COMMITS=${COMMITS:-1000}
PUSHED=${PUSHED:-3}
RUNS=${RUNS:-10}
OUT=${OUT:-$(mktemp -d /tmp/keygate-bench-push.XXXXXX)}
mkdir -p "$OUT"
echo "bench: output in $OUT"

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_tools

go build -o "$OUT/keygate" ./cmd/keygate
go build -o "$OUT/gen" ./bench/gen
KG="$OUT/keygate"
REPO="$OUT/repo"
"$OUT/gen" history -out "$REPO" -commits "$COMMITS" -scale "${HEAVY_SCALE:-1}"
git -C "$REPO" repack -adq
git -C "$REPO" reset -q --hard main
git clone -q --bare "$REPO" "$OUT/remote.git"
git -C "$REPO" remote add origin "$OUT/remote.git"
git -C "$REPO" fetch -q origin
base=$(git -C "$REPO" rev-parse HEAD)

# The pushed commits: one edited file each, as a developer's day.
git -C "$REPO" ls-files | head -n "$((PUSHED + 1))" > "$OUT/files"
n=0
while read -r f; do
  n=$((n + 1))
  echo "a note added on line $n" >> "$REPO/$f"
  if [ "$n" -le "$PUSHED" ]; then
    git -C "$REPO" -c user.name=Bench -c user.email=bench@synthetic.invalid commit -q --no-verify -am "edit $f"
  else
    git -C "$REPO" add "$f" # the staged case's one file
  fi
done < "$OUT/files"
head=$(git -C "$REPO" rev-parse HEAD)
printf 'refs/heads/main %s refs/heads/main %s\n' "$head" "$base" > "$OUT/push.in"

# Both through bash, so both pay the same start-up.
hyperfine -N -w 2 -r "$RUNS" --export-json "$OUT/push.json" \
  -n staged "bash -c '$KG -C $REPO scan --staged --no-env-file >/dev/null'" \
  -n push "bash -c '$KG -C $REPO hook pre-push origin $OUT/remote.git < $OUT/push.in >/dev/null'"
read -r T_STAGED T_PUSH <<< "$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join('%.4f' % r['median'] for r in d['results']))" "$OUT/push.json")"
echo "bench: machine: $(nproc) cores; $("$KG" version | head -1)"
echo "push of $PUSHED commits onto $COMMITS: ${T_PUSH}s; staged scan of one file: ${T_STAGED}s; ratio $(python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$T_PUSH" "$T_STAGED") (target: at most 2)"
