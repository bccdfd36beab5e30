// Package version holds keygate's build stamp: the release version, the
// commit and the build date, set by the release build with -ldflags -X
// (see .goreleaser.yaml). A build without the stamp reports the module
// version Go recorded (`go install …@v1.2.3`) or 0.0.0-dev, never a
// made-up release number.
package version

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Set by the release build:
//
//	-X github.com/keygate/keygate/internal/version.version=1.2.3
//	-X github.com/keygate/keygate/internal/version.commit=<sha>
//	-X github.com/keygate/keygate/internal/version.date=<RFC 3339>
var (
	version = ""
	commit  = ""
	date    = ""
)

// Dev is the version of a build that carries no stamp and no module version.
const Dev = "0.0.0-dev"

// Info is what a binary knows about its own build.
type Info struct {
	// Version is a semantic version without a leading "v" (SARIF's
	// semanticVersion needs one).
	Version string
	// Commit and Date are empty when unknown.
	Commit string
	Date   string
}

// readBuildInfo is debug.ReadBuildInfo, replaceable in tests.
var readBuildInfo = debug.ReadBuildInfo

// Get returns the build's stamp, filling what the linker flags did not set
// from the Go build information.
func Get() Info {
	info := Info{Version: strings.TrimPrefix(version, "v"), Commit: commit, Date: date}
	bi, ok := readBuildInfo()
	if !ok {
		if info.Version == "" {
			info.Version = Dev
		}
		return info
	}
	if info.Version == "" {
		// "(devel)" is a build from a work tree; a module version comes
		// from `go install module@version`.
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			info.Version = strings.TrimPrefix(v, "v")
		} else {
			info.Version = Dev
		}
	}
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision" && info.Commit == "":
			info.Commit = s.Value
		case s.Key == "vcs.time" && info.Date == "":
			info.Date = s.Value
		}
	}
	return info
}

// String is the one-line form `keygate --version` prints.
func (i Info) String() string {
	s := "keygate " + i.Version
	var extra []string
	if i.Commit != "" {
		c := i.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		extra = append(extra, "commit "+c)
	}
	if i.Date != "" {
		extra = append(extra, "built "+i.Date)
	}
	if len(extra) > 0 {
		s += fmt.Sprintf(" (%s)", strings.Join(extra, ", "))
	}
	return s
}
