#!/usr/bin/env bash
# Peak memory of a history scan of large blobs at several GOMAXPROCS: the
# blob budget (scan/budget.go) must keep it the same whatever the number
# of workers. Generates a repository of BLOBS text blobs of MIB MiB each
# (default 8 of 1024: 8 GiB of text, a few tens of MB of .git; generating it
# takes minutes), then runs `keygate scan --history` under /usr/bin/time at
# each GOMAXPROCS in PROCS (default "2 4 8"), one process at a time.
#
#   bench/memory.sh                     # 8 blobs of 1 GiB
#   BLOBS=8 MIB=256 bench/memory.sh     # quicker
#
# KEYGATE=path measures a prebuilt binary (REF=path a second one, in the
# same run, one process at a time).
set -euo pipefail
cd "$(dirname "$0")/.."

BLOBS=${BLOBS:-8}
MIB=${MIB:-1024}
PROCS=${PROCS:-"2 4 8"}
OUT=${OUT:-$(mktemp -d /tmp/keygate-memory.XXXXXX)}
mkdir -p "$OUT"
echo "bench: output in $OUT"

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_tools

bench_keygate "$OUT"

REPO="$OUT/repo"
if [ ! -d "$REPO/.git" ]; then
  git init -q "$REPO"
  python3 - "$REPO" "$BLOBS" "$MIB" <<'PY'
import sys
repo, blobs, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(blobs):
    line = ("%d INFO bot=BOT%d order placed api_key=****ab12 status=ok qty=0.001 px=12345.67\n" % (i, i)).encode()
    chunk = line * 10000
    with open("%s/big%d.log" % (repo, i), "wb") as f:
        for _ in range((mib << 20) // len(chunk)):
            f.write(chunk)
PY
  git -C "$REPO" add -A
  git -C "$REPO" -c user.name=bench -c user.email=bench@example.com commit -qm "large blobs"
  rm -f "$REPO"/big*.log
fi
echo "bench: machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $BLOBS blobs of $MIB MiB, .git $(du -sh "$REPO/.git" | cut -f1)"

echo "| GOMAXPROCS | build | wall | CPU | peak RSS |"
echo "|---|---|---|---|---|"
for p in $PROCS; do
  for name in keygate ${REF:+ref}; do
    bin=$KG
    [ "$name" = ref ] && bin=$REF
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/time" env GOMAXPROCS="$p" "$bin" -C "$REPO" scan --history --no-env-file --report "$OUT/report.json" >/dev/null 2>&1 || true
    read -r wall user sys rss < <(tail -n 1 "$OUT/time")
    echo "| $p | $name | $wall s | $(python3 -c "print('%.1f' % ($user + $sys))") s | $((rss / 1024)) MB |"
  done
done
