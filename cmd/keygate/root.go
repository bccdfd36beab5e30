package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/internal/rootpath"
	buildversion "github.com/keygate/keygate/internal/version"
	"github.com/keygate/keygate/report"
	"github.com/keygate/keygate/source"
)

// version is this build's version, stamped by the release build
// (internal/version); reports, SARIF and rotation records carry it.
var version = buildversion.Get().Version

// Exit codes, for every command.
const (
	exitPass  = 0
	exitFail  = 1
	exitUsage = 2
)

type streams struct {
	in       io.Reader
	out, err io.Writer
}

// isTerminal reports whether w is a terminal (colour and progress only
// then; see terminal.go for the opt-outs).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// exitError carries an exit code; its message (if any) goes to stderr.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

// usageErr wraps a configuration or input error: exit 2.
func usageErr(err error) error { return &exitError{code: exitUsage, err: err} }

// app holds what every command shares.
type app struct {
	io       streams
	dir      string // -C
	noColour bool   // --no-color
}

// cwd resolves -C to an absolute directory: where relative PATH
// arguments start.
func (a *app) cwd() (string, error) {
	dir := a.dir
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return "", fmt.Errorf("-C %s: not a directory", dir)
	}
	return abs, nil
}

// args resolves PATH arguments once, for every command that takes them:
// relative to -C (or the working directory), as a shell user means them.
func (a *app) args(paths []string) ([]string, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	cwd, err := a.cwd()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = rootpath.Resolve(cwd, p)
	}
	return out, nil
}

// root is the repository's top directory when the working directory is
// inside a git work tree (so keygate works from any subdirectory), else the
// working directory. Configuration, scopes and report paths start there.
func (a *app) root() (string, error) {
	cwd, err := a.cwd()
	if err != nil {
		return "", err
	}
	if top := source.TopLevel(cwd); top != "" {
		return top, nil
	}
	return cwd, nil
}

// config loads .keygate.yaml from the root.
func (a *app) config() (string, *config.Config, error) {
	root, err := a.root()
	if err != nil {
		return "", nil, usageErr(err)
	}
	cfg, err := config.Load(root)
	if err != nil {
		return "", nil, usageErr(err)
	}
	return root, cfg, nil
}

func newRootCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keygate <command>",
		Short: "Keep exchange credentials out of git, docs, reports and logs",
		Long: `keygate finds credentials (Bitget and other exchange keys, passwords, tokens,
auth headers, private keys) in your docs, reports, logs, staged changes and git
history, gates commits and releases on them, and rotates keys safely.

Exit codes: 0 pass, 1 findings (or a failed rotation step), 2 usage,
configuration or input error. No output ever holds a secret value.`,
		Example: `  # The policy's pre-release hygiene check
  keygate scan --include-logs

  # Scan other files, or a stream
  keygate scan docs/runbook.md notes/
  kubectl logs deploy/bot1 | keygate scan --stdin

  # Check the rule pack's examples
  keygate rules test`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       buildversion.Get().Version,
	}
	// --version prints the same line as `keygate version`.
	cmd.SetVersionTemplate(buildversion.Get().String() + "\n")
	cmd.PersistentFlags().StringVarP(&a.dir, "directory", "C", "", "run as if keygate was started in `DIR`")
	cmd.PersistentFlags().BoolVar(&a.noColour, "no-color", false, "never colour the output (also: NO_COLOR=1 or TERM=dumb)")
	cmd.SetOut(a.io.out)
	cmd.SetErr(a.io.err)
	cmd.SetIn(a.io.in)
	cmd.AddCommand(newScanCmd(a), newRulesCmd(a), newBaselineCmd(a), newRedactCmd(a), newHookCmd(a), newVerifyCmd(a), newRotateCmd(a), newKeysCmd(a), newVersionCmd(a))
	return cmd
}

// run executes the CLI and returns the exit code.
func run(ctx context.Context, args []string, s streams) int {
	a := &app{io: s}
	cmd := newRootCmd(a)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return exitPass
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			// Messages quote paths and file names: escaped, so none can
			// rewrite the terminal or forge a line.
			fmt.Fprintf(s.err, "keygate: %s\n", report.Escape(ee.err.Error()))
		}
		return ee.code
	}
	// Cobra's own errors: unknown command or flag, wrong arguments.
	fmt.Fprintf(s.err, "keygate: %s\nRun 'keygate --help' for usage.\n", report.Escape(err.Error()))
	return exitUsage
}
