package version

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGet(t *testing.T) {
	tests := []struct {
		name                string
		stamp, commit, date string
		bi                  *debug.BuildInfo
		want                Info
		wantString          string
	}{
		{
			name: "release stamp wins", stamp: "v1.2.3", commit: "0123456789abcdef0123", date: "2026-11-30T12:00:00Z",
			bi:         &debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}},
			want:       Info{Version: "1.2.3", Commit: "0123456789abcdef0123", Date: "2026-11-30T12:00:00Z"},
			wantString: "keygate 1.2.3 (commit 0123456789ab, built 2026-11-30T12:00:00Z)",
		},
		{
			name:       "go install module@version",
			bi:         &debug.BuildInfo{Main: debug.Module{Version: "v0.2.0"}},
			want:       Info{Version: "0.2.0"},
			wantString: "keygate 0.2.0",
		},
		{
			name: "work-tree build",
			bi: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
				{Key: "vcs.revision", Value: "abcdef"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}}},
			want:       Info{Version: Dev, Commit: "abcdef", Date: "2026-01-02T03:04:05Z"},
			wantString: "keygate 0.0.0-dev (commit abcdef, built 2026-01-02T03:04:05Z)",
		},
		{name: "no build info", want: Info{Version: Dev}, wantString: "keygate 0.0.0-dev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			version, commit, date = tt.stamp, tt.commit, tt.date
			readBuildInfo = func() (*debug.BuildInfo, bool) { return tt.bi, tt.bi != nil }
			t.Cleanup(func() { version, commit, date, readBuildInfo = "", "", "", debug.ReadBuildInfo })
			got := Get()
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.wantString, got.String())
		})
	}
}
