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
#
# Then peak memory of a working-tree scan of a repository whose
# .gitleaksignore holds IGNORE_LINES entries (default 10,000,000, about
# 1 GB) in gitleaks' fingerprint form commit:path:rule:line, plus a few
# entries for docs/ files' findings (suppressed) and for a rule keygate
# does not know (listed as unused).
#
# And of a working-tree scan whose .keygate-baseline.json holds
# BASELINE_ENTRIES entries (default 10,000,000, about 1.7 GB), plus the
# entries `keygate baseline` writes for the docs/ files' findings.
#
# And hostile input a pull request controls (case "hostile"): a file of
# KEYS distinct made-up Bitget keys (default 1,000,000, 56 MB), scanned as a
# tree and, committed, as a history; and a range whose head adds
# RANGE_IGNORE_LINES .gitleaksignore entries (default 1,000,000). Each must
# end in error or fail within seconds and a few hundred MB: a file reports
# its first 10,000 findings, a range 100 policy findings a file.
#
#   CASES=ignore bench/memory.sh        # only the .gitleaksignore case
#   CASES=blobs bench/memory.sh         # only the blobs
#   CASES=hostile bench/memory.sh       # only the hostile pull request
set -euo pipefail
cd "$(dirname "$0")/.."

BLOBS=${BLOBS:-8}
MIB=${MIB:-1024}
PROCS=${PROCS:-"2 4 8"}
CASES=${CASES:-"blobs ignore baseline hostile"}
KEYS=${KEYS:-1000000}
RANGE_IGNORE_LINES=${RANGE_IGNORE_LINES:-1000000}
BASELINE_ENTRIES=${BASELINE_ENTRIES:-10000000}
IGNORE_LINES=${IGNORE_LINES:-10000000}
OUT=${OUT:-$(mktemp -d /tmp/keygate-memory.XXXXXX)}
mkdir -p "$OUT"
echo "bench: output in $OUT"

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_tools

bench_keygate "$OUT"

measure() { # name bin args...: one table row of wall, CPU and peak RSS
  local label=$1 bin=$2
  shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/time" "$bin" "$@" >"$OUT/stdout" 2>"$OUT/stderr" || true
  read -r wall user sys rss < <(tail -n 1 "$OUT/time")
  echo "| $label | $wall s | $(python3 -c "print('%.1f' % ($user + $sys))") s | $((rss / 1024)) MB |"
}

blobs() {
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
    GOMAXPROCS=$p measure "$p | $name" "$bin" -C "$REPO" scan --history --no-env-file --report "$OUT/report.json"
  done
done
}

ignore() {
  local repo="$OUT/ignore"
  if [ ! -f "$repo/.gitleaksignore" ]; then
    mkdir -p "$repo/docs"
    printf 'intro\nkey = bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0\n' >"$repo/docs/a.md" # keygate:allow synthetic key the suppressions must match
    printf 'key = bg_a1b2c3d4e5f60718293a4b5c6d7e8f90\n' >"$repo/docs/b.md"          # keygate:allow synthetic
    python3 - "$repo/.gitleaksignore" "$IGNORE_LINES" <<'PY'
import random, sys
out, n = sys.argv[1], int(sys.argv[2])
r = random.Random(28)
rules = ["generic-api-key", "aws-access-token", "private-key", "jwt", "github-pat",
         "slack-bot-token", "stripe-access-token", "gcp-api-key", "telegram-bot-api-token"]
dirs = ["src/strategies", "freqtrade/exchange", "tests/fixtures", "config", "docs/howto", "deploy/k8s"]
commits = ["%040x" % r.getrandbits(160) for _ in range(50000)]
with open(out, "w") as f:
    f.write("# reviewed findings, exported from gitleaks\n")
    for i in range(n):
        f.write("%s:%s/module_%d/file_%d.py:%s:%d\n" % (commits[i % len(commits)], dirs[i % len(dirs)],
                i % 997, i % 7919, rules[i % len(rules)], 1 + i % 400))
    f.write("docs/a.md:bitget-api-key:2\ndocs/b.md:made-up-rule:1\n")
PY
  fi
  echo "bench: .gitleaksignore of $(wc -l <"$repo/.gitleaksignore") lines, $(du -h "$repo/.gitleaksignore" | cut -f1)"
  echo "| case | build | wall | CPU | peak RSS |"
  echo "|---|---|---|---|---|"
  for name in keygate ${REF:+ref}; do
    bin=$KG
    [ "$name" = ref ] && bin=$REF
    measure "tree scan | $name" "$bin" -C "$repo" scan --no-env-file --report "$OUT/report.json"
    python3 - "$OUT/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("bench: %d findings, %d suppressed" % (len(r["findings"]), len(r["suppressed"])))
PY
    grep -c 'unused: rule' "$OUT/stderr" | sed 's/^/bench: unused entries listed: /'
  done
}

