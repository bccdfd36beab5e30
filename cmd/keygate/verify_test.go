package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

func TestVerify(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/ok.md", "nothing to see\n")
	res := runCLI(t, dir, nil, "scan")
	require.Equal(t, exitPass, res.code, res.combined)
	good, err := os.ReadFile(filepath.Join(dir, "reports/security/latest.json"))
	require.NoError(t, err)
	fixture.Write(t, dir, "pass.json", string(good))

	fixture.Write(t, dir, "docs/leak.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	res = runCLI(t, dir, nil, "scan", "--report", "fail.json")
	require.Equal(t, exitFail, res.code)

	withTime := func(ts time.Time) string {
		i := strings.Index(string(good), `"generated_at": "`) + len(`"generated_at": "`)
		return string(good)[:i] + ts.UTC().Format(time.RFC3339) + string(good)[i+20:]
	}
	fixture.Write(t, dir, "stale.json", withTime(time.Now().Add(-48*time.Hour)))
	fixture.Write(t, dir, "future.json", withTime(time.Now().Add(3*time.Hour)))
	fixture.Write(t, dir, "truncated.json", string(good)[:len(good)/2])
	fixture.Write(t, dir, "not.json", "status=pass\n")
	fixture.Write(t, dir, "schema2.json", strings.Replace(string(good), `"schema_version": 1`, `"schema_version": 2`, 1))
	fixture.Write(t, dir, "error.json", strings.Replace(string(good), `"status": "pass"`, `"status": "error"`, 1))
	fixture.Write(t, dir, "other.json", `{"status": "pass"}`)
	fixture.Write(t, dir, "pass-with-errors.json", strings.Replace(string(good), `"errors": []`, `"errors": ["docs/x.md: permission denied"]`, 1))

	tests := []struct {
		file string
		args []string
		code int
		want string
	}{
		{"pass.json", nil, exitPass, "passes: status pass"},
		{"fail.json", nil, exitFail, `status is "fail", not pass: 1 finding`},
		{"error.json", nil, exitFail, "the scan was incomplete"},
		{"pass-with-errors.json", nil, exitFail, "status says pass but the report lists 1 errors"},
		{"stale.json", nil, exitFail, "stale: generated 48h"},
		{"stale.json", nil, exitFail, "more than the 24h0m0s allowed; scan again (keygate scan --include-logs)"},
		{"stale.json", []string{"--max-age", "3d"}, exitPass, "passes"},
		{"pass.json", []string{"--max-age", "1ns"}, exitFail, "stale"},
		{"future.json", nil, exitFail, "in the future"},
		{"truncated.json", nil, exitUsage, "not valid JSON"},
		{"not.json", nil, exitUsage, "not valid JSON"},
		{"schema2.json", nil, exitFail, "schema_version 2 is not one this keygate knows"},
		{"other.json", nil, exitFail, `"schema_version" is missing`},
		{"missing.json", nil, exitUsage, "no such file"},
		{"pass.json", []string{"--max-age", "soon"}, exitUsage, "--max-age"},
	}
	for _, tt := range tests {
		t.Run(tt.file+strings.Join(tt.args, ""), func(t *testing.T) {
			res := runCLI(t, dir, nil, append(append([]string{"verify"}, tt.args...), tt.file)...)
			assert.Equal(t, tt.code, res.code, res.combined)
			assert.Contains(t, res.combined, tt.want)
		})
	}
}
