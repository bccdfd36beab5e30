#!/usr/bin/env bash
# keygate (and gitleaks) scored on gitleaks' own rule test samples.
#
#   GITLEAKS_SRC=~/src/gitleaks bash bench/glsamples.sh
#   GITLEAKS_SRC=... KEYGATE=/tmp/kg GITLEAKS_BIN=/tmp/glbin/gitleaks OUT=/tmp/glbench bash bench/glsamples.sh
#
# Inputs (environment):
#   GITLEAKS_SRC  required: a clone or bare mirror of github.com/gitleaks/gitleaks
#                 holding commit $PIN below.
#   KEYGATE       keygate binary; default: ./cmd/keygate built into $OUT.
#   GITLEAKS_BIN  gitleaks binary; when given, gitleaks is scored too (with
#                 the config built into that binary).
#   OUT           work directory; default: a new mktemp directory. $OUT/src
#                 and $OUT/samples are deleted and rebuilt on each run. It must
#                 not lie inside a git work tree (a repository's .keygate.yaml,
#                 baseline or .gitleaksignore would change the scores).
#
# The corpus. Every gitleaks rule is defined in cmd/generate/config/rules/*.go
# with true samples (strings the rule must find) and false samples (strings it
# must not find), which utils.Validate / ValidateWithPaths check rule by rule
# when the config is generated. bench/glsamples/generator.patch makes those
# functions write each sample to a file instead: samples/tp/<rule>/<n>.txt and
# samples/fp/<rule>/<n>.txt (path-carrying samples, from ValidateWithPaths:
# samples/{tp,fp}/<rule>/<n>/<path as given>), with fixed seeds for the
# generated secrets and sorted map iteration, so the corpus is the same on
# every run. The patch writes under a constant sampleRoot; this script points
# it at $OUT/samples. Expected: 6396 true sample files over 220 rule dirs and
# 374 false ones over 82 (the script fails otherwise); the generated config
# must equal the commit's config/gitleaks.toml; the corpus digest is compared
# with the reference run's (a mismatch is reported, not fatal).
#
# The score (each tool scans samples/tp and samples/fp as two directories):
#   true samples   found / total: a file counts as found when the tool reports
#                  any finding in it. Misses per rule: $OUT/tp-missed.txt.
#   false samples  (a) any rule: files with any finding at all.
#                  (b) own rule: a file under fp/<R>/ counts only when it is
#                  flagged by a rule that corresponds to gitleaks rule R. This
#                  is what gitleaks' own tests check (each rule alone on its
#                  own samples); (a) is what a user of the whole pack sees.
#                  Flagged files, both readings: $OUT/fp-flagged.tsv.
# The correspondence for (b) is derived from the data, per tool, not written
# by hand: for each gitleaks rule R, the tool's rule ids reported on the TRUE
# samples under tp/R/, leaving out generic ids (ids starting with
# "generic-": keygate's generic-secret-assignment and the like, gitleaks'
# generic-api-key); when only generic ids found R's true samples, R maps to
# those generic ids; a rule none of whose true samples were found maps to
# nothing (its false samples then count as not flagged under (b)). The same
# derivation is applied to gitleaks (its ids are mostly R itself). The
# mapping is written to $OUT/rule-map.tsv. Where a rule's true samples hold
# other tokens it is too wide (gitleaks' curl-auth-header samples carry JWTs,
# so jwt maps to curl-auth-header for both tools), and leaving out generic
# ids can make it too narrow (gitleaks' generic-api-key maps to keygate's
# xml-secret-element, which finds one of its true samples, and not to
# keygate's generic rules): read the flagged files in fp-flagged.tsv.
#
# No secret value is printed: only paths, counts and rule ids. keygate's
# report masks values and gitleaks runs with --redact, but the samples
# themselves ($OUT/samples) are cleartext test secrets.
# Needs git, go, jq.
set -euo pipefail

PIN=b58d3f102cf3a2c84cb7f923d05c25c9b1aed84b
TP_TOTAL=6396
FP_TOTAL=374
TP_RULES=220
FP_RULES=82
# sha256 of `sha256sum` over every sample file, sorted by path (see digest()).
CORPUS_SHA256=024f9c8387f4a1e8ffdeb0c69b116eb78e54111be39a4bc1c33609a1decf7fe4

die() { echo "glsamples: $*" >&2; exit 2; }
abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }

for tool in git go jq; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
[ -n "${GITLEAKS_SRC:-}" ] || die "set GITLEAKS_SRC to a clone or mirror of github.com/gitleaks/gitleaks"
[ -e "$GITLEAKS_SRC" ] || die "GITLEAKS_SRC=$GITLEAKS_SRC: no such path"
GITLEAKS_SRC=$(abspath "$GITLEAKS_SRC")
KG=${KEYGATE:-}
if [ -n "$KG" ]; then
  [ -x "$KG" ] || die "KEYGATE=$KG: not an executable"
  KG=$(abspath "$KG")
