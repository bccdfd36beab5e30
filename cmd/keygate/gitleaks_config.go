package main

import (
	"os"
	"path/filepath"

	"github.com/keygate/keygate/rules"
)

// gitleaksConfigFile is where gitleaks looks for its configuration.
const gitleaksConfigFile = ".gitleaks.toml"

// gitleaksConfigNotice says that a .gitleaks.toml at the root was found
// but not loaded, and how to load it. keygate does not load it on its own
// as gitleaks does: the file is in the change being judged, so a pull
// request could add one whose allowlists switch keygate's checks off.
// Loading it is the operator's choice, made in .keygate.yaml (which
// a range scan reads from the base) or on the command line.
func gitleaksConfigNotice(root string, pack *rules.Pack) string {
	path := filepath.Join(root, gitleaksConfigFile)
	if _, err := os.Lstat(path); err != nil {
		return ""
	}
	if pack != nil {
		for _, s := range pack.Sources {
			if filepath.Clean(s) == path || s == gitleaksConfigFile {
				return ""
			}
		}
	}
	return gitleaksConfigFile + " found at the root but not loaded (keygate never loads it on its own: a change could add one to switch checks off): to run its rules, add `rules: [" +
		gitleaksConfigFile + "]` to .keygate.yaml or give --rules " + gitleaksConfigFile + "; `keygate rules convert " + gitleaksConfigFile + "` shows what it becomes"
}
