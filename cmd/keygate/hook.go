package main

import (
	"errors"
	"fmt"
	"os/exec"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/hook"
	"github.com/keygate/keygate/report"
)

func newHookCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hook",
		Short: "Install keygate as git hooks: pre-commit and pre-push, or pre-receive on a server",
	}
	cmd.AddCommand(newHookInstallCmd(a), newHookUninstallCmd(a), newHookStatusCmd(a),
		newPrePushCmd(a), newPreReceiveCmd(a), newUpdateHookCmd(a))
	return cmd
}

// hookKinds turns the --pre-commit-only and --pre-push-only flags into the
// kinds asked for (nil: the default for the repository).
func hookKinds(preCommitOnly, prePushOnly bool) ([]hook.Kind, error) {
	switch {
	case preCommitOnly && prePushOnly:
		return nil, errors.New("--pre-commit-only and --pre-push-only contradict each other: leave both out for both hooks")
	case preCommitOnly:
		return []hook.Kind{hook.PreCommit}, nil
	case prePushOnly:
		return []hook.Kind{hook.PrePush}, nil
	}
	return nil, nil
}

func newHookInstallCmd(a *app) *cobra.Command {
	var opts hook.Options
	var preCommitOnly, prePushOnly bool
	install := &cobra.Command{
		Use:   "install",
		Short: "Write the pre-commit and pre-push hooks (pre-receive in a bare repository)",
		Long: `Write plain git hooks that run keygate (from PATH, or --command):

  pre-commit   'keygate scan --staged': what the commit adds
  pre-push     'keygate hook pre-push': every commit the push would add to
               the remote, whichever way it was made (rebase, cherry-pick,
               merge, pull, am, revert, commit-tree), each secret once

In a bare repository (a self-hosted server) it writes the pre-receive hook
('keygate hook pre-receive'), which refuses a push that adds a secret.

Each hook is written where git runs hooks (core.hooksPath included) and
then run once through git to prove git runs it: install writes a one-time
nonce beside the hook, has git run the hook with it, and removes it. No
environment variable turns the hooks off. To skip them once, on purpose:
git commit --no-verify, git push --no-verify; CI scans the pull request
again, and is the backstop.

An existing hook that keygate did not write is never overwritten silently:
--chain keeps it and runs it before keygate, --force replaces it.
'keygate hook uninstall' removes what install wrote and puts a chained hook
back as it was.

For repositories that use the pre-commit framework, add the keygate and
keygate-push hooks to .pre-commit-config.yaml instead (see README).`,
		Example: "  keygate hook install\n  keygate hook install --chain\n  keygate hook install --pre-commit-only",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kinds, err := hookKinds(preCommitOnly, prePushOnly)
			if err != nil {
				return usageErr(err)
			}
			opts.Kinds = kinds
			cwd, err := a.cwd()
			if err != nil {
				return usageErr(err)
			}
			paths, err := hook.Install(cwd, opts)
			for _, p := range paths {
				fmt.Fprintf(a.io.out, "keygate: installed %s\n", p)
			}
			switch {
			case errors.Is(err, hook.ErrForceAndChain):
				return usageErr(errors.New("--force and --chain contradict each other: replace the hook, or keep it and chain it"))
			case errors.Is(err, hook.ErrForeignHook):
				// Nothing was written: an input to resolve, not a finding.
				return usageErr(fmt.Errorf("%w; run with --chain to keep it and run keygate after it, or --force to replace it", err))
			case errors.Is(err, hook.ErrBareClientHook):
				return usageErr(fmt.Errorf("%w ('keygate hook install' there, without --pre-commit-only or --pre-push-only)", err))
			case err != nil:
				return usageErr(err)
			}
			if _, err := exec.LookPath(opts.Command); err != nil {
				// The hooks fail closed without it: every commit and push
				// would be refused with no scan, which reads as a broken tool.
				fmt.Fprintf(a.io.err, "keygate: warning: %s is not on PATH here: the hooks refuse every commit and push until it is (install keygate, or install the hooks again with --command /absolute/path/to/keygate)\n", report.Escape(opts.Command))
			}
			return nil
		},
	}
	fl := install.Flags()
	fl.BoolVar(&opts.Force, "force", false, "replace an existing hook that keygate did not write")
	fl.BoolVar(&opts.Chain, "chain", false, "keep an existing hook and run it before keygate")
	fl.StringVar(&opts.Command, "command", "keygate", "how the hook starts keygate (a name on PATH or an absolute path)")
	fl.BoolVar(&preCommitOnly, "pre-commit-only", false, "install the pre-commit hook only")
	fl.BoolVar(&prePushOnly, "pre-push-only", false, "install the pre-push hook only")
	return install
}

func newHookUninstallCmd(a *app) *cobra.Command {
	var preCommitOnly, prePushOnly bool
	cmd := &cobra.Command{
		Use:   "uninstall",
		Short: "Remove the hooks keygate wrote, and put a chained hook back as it was",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kinds, err := hookKinds(preCommitOnly, prePushOnly)
			if err != nil {
				return usageErr(err)
			}
			cwd, err := a.cwd()
			if err != nil {
				return usageErr(err)
			}
			removed, err := hook.Uninstall(cwd, kinds)
			for _, r := range removed {
				switch {
				case r.Left:
					fmt.Fprintf(a.io.out, "keygate: left %s alone: keygate did not write it\n", r.Path)
				case r.Restored:
					fmt.Fprintf(a.io.out, "keygate: removed %s and put back the hook it ran first\n", r.Path)
				default:
					fmt.Fprintf(a.io.out, "keygate: removed %s\n", r.Path)
				}
			}
			if err != nil {
				return usageErr(err)
			}
			if len(removed) == 0 {
				fmt.Fprintln(a.io.out, "keygate: no keygate hook is installed")
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&preCommitOnly, "pre-commit-only", false, "remove the pre-commit hook only")
	cmd.Flags().BoolVar(&prePushOnly, "pre-push-only", false, "remove the pre-push hook only")
	return cmd
}

func newHookStatusCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Say which hooks are installed, where, and whether git runs them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cwd, err := a.cwd()
			if err != nil {
				return usageErr(err)
			}
			hooks, err := hook.Status(cwd)
			if err != nil {
				return usageErr(err)
			}
			broken := false
			for _, h := range hooks {
				line := fmt.Sprintf("%-12s %s: %s", h.Kind, h.State, h.Path)
				if h.Chained != "" {
					line += ", runs " + h.Chained + " first"
				}
				if h.Runs != nil {
					switch {
					case *h.Runs:
						line += "; git runs it"
					case h.RunErr == nil:
						line += "; this git cannot say whether it runs it (no `git hook run`)"
					default:
						line += "; GIT DOES NOT RUN IT: " + h.RunErr.Error()
						broken = true
					}
				}
				fmt.Fprintln(a.io.out, escapeLine(line))
			}
			if broken {
				return &exitError{code: exitUsage}
			}
			return nil
		},
	}
}
