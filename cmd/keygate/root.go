package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

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
	// help: a misuse of the command's flags or arguments, so the message
	// ends with where that command's usage is (`keygate scan --help`).
	help bool
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

// usageErr wraps a configuration or input error: exit 2.
func usageErr(err error) error { return &exitError{code: exitUsage, err: err} }

// flagErr wraps a misuse of a command's flags or arguments (a bad value,
// flags that contradict each other): exit 2, pointing at its help.
func flagErr(err error) error { return &exitError{code: exitUsage, err: err, help: true} }

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
	st, err := os.Stat(abs)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "", fmt.Errorf("-C %s: no such directory", dir)
	case err != nil:
		return "", fmt.Errorf("-C %s: %w", dir, err)
	case !st.IsDir():
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
	cmd.InitDefaultCompletionCmd()
	refuseUnknownSubcommands(cmd)
	return cmd
}

// refuseUnknownSubcommands makes the root and every command group (a
// command with subcommands and no action of its own) refuse a word that
// names none of its subcommands: cobra prints such a group's help and
// exits 0, so `keygate rules tset && deploy` would deploy. Alone, a group
// still prints its help.
func refuseUnknownSubcommands(c *cobra.Command) {
	for _, sub := range c.Commands() {
		refuseUnknownSubcommands(sub)
	}
	if !c.HasSubCommands() || c.Runnable() {
		return
	}
	// Args set: cobra's own check (root only, with its message) is off.
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		return &unknownCommandError{cmd: cmd, name: args[0]}
	}
}

// unknownCommandError is a word that names no subcommand of cmd.
type unknownCommandError struct {
	cmd  *cobra.Command
	name string
}

func (e *unknownCommandError) Error() string {
	msg := fmt.Sprintf("unknown command %q for %q", e.name, e.cmd.CommandPath())
	if e.cmd.SuggestionsMinimumDistance <= 0 {
		e.cmd.SuggestionsMinimumDistance = 2 // cobra's default, set only on its own path
	}
	if s := e.cmd.SuggestionsFor(e.name); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return msg
}

// run executes the CLI and returns the exit code.
func run(ctx context.Context, args []string, s streams) int {
	a := &app{io: s}
	cmd := newRootCmd(a)
	cmd.SetArgs(args)
	failed, err := cmd.ExecuteContextC(ctx)
	if err == nil {
		return exitPass
	}
	// Usage help of the command that failed: `keygate scan --help`.
	help := "keygate --help"
	if failed != nil {
		help = failed.CommandPath() + " --help"
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			// Messages quote paths and file names: escaped, so none can
			// rewrite the terminal or forge a line.
			for _, msg := range errorLines(ee.err) {
				fmt.Fprintf(s.err, "keygate: %s\n", report.Escape(msg))
			}
			if ee.help {
				fmt.Fprintf(s.err, "Run '%s' for usage.\n", help)
			}
		}
		return ee.code
	}
	// Cobra's own errors and ours of the same kind: unknown command or
	// flag, wrong arguments. One line each, escaped: cobra's own
	// suggestion text holds newlines and tabs, which Escape would spell.
	fmt.Fprintf(s.err, "keygate: %s\nRun '%s' for usage.\n", report.Escape(err.Error()), help)
	return exitUsage
}

// errorLines is one message per error of a joined error (a rule pack's or a
// configuration's several problems, each naming its file and line), so each
// gets its own line instead of a "\n" spelled out by Escape.
func errorLines(err error) []string {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, errorLines(e)...)
		}
		return out
	}
	return []string{err.Error()}
}
