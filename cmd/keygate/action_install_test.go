package main

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/internal/testmode"
)

// fakeRelease lays out a release as goreleaser publishes it, under
// DIR/vVERSION/: the archive for this runner holding a `keygate` that prints
// its version, and checksums.txt. It returns DIR as a file:// URL.
func fakeRelease(t *testing.T, version string, tamper bool) string {
	t.Helper()
	dir := t.TempDir()
	rel := filepath.Join(dir, "v"+version)
	require.NoError(t, os.MkdirAll(rel, 0o755))
	name := "keygate_" + version + "_linux_" + runtime.GOARCH + ".tar.gz"
	f, err := os.Create(filepath.Join(rel, name))
	require.NoError(t, err)
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	body := "#!/bin/sh\necho 'keygate " + version + " (fake release)'\n"
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "keygate", Mode: 0o755, Size: int64(len(body))}))
	_, err = tw.Write([]byte(body))
	require.NoError(t, err)
	require.NoError(t, tw.Close())
	require.NoError(t, gz.Close())
	require.NoError(t, f.Close())
	data, err := os.ReadFile(filepath.Join(rel, name))
	require.NoError(t, err)
	sum := sha256.Sum256(data)
	if tamper {
		sum[0] ^= 0xff
	}
	sums := hex.EncodeToString(sum[:]) + "  " + name + "\n" + strings.Repeat("0", 64) + "  keygate_" + version + "_windows_amd64.zip\n"
	require.NoError(t, os.WriteFile(filepath.Join(rel, "checksums.txt"), []byte(sums), 0o644))
	return "file://" + dir
}

func output(r actionRun, key string) string {
	for _, l := range strings.Split(r.outputs, "\n") {
		if v, ok := strings.CutPrefix(l, key+"="); ok {
			return v
		}
	}
	return ""
}

func installEnv(t *testing.T, ref, url, toolCache string) map[string]string {
	arch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	if runtime.GOOS != "linux" || arch == "" {
		t.Skipf("the fake release is built for linux/amd64 or arm64, not %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	return map[string]string{"KEYGATE_ACTION_REF": ref, "KEYGATE_ACTION_PATH": repoTop(t), "KEYGATE_DOWNLOAD_URL": url,
		"RUNNER_OS": "Linux", "RUNNER_ARCH": arch, "RUNNER_TOOL_CACHE": toolCache}
}

// At a release tag the action runs the release binary, verified against
// checksums.txt and cached; a tampered archive is refused.
func TestGitHubActionInstallRelease(t *testing.T) {
	t.Parallel()
	toolCache := t.TempDir()
	env := installEnv(t, "v1.4.2", fakeRelease(t, "1.4.2", false), toolCache)
	r := runActionScript(t, "github-action-install.sh", t.TempDir(), env)
	require.Equal(t, 0, r.code, r.log)
	assert.Contains(t, r.log, "sha256 of keygate_1.4.2_linux_")
	assert.Contains(t, r.log, "keygate 1.4.2 (fake release)")
	assert.Equal(t, "release", output(r, "source"))
	bin := output(r, "bin")
	assert.Equal(t, filepath.Join(toolCache, "keygate", "1.4.2", runtime.GOARCH, "keygate"), bin)
	assert.FileExists(t, filepath.Join(toolCache, "keygate", "1.4.2", runtime.GOARCH+".complete"))

	// The next job on this runner takes it from the tool cache: no download.
	env["KEYGATE_DOWNLOAD_URL"] = "file:///nonexistent"
	r = runActionScript(t, "github-action-install.sh", t.TempDir(), env)
	require.Equal(t, 0, r.code, r.log)
	assert.Contains(t, r.log, "keygate 1.4.2 from the tool cache")
	assert.Equal(t, bin, output(r, "bin"))

	// A checksum mismatch is fatal, and nothing is cached.
	tampered := t.TempDir()
	r = runActionScript(t, "github-action-install.sh", t.TempDir(), installEnv(t, "v1.4.3", fakeRelease(t, "1.4.3", true), tampered))
	assert.Equal(t, 1, r.code, r.log)
	assert.Contains(t, r.log, "::error title=keygate install::checksum mismatch for keygate_1.4.3_linux_")
	assert.Empty(t, output(r, "bin"))
	assert.NoFileExists(t, filepath.Join(tampered, "keygate", "1.4.3", runtime.GOARCH+".complete"))
}

// Any other ref is built from the action's source with the Go already
// installed, leaving the job's PATH alone; so is a release with no
// archive for this runner.
func TestGitHubActionInstallFromSource(t *testing.T) {
	t.Parallel()
	testmode.RequireFull(t, "builds keygate from source twice")
	for _, tt := range []struct{ name, ref, url, warning, version string }{
		// The version Go stamps a source build with: a pseudo-version of a
		// clean checkout, or 0.0.0-dev of a modified one.
		{"branch", "main", "file:///nonexistent", "", `keygate (0\.0\.0-dev|0\.0\.0-\d{14}-[0-9a-f]{12})`},
		// A release tag built from source says the tag's version.
		{"release without assets", "v9.9.9", "file:///nonexistent", "release v9.9.9 has no archive", `keygate 9\.9\.9`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := installEnv(t, tt.ref, tt.url, t.TempDir())
			pathFile := filepath.Join(t.TempDir(), "path")
			env["GITHUB_PATH"] = pathFile
			r := runActionScript(t, "github-action-install.sh", t.TempDir(), env)
			require.Equal(t, 0, r.code, r.log)
			assert.Equal(t, "build", output(r, "source"))
			assert.Contains(t, r.log, "building keygate from source at ref '"+tt.ref+"'")
			assert.Regexp(t, tt.version, r.log)
			if tt.warning != "" {
				assert.Contains(t, r.log, "::warning title=keygate install::"+tt.warning)
			}
			assert.NoFileExists(t, pathFile, "PATH (and so the job's Go) is untouched")
			assert.FileExists(t, output(r, "bin"))
		})
	}
}

