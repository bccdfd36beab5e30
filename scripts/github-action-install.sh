#!/usr/bin/env bash
# The install step of keygate's GitHub Action (action.yml): puts a keygate
# binary on disk and names it in the output `bin`, without changing PATH or
# the job's Go toolchain.
#
# When the action is used at a release tag (keygate/keygate@v1.2.3), the
# release archive for this runner is downloaded, verified against the
# release's checksums.txt (sha256) and kept in the runner's tool cache
# ($RUNNER_TOOL_CACHE/keygate/VERSION/ARCH, the layout actions/tool-cache
# uses), so later jobs on the same runner skip the download. Any other ref (a
# branch, a commit, a local `uses: ./`) is built from the action's own
# source with the Go already installed, in this step only.
#
# Inputs arrive as environment variables, never interpolated into the script.
set -euo pipefail

ref="${KEYGATE_ACTION_REF:-}"
src="${KEYGATE_ACTION_PATH:?KEYGATE_ACTION_PATH must name the action directory}"
repo="${KEYGATE_ACTION_REPOSITORY:-keygate/keygate}"
server="${GITHUB_SERVER_URL:-https://github.com}"
base_url="${KEYGATE_DOWNLOAD_URL:-$server/$repo/releases/download}"
tmp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
out="${GITHUB_OUTPUT:-/dev/null}"

# fail reports on stderr: the runner reads workflow commands there too, and
# stdout of release and build is the binary's path.
fail() {
  echo "::error title=keygate install::$*" >&2
  exit 1
}

case "${RUNNER_OS:-$(uname -s)}" in
  Linux) goos=linux ;;
  macOS | Darwin) goos=darwin ;;
  Windows | MINGW* | MSYS*) goos=windows ;;
  *) fail "unsupported runner OS ${RUNNER_OS:-$(uname -s)}" ;;
esac
case "${RUNNER_ARCH:-$(uname -m)}" in
  X64 | x86_64 | amd64) goarch=amd64 ;;
  ARM64 | aarch64 | arm64) goarch=arm64 ;;
  *) fail "unsupported runner architecture ${RUNNER_ARCH:-$(uname -m)}" ;;
esac
exe=keygate
if [ "$goos" = windows ]; then exe=keygate.exe; fi

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# release VERSION: download, verify and cache the release binary; prints its
# path. Returns 3 when the release has no archive for this runner (the
# caller builds from source instead); a checksum mismatch is fatal.
release() {
  local version=$1
  local cache="${RUNNER_TOOL_CACHE:-$tmp/tool-cache}/keygate/$version/$goarch"
  if [ -f "$cache.complete" ] && [ -x "$cache/$exe" ]; then
    echo "keygate $version from the tool cache" >&2
    echo "$cache/$exe"
    return 0
  fi
  local ext=tar.gz
  if [ "$goos" = windows ]; then ext=zip; fi
  local archive="keygate_${version}_${goos}_${goarch}.$ext"
  local dl
  dl=$(mktemp -d "$tmp/keygate-download.XXXXXX")
  echo "downloading $base_url/v$version/$archive" >&2
  if ! curl -fsSL --retry 3 -o "$dl/$archive" "$base_url/v$version/$archive" ||
    ! curl -fsSL --retry 3 -o "$dl/checksums.txt" "$base_url/v$version/checksums.txt"; then
    return 3
  fi
  local want got
  want=$(awk -v f="$archive" '$2 == f { print $1 }' "$dl/checksums.txt")
  [ -n "$want" ] || fail "checksums.txt of v$version has no entry for $archive: refusing to run an unverified binary"
  got=$(sha256 "$dl/$archive")
  [ "$want" = "$got" ] || fail "checksum mismatch for $archive (v$version): want $want, got $got: refusing to run it"
  echo "sha256 of $archive verified against checksums.txt" >&2
  rm -rf "$cache"
  mkdir -p "$cache"
  if [ "$ext" = zip ]; then
    unzip -q -o "$dl/$archive" "$exe" -d "$cache"
  else
    tar -xzf "$dl/$archive" -C "$cache" "$exe"
  fi
  chmod +x "$cache/$exe"
  touch "$cache.complete"
  rm -rf "$dl"
  echo "$cache/$exe"
}

# build: compile the action's source with the Go already on the runner (on
# PATH, or the newest in the tool cache), in this step only: PATH and the
# job's toolchain stay as they were. GOTOOLCHAIN=auto lets an older go
# fetch the toolchain go.mod needs (verified by the Go checksum database).
build() {
  local gobin
  gobin=$(command -v go || true)
  if [ -z "$gobin" ]; then
    gobin=$(find "${RUNNER_TOOL_CACHE:-/nonexistent}/go" -mindepth 4 -maxdepth 4 -path '*/bin/go' 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  [ -n "$gobin" ] || fail "ref '${ref:-local}' is not a release, so keygate must be built from source, and no Go is installed: use a release ref (keygate/keygate@vX.Y.Z) or run actions/setup-go before this action"
  local dir="$tmp/keygate-build"
  mkdir -p "$dir"
  local commit=""
  if [[ "$ref" =~ ^[0-9a-f]{40}$ ]]; then commit=$ref; fi
  # A release tag whose archive is missing is still that release: stamp
  # its version, as goreleaser would (Go alone would say 0.0.0-dev).
  local ldflags="-X github.com/keygate/keygate/internal/version.commit=$commit"
  if [ -n "${version:-}" ]; then
    ldflags="$ldflags -X github.com/keygate/keygate/internal/version.version=$version"
  fi
  echo "building keygate from source at ref '${ref:-local}' with $gobin" >&2
  # This runs inside $(build), where set -e does not reach: check it.
  if ! (cd "$src" && GOTOOLCHAIN=auto GOFLAGS=-mod=readonly "$gobin" build \
    -ldflags "$ldflags" -o "$dir/$exe" ./cmd/keygate) >&2; then
    fail "building keygate from source at ref '${ref:-local}' failed (see the go build output above)"
  fi
  [ -x "$dir/$exe" ] || fail "building keygate from source at ref '${ref:-local}' left no binary at $dir/$exe"
  echo "$dir/$exe"
}

bin=""
how=build
version=""
if [[ "$ref" =~ ^v([0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?)$ ]]; then
  version="${BASH_REMATCH[1]}"
  set +e
  bin=$(release "$version")
  code=$?
  set -e
  case "$code" in
    0) how=release ;;
    3)
      echo "::warning title=keygate install::release v$version has no archive for $goos/$goarch (or could not be downloaded); building from source"
      bin=""
      ;;
    *) exit "$code" ;;
  esac
fi
if [ -z "$bin" ]; then
  # build reports its own failure (fail, in the subshell); stop here too.
  bin=$(build) || exit 1
fi
"$bin" --version
{
  echo "bin=$bin"
  echo "source=$how"
} >> "$out"
