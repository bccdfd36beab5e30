# shellcheck shell=bash
# What the benchmark scripts share (run.sh, real.sh, memory.sh, ...): source
# it after `set -euo pipefail` and `cd` to the repository.

# GITLEAKS_PIN is the gitleaks every comparison is made against.
GITLEAKS_PIN=v8.30.1

need() { command -v "$1" >/dev/null 2>&1; }

# bench_tools installs hyperfine and GNU time when missing.
bench_tools() {
  if ! need hyperfine || ! [ -x /usr/bin/time ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq hyperfine time >/dev/null
  fi
}

# bench_keygate OUT sets KG to $KEYGATE, or to this checkout built into OUT
# as releases are (CGO_ENABLED=0: a cgo build starts the dynamic loader and
# runtime/cgo, about 2 ms of a one-file staged scan).
bench_keygate() {
  KG=${KEYGATE:-}
  if [ -z "$KG" ]; then
    CGO_ENABLED=0 go build -trimpath -o "$1/keygate" ./cmd/keygate
    KG="$1/keygate"
  fi
}

# bench_gitleaks OUT sets GL to $GITLEAKS, or to the pinned gitleaks
# installed into OUT/gobin for this run only, built as its Dockerfile
# builds it (CGO_ENABLED=0).
bench_gitleaks() {
  GL=${GITLEAKS:-}
  if [ -z "$GL" ]; then
    CGO_ENABLED=0 GOBIN="$1/gobin" go install "github.com/zricethezav/gitleaks/v8@$GITLEAKS_PIN"
    GL="$1/gobin/gitleaks"
  fi
}