// miniSource lays out a stand-in for the action's source tree: a real Go
// module of keygate's path whose cmd/keygate prints the version and commit
// stamped into internal/version, so the install step's real `go build`
// runs in a second. broken makes the build fail.
func miniSource(t *testing.T, broken bool) string {
	t.Helper()
	dir := t.TempDir()
	fixture.Write(t, dir, "go.mod", "module github.com/keygate/keygate\n\ngo 1.22\n")
	fixture.Write(t, dir, "internal/version/version.go", "package version\n\nvar version, commit string\n\nfunc Get() string { return version + \" \" + commit }\n")
	main := "package main\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/keygate/keygate/internal/version\"\n)\n\nfunc main() { fmt.Println(\"keygate\", version.Get()) }\n"
	if broken {
		main += "func broken() { undefined() }\n"
	}
	fixture.Write(t, dir, "cmd/keygate/main.go", main)
	return dir
}

// A build from source that fails is the install step's error, as a
// workflow command, not a path to a binary that was never written; a
// release tag built from source (its archive missing) carries the tag's
// version.
func TestGitHubActionInstallBuild(t *testing.T) {
	t.Parallel()
	testmode.Tool(t, "go", "the Go toolchain")
	env := installEnv(t, "main", "file:///nonexistent", t.TempDir())
	env["KEYGATE_ACTION_PATH"] = miniSource(t, true)
	r := runActionScript(t, "github-action-install.sh", t.TempDir(), env)
	assert.Equal(t, 1, r.code, r.log)
	assert.Contains(t, r.log, "::error title=keygate install::building keygate from source at ref 'main' failed")
	assert.Empty(t, output(r, "bin"))

	env = installEnv(t, "v2.3.4", "file:///nonexistent", t.TempDir())
	env["KEYGATE_ACTION_PATH"] = miniSource(t, false)
	r = runActionScript(t, "github-action-install.sh", t.TempDir(), env)
	require.Equal(t, 0, r.code, r.log)
	assert.Equal(t, "build", output(r, "source"))
	assert.Contains(t, r.log, "keygate 2.3.4 \n", "the binary built at tag v2.3.4 says 2.3.4")
}
