// Package hook installs keygate as plain git hooks, for repositories that
// do not use the pre-commit framework: pre-commit and pre-push in a clone,
// pre-receive on a server's bare repository. It writes each hook where git
// runs hooks, as git itself says (never a guess from the layout), proves
// that git runs it without anything a user could set to skip it, never
// overwrites a hook it did not write unless told to, never writes through
// a symlink, and undoes exactly what it did. It also reads the ref
// updates git hands the push hooks (updates.go).
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

// ErrForeignHook is wrapped by a *ForeignHookError: a hook that keygate
// did not write exists and Options neither chain nor force.
var ErrForeignHook = errors.New("a hook that keygate did not write exists")

// ForeignHookError names the hook that is in the way.
type ForeignHookError struct {
	Path string
	Kind Kind
}

func (e *ForeignHookError) Error() string {
	return fmt.Sprintf("%s: a %s hook that keygate did not write exists", e.Path, e.Kind)
}

// Is makes errors.Is(err, ErrForeignHook) hold.
func (e *ForeignHookError) Is(target error) bool { return target == ErrForeignHook }

// ErrForceAndChain is returned for Options that both replace a foreign
// hook and keep it.
var ErrForceAndChain = errors.New("force and chain contradict each other: replace the hook, or keep it and chain it")

// ErrBareClientHook is returned for a clone's hook (pre-commit, pre-push)
// asked of a bare repository, where nobody commits or pushes from.
var ErrBareClientHook = errors.New("a bare repository has no commits to hook: it takes the pre-receive hook")

// Options for Install.
type Options struct {
	// Force overwrites a foreign hook; Chain keeps it and runs it first.
	Force, Chain bool
	// Command is how the hook starts keygate (default "keygate", from PATH).
	Command string
	// Kinds to install; empty: ClientKinds in a clone, ServerKinds in a
	// bare repository.
	Kinds []Kind
}

// Location is where git runs a repository's hooks.
type Location struct {
	Dir  string
	Bare bool
}

// Path is the file git runs for kind.
func (l Location) Path(k Kind) string { return filepath.Join(l.Dir, string(k)) }

// Locate asks git where the repository containing dir runs hooks (git
// rev-parse --git-path hooks): core.hooksPath from any config level, with
// ~ expanded and a relative path taken from the work tree's top, else the
// common git directory's hooks, which linked work trees share.
func Locate(dir string) (Location, error) {
	cmd := exec.Command("git", "rev-parse", "--is-bare-repository", "--git-path", "hooks")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return Location{}, fmt.Errorf("%s: %s", dir, msg)
		}
		return Location{}, fmt.Errorf("%s: ask git where hooks live: %w", dir, err)
	}
	bare, hooks, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if !filepath.IsAbs(hooks) {
		hooks = filepath.Join(dir, hooks)
	}
	return Location{Dir: filepath.Clean(hooks), Bare: bare == "true"}, nil
}

// Dir returns the directory git runs a clone's hooks from (see Locate);
// a bare repository is an error.
func Dir(dir string) (string, error) {
	loc, err := Locate(dir)
	if err != nil {
		return "", err
	}
	if loc.Bare {
		return "", fmt.Errorf("%s: %w", dir, ErrBareClientHook)
	}
	return loc.Dir, nil
}

// Script is the text of a hook of kind k that starts keygate with
// command, running a chained original hook first.
func Script(k Kind, command string, chained bool) string {
	var b strings.Builder
	b.WriteString("#!/bin/sh\n" + Marker + " (keygate hook install). Remove with: keygate hook uninstall\n")
	// Install and Status prove that git runs this very file: they write a
	// one-time nonce beside it and have git run it with the nonce as the
	// only argument. Nothing in the environment, and no argument git
	// gives a hook, can make it skip the scan.
	b.WriteString("# To skip it once on purpose: git commit --no-verify / git push --no-verify (CI scans again).\n")
	fmt.Fprintf(&b, "if [ \"$#\" -eq 1 ] && [ -f \"$0.keygate-probe\" ] && [ \"$1\" = \"%s$(cat \"$0.keygate-probe\")\" ]; then echo \"%s $1\"; exit 0; fi\n", probeArg, probeReply)
	fmt.Fprintf(&b, "if ! command -v %s >/dev/null 2>&1; then\n", command)
	b.WriteString("  echo 'keygate: not found on PATH; install it with: go install github.com/keygate/keygate/cmd/keygate@latest' >&2\n  exit 1\nfi\n")
	if chained {
		b.WriteString(`hooks=$(dirname "$0")` + "\n")
		chain := `"$hooks/` + k.ChainedName() + `" "$@"`
		if k.readsStdin() {
			// Both read git's ref lines: keep them for the second.
			b.WriteString("input=$(cat)\n")
			b.WriteString(`printf '%s\n' "$input" | ` + chain + " || exit $?\n")
			fmt.Fprintf(&b, "printf '%%s\\n' \"$input\" | exec %s %s\n", command, k.Args())
			return b.String()
		}
		b.WriteString(chain + " || exit $?\n")
	}
	fmt.Fprintf(&b, "exec %s %s\n", command, k.Args())
	return b.String()
}

// Install writes the hooks of opts.Kinds and returns their paths. No hook
// is written unless every one can be: a foreign hook in the way of one
// leaves all untouched.
func Install(dir string, opts Options) ([]string, error) {
	if opts.Force && opts.Chain {
		return nil, ErrForceAndChain
	}
	if opts.Command == "" {
		opts.Command = "keygate"
	}
	loc, err := Locate(dir)
	if err != nil {
		return nil, err
	}
	kinds := opts.Kinds
	if len(kinds) == 0 {
		kinds = ClientKinds
		if loc.Bare {
			kinds = ServerKinds
		}
	}
	for _, k := range kinds {
		if loc.Bare && !k.server() {
			return nil, fmt.Errorf("%s: %s: %w", dir, k, ErrBareClientHook)
		}
	}
	if err := os.MkdirAll(loc.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", loc.Dir, err)
	}
	// First what each hook file holds, then the writes.
	chain := map[Kind]bool{}
	keep := map[Kind]bool{}
	for _, k := range kinds {
		path := loc.Path(k)
		existing, err := os.ReadFile(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return nil, fmt.Errorf("read %s: %w", path, err)
		case bytes.Contains(existing, []byte(Marker)):
			// Ours: rewrite it, keeping a chain we set up before.
			keep[k] = bytes.Contains(existing, []byte(k.ChainedName()))
		case opts.Chain:
			if _, err := os.Lstat(filepath.Join(loc.Dir, k.ChainedName())); err == nil {
				return nil, fmt.Errorf("%s: a hook is already chained there; move it away first", filepath.Join(loc.Dir, k.ChainedName()))
			}
			chain[k] = true
		case !opts.Force:
			return nil, &ForeignHookError{Path: path, Kind: k}
		}
	}
	var paths []string
	for _, k := range kinds {
		path := loc.Path(k)
		if chain[k] {
			// A symlinked hook moves as a link: its target stays someone
			// else's file, and uninstall moves it back as it was.
			if err := os.Rename(path, filepath.Join(loc.Dir, k.ChainedName())); err != nil {
				return paths, fmt.Errorf("keep the existing hook: %w", err)
			}
		}
		if err := writeHook(path, []byte(Script(k, opts.Command, chain[k] || keep[k]))); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	for i, k := range kinds {
		if err := probe(dir, loc, k); err != nil {
			return paths[:i+1], err
		}
	}
	return paths, nil
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
