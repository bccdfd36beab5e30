// Package hook installs keygate as a plain git pre-commit hook, for
// repositories that do not use the pre-commit framework.
package hook

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
)

// Marker identifies a hook file written by keygate.
const Marker = "# keygate: managed hook"

// ChainedName is the file a foreign hook is moved to by --chain.
const ChainedName = "pre-commit.keygate-chained"

// ErrForeignHook is returned when a hook that keygate did not write exists.
var ErrForeignHook = errors.New("a pre-commit hook that keygate did not write exists")

// Options for Install.
type Options struct {
	// Force overwrites a foreign hook; Chain keeps it and runs it first.
	Force, Chain bool
	// Command is how the hook starts keygate (default "keygate", from PATH).
	Command string
}

// Dir returns the hooks directory of the repository containing dir:
// core.hooksPath when set, else the git directory's hooks.
func Dir(dir string) (string, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		return "", fmt.Errorf("%s: not a git repository (or any parent): %w", dir, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return "", fmt.Errorf("a bare repository has no commits to hook: %w", err)
	}
	root := wt.Filesystem.Root()
	cfg, err := repo.Config()
	if err != nil {
		return "", fmt.Errorf("read git config: %w", err)
	}
	if hp := cfg.Raw.Section("core").Option("hooksPath"); hp != "" {
		if !filepath.IsAbs(hp) {
			hp = filepath.Join(root, hp)
		}
		return hp, nil
	}
	gitDir := filepath.Join(root, ".git")
	if st, err := os.Stat(gitDir); err == nil && !st.IsDir() {
		// A worktree or submodule: .git is a file naming the git dir.
		data, err := os.ReadFile(gitDir)
		if err != nil {
			return "", err
		}
		line := strings.TrimSpace(string(data))
		d, ok := strings.CutPrefix(line, "gitdir: ")
		if !ok {
			return "", fmt.Errorf("%s: not a gitdir file", gitDir)
		}
		if !filepath.IsAbs(d) {
			d = filepath.Join(root, d)
		}
		gitDir = d
	}
	return filepath.Join(gitDir, "hooks"), nil
}

// Script is the hook's text.
func Script(command string, chained bool) string {
	var b strings.Builder
	b.WriteString("#!/bin/sh\n" + Marker + " (keygate hook install). Remove this file to uninstall.\n")
	if chained {
		b.WriteString(`hooks=$(dirname "$0")` + "\n")
		b.WriteString(`"$hooks/` + ChainedName + `" "$@" || exit $?` + "\n")
	}
	fmt.Fprintf(&b, "if ! command -v %s >/dev/null 2>&1; then\n", command)
	b.WriteString("  echo 'keygate: not found on PATH; install it with: go install github.com/keygate/keygate/cmd/keygate@latest' >&2\n  exit 1\nfi\n")
	fmt.Fprintf(&b, "exec %s scan --staged\n", command)
	return b.String()
}

// Install writes the pre-commit hook and returns its path.
func Install(dir string, opts Options) (string, error) {
	if opts.Force && opts.Chain {
		return "", errors.New("--force and --chain contradict each other: replace the hook, or keep it and chain it")
	}
	if opts.Command == "" {
		opts.Command = "keygate"
	}
	hooks, err := Dir(dir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(hooks, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", hooks, err)
	}
	path := filepath.Join(hooks, "pre-commit")
	existing, err := os.ReadFile(path)
	chained := false
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return "", fmt.Errorf("read %s: %w", path, err)
	case bytes.Contains(existing, []byte(Marker)):
		// Ours: rewrite it, keeping a chain we set up before.
		chained = bytes.Contains(existing, []byte(ChainedName))
	case opts.Chain:
		if err := os.Rename(path, filepath.Join(hooks, ChainedName)); err != nil {
			return "", fmt.Errorf("keep the existing hook: %w", err)
		}
		chained = true
	case !opts.Force:
		return "", fmt.Errorf("%s: %w; run with --chain to keep it and run keygate after it, or --force to replace it", path, ErrForeignHook)
	}
	if err := os.WriteFile(path, []byte(Script(opts.Command, chained)), 0o755); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, os.Chmod(path, 0o755)
}
