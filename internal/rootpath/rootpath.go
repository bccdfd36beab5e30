// Package rootpath is the one rule for where a path given relative to a
// root lies: configuration paths (env file, baseline, packs, state and
// report files) are relative to the repository's root, command-line paths
// to the working directory. An absolute path is taken as written, so a user
// can always point outside the root.
package rootpath

import "path/filepath"

// Resolve returns p if it is absolute, else p joined to root (cleaned).
func Resolve(root, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(root, p)
}