fi
GL=${GITLEAKS_BIN:-}
if [ -n "$GL" ]; then
  [ -x "$GL" ] || die "GITLEAKS_BIN=$GL: not an executable"
  GL=$(abspath "$GL")
fi
OUT=${OUT:-$(mktemp -d /tmp/keygate-glsamples.XXXXXX)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
if git -C "$OUT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  die "OUT=$OUT is inside a git work tree; give a directory outside any repository"
fi

cd "$(dirname "$0")/.."
REPO=$(pwd)
PATCH=$REPO/bench/glsamples/generator.patch
[ -f "$PATCH" ] || die "$PATCH is missing"

if [ -z "$KG" ]; then
  # shellcheck source=bench/lib.sh
  . bench/lib.sh
  bench_keygate "$OUT"
  KG_DESC="$KG, built from commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' with local changes')"
else
  KG_DESC="$KG (given)"
fi

# --- the corpus -------------------------------------------------------------
SRC=$OUT/src
SAMPLES=$OUT/samples
rm -rf "$SRC" "$SAMPLES"
echo "glsamples: cloning $GITLEAKS_SRC at ${PIN:0:7} into $SRC" >&2
git clone -q --no-checkout "$GITLEAKS_SRC" "$SRC"
git -C "$SRC" checkout -q --detach "$PIN" 2>/dev/null ||
  die "commit $PIN is not in $GITLEAKS_SRC"
git -C "$SRC" apply "$PATCH" || die "bench/glsamples/generator.patch does not apply to gitleaks ${PIN:0:7}"

# The patch writes under `const sampleRoot = "/tmp/glsamples"`: read the
# root from the environment instead, so the samples land in $OUT/samples
# (and a run never writes over another corpus).
VALIDATE=$SRC/cmd/generate/config/utils/validate.go
sed -i 's|^const sampleRoot = "/tmp/glsamples"$|var sampleRoot = os.Getenv("GLSAMPLES_ROOT")|' "$VALIDATE"
grep -q '^var sampleRoot = os.Getenv("GLSAMPLES_ROOT")$' "$VALIDATE" ||
  die "could not redirect sampleRoot in $VALIDATE (has the patch changed?)"

echo "glsamples: generating the samples (go run, cmd/generate/config; log: $OUT/generate.log)" >&2
if ! (cd "$SRC/cmd/generate/config" &&
  GOWORK=off GLSAMPLES_ROOT=$SAMPLES go run . "$OUT/gitleaks.toml") >"$OUT/generate.log" 2>&1; then
  tail -n 20 "$OUT/generate.log" >&2
  die "the sample generator failed (log: $OUT/generate.log)"
fi
cmp -s "$OUT/gitleaks.toml" "$SRC/config/gitleaks.toml" ||
  die "the generated config differs from gitleaks' config/gitleaks.toml at ${PIN:0:7}: the generator did not run the commit's rules"

(cd "$SAMPLES" && find tp -type f | LC_ALL=C sort) >"$OUT/tp-files.txt"
(cd "$SAMPLES" && find fp -type f | LC_ALL=C sort) >"$OUT/fp-files.txt"
tp_n=$(wc -l <"$OUT/tp-files.txt")
fp_n=$(wc -l <"$OUT/fp-files.txt")
tp_rules=$(cut -d/ -f2 "$OUT/tp-files.txt" | sort -u | wc -l)
fp_rules=$(cut -d/ -f2 "$OUT/fp-files.txt" | sort -u | wc -l)
if [ "$tp_n" -ne "$TP_TOTAL" ] || [ "$fp_n" -ne "$FP_TOTAL" ] ||
  [ "$tp_rules" -ne "$TP_RULES" ] || [ "$fp_rules" -ne "$FP_RULES" ]; then
  die "corpus has $tp_n true samples over $tp_rules rules and $fp_n false over $fp_rules; expected $TP_TOTAL over $TP_RULES and $FP_TOTAL over $FP_RULES"
fi
digest() { (cd "$SAMPLES" && find tp fp -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1); }
corpus_sha=$(digest)
if [ "$corpus_sha" = "$CORPUS_SHA256" ]; then
  corpus_note="identical to the reference corpus"
else
  corpus_note="DIFFERS from the reference corpus ($CORPUS_SHA256): scores are not comparable with earlier runs"
  echo "glsamples: warning: corpus digest $corpus_sha $corpus_note" >&2
fi

# --- the scans --------------------------------------------------------------
# Each writes $OUT/TOOL-KIND.tsv: sample path (relative to samples/), rule
# id; one line per finding. Both run in $SAMPLES (outside any repository) on
# the relative path tp or fp, so that they report paths as tp/<rule>/...
kg_scan() { # kg_scan tp|fp
  local rc=0 report=$OUT/kg-$1.json
  (cd "$SAMPLES" && "$KG" scan --no-env-file --format json "$1") >"$report" || rc=$?
  [ "$rc" -le 1 ] || die "keygate exited $rc on $SAMPLES/$1 (report: $report)"
  local n
  n=$(jq -r '.summary.files_scanned' "$report")
  [ "$n" = "$(wc -l <"$OUT/$1-files.txt")" ] ||
    die "keygate read $n files of $SAMPLES/$1 (skipped: $(jq -c '[.skipped[]?] | length' "$report"))"
  [ "$(jq '.errors | length' "$report")" = 0 ] || die "keygate reported errors on $SAMPLES/$1 (see $report)"
  jq -r --arg p "$SAMPLES/" '.findings[] | [(.path | ltrimstr($p) | ltrimstr("./")), .rule_id] | @tsv' "$report" >"$OUT/kg-$1.tsv"
}
gl_scan() { # gl_scan tp|fp
  local report=$OUT/gl-$1.json
  (cd "$SAMPLES" && env -u GITLEAKS_CONFIG -u GITLEAKS_CONFIG_TOML "$GL" dir "$1" \
    --report-format json --report-path "$report" --no-banner --redact \
    --exit-code 0 --log-level error) ||
    die "gitleaks failed on $SAMPLES/$1"
  jq -r --arg p "$SAMPLES/" '.[] | [(.File | ltrimstr($p) | ltrimstr("./")), .RuleID] | @tsv' "$report" >"$OUT/gl-$1.tsv"
}

# --- the score --------------------------------------------------------------
# score TOOL: appends to tp-missed.txt, fp-flagged.tsv and rule-map.tsv and
# prints "key value" lines (tp_found fp_any fp_own rules_missed
# fp_rules_any fp_rules_own unmapped).
score() {
  local tool=$1 pre=$2
  awk -F'\t' -v OFS='\t' -v tool="$tool" \
    -v missed="$OUT/.missed" -v flagged="$OUT/.flagged" -v rmap="$OUT/.map" '
    function rule_of(p,   a) { split(p, a, "/"); return a[2] }
    function unknown(p) {
      if (bad++ < 3) printf "glsamples: %s reported a path that is no sample: %s\n", tool, p > "/dev/stderr"
    }
    FNR == 1 { part++ }
    part == 1 { tpfile[$1] = rule_of($1); tpn[rule_of($1)]++; next }
    part == 2 { fpfile[$1] = rule_of($1); next }
    part == 3 {
      if (!($1 in tpfile)) { unknown($1); next }
      found[$1] = 1
      tpid[tpfile[$1], $2] = 1
      next
    }
    part == 4 {
      if (!($1 in fpfile)) { unknown($1); next }
      fpid[$1, $2] = 1
      flag[$1] = 1
      next
    }
    END {
      if (bad) exit 3
      # the mapping: non-generic ids on the rule dir s true samples, else generic
      for (k in tpid) {
        split(k, a, SUBSEP)
        if (a[2] ~ /^generic-/) gen[a[1]] = gen[a[1]] " " a[2]
        else spec[a[1]] = spec[a[1]] " " a[2]
      }
      for (r in tpn) {
        if (r in spec) { ids = spec[r]; how = "specific" }
        else if (r in gen) { ids = gen[r]; how = "generic only" }
        else { ids = ""; how = "none found" }
        n = split(ids, a, " ")
        list = ""
        for (i = 1; i <= n; i++) { own[r, a[i]] = 1; list = list (list == "" ? "" : ",") a[i] }
        if (list == "") { list = "-"; unmapped++ }
        print tool, r, list, how >> rmap
      }
      for (f in tpfile) {
        if (f in found) { tp_found++; continue }
        r = tpfile[f]
        miss[r]++
        sub(/^tp\/[^\/]*\//, "", f)
        mfiles[r] = mfiles[r] " " f
      }
      for (r in miss) { rules_missed++; print tool, r, miss[r] "/" tpn[r], substr(mfiles[r], 2) >> missed }
      for (k in fpid) {
        split(k, a, SUBSEP)
        f = a[1]; id = a[2]
        ids_all[f] = ids_all[f] (ids_all[f] == "" ? "" : ",") id
        if ((fpfile[f], id) in own) { isown[f] = 1; ids_own[f] = ids_own[f] (ids_own[f] == "" ? "" : ",") id }
      }
      for (f in flag) {
        fp_any++; ra[fpfile[f]] = 1
        if (f in isown) { fp_own++; ro[fpfile[f]] = 1 }
        print tool, fpfile[f], f, ids_all[f], ((f in isown) ? "own" : "other"), ((f in isown) ? ids_own[f] : "-") >> flagged
      }
      for (r in ra) fp_rules_any++
      for (r in ro) fp_rules_own++
      print "tp_found", tp_found + 0
      print "rules_missed", rules_missed + 0
      print "fp_any", fp_any + 0
      print "fp_own", fp_own + 0
      print "fp_rules_any", fp_rules_any + 0
      print "fp_rules_own", fp_rules_own + 0
      print "unmapped", unmapped + 0
    }' "$OUT/tp-files.txt" "$OUT/fp-files.txt" "$OUT/$pre-tp.tsv" "$OUT/$pre-fp.tsv" ||
    return 1
}

rm -f "$OUT/.missed" "$OUT/.flagged" "$OUT/.map"
touch "$OUT/.missed" "$OUT/.flagged" "$OUT/.map"
echo "glsamples: scanning with keygate" >&2
kg_scan tp
kg_scan fp
declare -A KGS=() GLS=()
# (a process substitution hides score's exit status: check what it printed)
while read -r k v; do KGS[$k]=$v; done < <(score keygate kg)
[ -n "${KGS[tp_found]:-}" ] || die "scoring keygate failed"
tools=(keygate)
if [ -n "$GL" ]; then
  echo "glsamples: scanning with gitleaks" >&2
  gl_scan tp
  gl_scan fp
  while read -r k v; do GLS[$k]=$v; done < <(score gitleaks gl)
  [ -n "${GLS[tp_found]:-}" ] || die "scoring gitleaks failed"
  tools+=(gitleaks)
fi

{
  printf '# tool\tgitleaks rule\tmissed/total\tmissed files (under tp/<rule>/)\n'
  LC_ALL=C sort -t$'\t' -k1,1 -k2,2 "$OUT/.missed"
} >"$OUT/tp-missed.txt"
{
  printf '# tool\tgitleaks rule\tfile (under samples/)\trule ids reported\treading\town-rule ids\n'
  LC_ALL=C sort -t$'\t' -k1,1 -k3,3V "$OUT/.flagged"
} >"$OUT/fp-flagged.tsv"
{
  printf '# tool\tgitleaks rule\trule ids of the tool that found its true samples\tderived from\n'
  LC_ALL=C sort -t$'\t' -k1,1 -k2,2 "$OUT/.map"
} >"$OUT/rule-map.tsv"
rm -f "$OUT/.missed" "$OUT/.flagged" "$OUT/.map"

# --- the table --------------------------------------------------------------
row() { # row LABEL KEY TOTAL
  printf '%-34s' "$1"
  printf '%14s' "${KGS[$2]} / $3"
  [ -z "$GL" ] || printf '%14s' "${GLS[$2]} / $3"
  printf '\n'
}
echo
echo "gitleaks rule samples, gitleaks ${PIN:0:7}: $TP_TOTAL true over $TP_RULES rules, $FP_TOTAL false over $FP_RULES"
echo "corpus sha256 $corpus_sha ($corpus_note)"
echo "keygate: $KG_DESC"
[ -z "$GL" ] || echo "gitleaks: $GL (its built-in config)"
echo
printf '%-34s%14s' "" "keygate"
[ -z "$GL" ] || printf '%14s' "gitleaks"
printf '\n'
row "true samples found" tp_found "$TP_TOTAL"
row "  rules with a missed sample" rules_missed "$TP_RULES"
row "  rules mapped to no rule id" unmapped "$TP_RULES"
row "false samples flagged (a) any rule" fp_any "$FP_TOTAL"
row "  rules with a flagged sample" fp_rules_any "$FP_RULES"
row "false samples flagged (b) own rule" fp_own "$FP_TOTAL"
row "  rules with a flagged sample" fp_rules_own "$FP_RULES"
echo
for tool in "${tools[@]}"; do
  echo "$tool, (b) own rule: false sample, own-rule ids (all ids reported)"
  awk -F'\t' -v t="$tool" '$1 == t && $5 == "own" { printf "  %s  %s  (%s)\n", $3, $6, $4 }' "$OUT/fp-flagged.tsv"
done
echo
echo "files: $OUT/tp-missed.txt (misses per rule), $OUT/fp-flagged.tsv (flagged false samples, both readings),"
echo "       $OUT/rule-map.tsv (gitleaks rule -> rule ids, for (b)); reports: $OUT/kg-tp.json, kg-fp.json${GL:+, gl-tp.json, gl-fp.json}"
