package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrOutsideRepo marks a report path refused because writing it would
// leave the repository.
var ErrOutsideRepo = errors.New("outside the repository")

// ErrConfiguredOutside marks, besides ErrOutsideRepo, a path from the
// configuration that lies outside the repository (where a path the user
// typed may go).
var ErrConfiguredOutside = errors.New("a path from the configuration must be inside the repository")

// CheckDestination decides whether keygate may write a report (or SARIF,
// or a baseline) at path, for a scan of the repository at root. A path
// inside the repository must stay inside once symlinks are followed: a
// cloned reports/ that links to the home directory must not make keygate
// write there. A path from the repository's configuration (configured)
// must be inside the repository at all; one typed on the command line may
// be anywhere the user chooses. The file itself may be a symlink: it is
// replaced, never written through (see WriteFile).
func CheckDestination(root, path string, configured bool) error {
	if !within(root, path) {
		if configured {
			return fmt.Errorf("%s: %w: %w (%s)", path, ErrOutsideRepo, ErrConfiguredOutside, root)
		}
		return nil
	}
	rootReal, err := filepath.EvalSymlinks(root)
	if err != nil {
		rootReal = root
	}
	// The deepest directory of path that exists; what is missing is created
	// under it, so it decides where the file lands.
	dir := filepath.Dir(path)
	for {
		if _, err := os.Lstat(dir); err == nil || !errors.Is(err, fs.ErrNotExist) || filepath.Dir(dir) == dir {
			break
		}
		dir = filepath.Dir(dir)
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return fmt.Errorf("%s: cannot resolve the directory %s: %w", path, dir, err)
	}
	if !within(rootReal, real) {
		return fmt.Errorf("%s: %w: a directory on its path is a symlink leading to %s; refusing to write through it", path, ErrOutsideRepo, real)
	}
	return nil
}

// within reports whether path is root or lies under it (lexically).
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
