// Package hook installs keygate as a plain git pre-commit hook, for
// repositories that do not use the pre-commit framework. It writes the hook
// where git runs hooks, as git itself says (never a guess from the
// layout), proves that git runs it, never overwrites a hook it did not
// write unless told to, and never writes through a symlink.
package hook

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Marker identifies a hook file written by keygate.
const Marker = "# keygate: managed hook"

// ChainedName is the file a foreign hook is moved to by --chain.
const ChainedName = "pre-commit.keygate-chained"

// ErrForeignHook is returned when a hook that keygate did not write exists
// and Options neither chain nor force.
var ErrForeignHook = errors.New("a pre-commit hook that keygate did not write exists")

// ErrForceAndChain is returned for Options that both replace a foreign
// hook and keep it.
var ErrForceAndChain = errors.New("force and chain contradict each other: replace the hook, or keep it and chain it")

// Options for Install.
type Options struct {
	// Force overwrites a foreign hook; Chain keeps it and runs it first.
	Force, Chain bool
	// Command is how the hook starts keygate (default "keygate", from PATH).
	Command string
}

// Dir returns the directory git runs hooks from for the work tree that
// contains dir, as git itself resolves it (git rev-parse --git-path
// hooks): core.hooksPath from any config level, with ~ expanded and a
// relative path taken from the work tree's top, else the common git
// directory's hooks, which linked work trees share.
func Dir(dir string) (string, error) {
	cmd := exec.Command("git", "rev-parse", "--is-bare-repository", "--git-path", "hooks")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", fmt.Errorf("%s: %s", dir, msg)
		}
		return "", fmt.Errorf("%s: ask git where hooks live: %w", dir, err)
	}
	bare, hooks, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if bare == "true" {
		return "", fmt.Errorf("%s: a bare repository has no commits to hook", dir)
	}
	if !filepath.IsAbs(hooks) {
		hooks = filepath.Join(dir, hooks)
	}
	return filepath.Clean(hooks), nil
}

// Script is the hook's text.
func Script(command string, chained bool) string {
	var b strings.Builder
	b.WriteString("#!/bin/sh\n" + Marker + " (keygate hook install). Remove this file to uninstall.\n")
	// Install runs the hook through git once to prove git runs it.
	b.WriteString("if [ -n \"$" + probeEnv + "\" ]; then echo " + probeReply + "; exit 0; fi\n")
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
		return "", ErrForceAndChain
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
		return "", fmt.Errorf("%s: %w", path, ErrForeignHook)
	}
	// A hook that is a symlink (a hooks folder shared between
	// repositories) is replaced, never written through: its target is
	// someone else's file.
	if st, err := os.Lstat(path); err == nil && st.Mode()&os.ModeSymlink != 0 && !chained {
		if err := os.Remove(path); err != nil {
			return "", fmt.Errorf("replace the symlink %s: %w", path, err)
		}
	}
	if err := writeHook(path, []byte(Script(opts.Command, chained))); err != nil {
		return "", err
	}
	if err := verify(dir, path); err != nil {
		return path, err
	}
	return path, nil
}

// writeHook writes the hook file through a temporary file and a rename,
// so a symlink at path is replaced and never followed.
func writeHook(path string, script []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".pre-commit.keygate-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = tmp.Write(script)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o755)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// probeEnv makes the hook answer probeReply and exit before scanning.
const (
	probeEnv   = "KEYGATE_HOOK_PROBE"
	probeReply = "keygate-hook-probe-ok"
)

// ErrHookNotRun is returned when git does not run the hook just written.
var ErrHookNotRun = errors.New("git does not run the hook keygate wrote")

// verify asks git to run the pre-commit hook and checks that the one it
// runs is the one just written.
func verify(dir, path string) error {
	cmd := exec.Command("git", "hook", "run", "--ignore-missing", "pre-commit")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), probeEnv+"=1")
	out, err := cmd.CombinedOutput()
	if strings.Contains(string(out), probeReply) {
		return nil
	}
	if err != nil && strings.Contains(string(out), "git hook") && strings.Contains(string(out), "usage") {
		// git before 2.36 has no `git hook run`: the path git named is
		// the best proof there is.
		return nil
	}
	// What git said, quoted and cut short: whatever hook git ran instead
	// is not ours, and its output is not for a terminal as it is.
	said := strings.TrimSpace(string(out))
	if len(said) > 300 {
		said = "..." + said[len(said)-300:]
	}
	return fmt.Errorf("%s: %w (is core.hooksPath set at another level, or the file not executable?): git said %q", path, ErrHookNotRun, said)
}
