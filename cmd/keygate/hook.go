package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/hook"
)

func newHookCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hook",
		Short: "Install keygate as a git pre-commit hook",
	}
	var opts hook.Options
	install := &cobra.Command{
		Use:   "install",
		Short: "Write .git/hooks/pre-commit to run `keygate scan --staged`",
		Long: `Write a plain git pre-commit hook that runs 'keygate scan --staged' (keygate
from PATH). For repositories that use the pre-commit framework, add the
keygate hook to .pre-commit-config.yaml instead (see README).

An existing hook that keygate did not write is never overwritten silently:
--chain keeps it and runs it before keygate, --force replaces it.`,
		Example: "  keygate hook install\n  keygate hook install --chain",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cwd, err := a.cwd()
			if err != nil {
				return usageErr(err)
			}
			path, err := hook.Install(cwd, opts)
			if errors.Is(err, hook.ErrForceAndChain) {
				return usageErr(errors.New("--force and --chain contradict each other: replace the hook, or keep it and chain it"))
			}
			if errors.Is(err, hook.ErrForeignHook) {
				return &exitError{code: exitFail, err: fmt.Errorf("%w; run with --chain to keep it and run keygate after it, or --force to replace it", err)}
			}
			if err != nil {
				return usageErr(err)
			}
			fmt.Fprintf(a.io.out, "keygate: installed %s\n", path)
			return nil
		},
	}
	install.Flags().BoolVar(&opts.Force, "force", false, "replace an existing hook that keygate did not write")
	install.Flags().BoolVar(&opts.Chain, "chain", false, "keep an existing hook and run it before keygate")
	install.Flags().StringVar(&opts.Command, "command", "keygate", "how the hook starts keygate (a name on PATH or an absolute path)")
	cmd.AddCommand(install)
	return cmd
}