baseline() {
  local repo="$OUT/baseline"
  if [ ! -f "$repo/.keygate-baseline.json" ]; then
    mkdir -p "$repo/docs"
    printf 'intro\nkey = bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0\n' >"$repo/docs/a.md" # keygate:allow synthetic key the suppressions must match
    printf 'key = bg_a1b2c3d4e5f60718293a4b5c6d7e8f90\n' >"$repo/docs/b.md"          # keygate:allow synthetic
    "$KG" -C "$repo" baseline >/dev/null
    python3 - "$repo/.keygate-baseline.json" "$BASELINE_ENTRIES" <<'PY'
import json, random, sys
out, n = sys.argv[1], int(sys.argv[2])
found = json.load(open(out))["findings"]
r = random.Random(28)
rules = ["generic-secret-assignment", "aws-access-key-id", "bitget-api-key", "private-key", "jwt"]
with open(out, "w") as f:
    f.write('{\n  "version": 1,\n  "findings": [\n')
    for i in range(n):
        f.write('    {\n      "fingerprint": "%032x",\n      "rule_id": "%s",\n      "path": "src/module_%d/file_%d.py",\n      "secret_masked": "****%04x"\n    },\n'
                % (r.getrandbits(128), rules[i % len(rules)], i % 997, i % 7919, i % 65536))
    f.write(",\n".join("    " + json.dumps(e) for e in found) + "\n  ]\n}\n")
PY
  fi
  echo "bench: .keygate-baseline.json of $BASELINE_ENTRIES + 2 entries, $(du -h "$repo/.keygate-baseline.json" | cut -f1)"
  echo "| case | build | wall | CPU | peak RSS |"
  echo "|---|---|---|---|---|"
  for name in keygate ${REF:+ref}; do
    bin=$KG
    [ "$name" = ref ] && bin=$REF
    measure "tree scan | $name" "$bin" -C "$repo" scan --no-env-file --report "$OUT/report.json"
    python3 - "$OUT/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("bench: %d findings, %d suppressed" % (len(r["findings"]), len(r["suppressed"])))
PY
  done
}

hostile() {
  local repo="$OUT/hostile"
  if [ ! -d "$repo/.git" ]; then
    mkdir -p "$repo/docs"
    git init -q "$repo"
    echo hello >"$repo/docs/readme.md"
    git -C "$repo" add -A
    git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm base
    python3 - "$repo" "$KEYS" "$RANGE_IGNORE_LINES" <<'PY'
import random, sys
repo, keys, ignore = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = random.Random(28)
with open(repo + "/docs/keys.md", "w") as f:
    for _ in range(keys):
        f.write("BOT1_BITGET_API_KEY=bg_%032x\n" % r.getrandbits(128))
with open(repo + "/.gitleaksignore", "w") as f:
    for i in range(ignore):
        f.write("%040x:src/module_%d/file_%d.py:generic-api-key:%d\n" % (r.getrandbits(160), i % 997, i % 7919, 1 + i % 400))
PY
    git -C "$repo" add -A
    git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm "the pull request"
  fi
  echo "bench: $KEYS keys in docs/keys.md ($(du -h "$repo/docs/keys.md" | cut -f1)), $RANGE_IGNORE_LINES .gitleaksignore lines added"
  echo "| case | build | wall | CPU | peak RSS |"
  echo "|---|---|---|---|---|"
  for name in keygate ${REF:+ref}; do
    bin=$KG
    [ "$name" = ref ] && bin=$REF
    measure "tree scan of the keys | $name" "$bin" -C "$repo" scan docs --no-env-file --format json
    measure "history | $name" "$bin" -C "$repo" scan --history --no-env-file --format json
    measure "range adding them | $name" "$bin" -C "$repo" scan --range HEAD~1..HEAD --no-env-file --format json
  done
}

for c in $CASES; do
  "$c"
done
