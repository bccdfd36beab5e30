package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/rules"
)

func newRulesCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rule pack or test its examples",
	}
	var extra []string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the rules in effect (default pack, config packs, --rules)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pack, err := a.pack(extra)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.io.out, "%s %s (sha256 %s)\n", pack.Name, pack.Version, pack.SHA256)
			tw := tabwriter.NewWriter(a.io.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tKEYWORDS\tDESCRIPTION")
			for _, r := range pack.Rules {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, strings.Join(r.Keywords, ","), r.Description)
			}
			return tw.Flush()
		},
	}
	test := &cobra.Command{
		Use:   "test [FILE...]",
		Short: "Run every rule's examples and negative examples as self-tests",
		Long: `Run every rule's examples (each must be found) and negative_examples (none
may be found). Without FILE, tests the packs in effect; with FILE, tests those
packs merged over the default. Exit 1 when any example misbehaves.`,
		Example: "  keygate rules test\n  keygate rules test rules/ops.yaml",
		RunE: func(cmd *cobra.Command, files []string) error {
			pack, err := a.pack(append(extra, files...))
			if err != nil {
				return err
			}
			d, err := detector.New(pack)
			if err != nil {
				return usageErr(err)
			}
			failures, checked, err := rules.RunExamples(pack, d)
			if err != nil {
				return usageErr(err)
			}
			for _, f := range failures {
				what := "example did not match"
				if f.Negative {
					what = "negative example matched"
				}
				// The example's text is not echoed: a pack author may have
				// pasted a live value into it.
				fmt.Fprintf(a.io.out, "FAIL %s:%d: rule %s: %s (example %d chars)\n", f.File, f.Line, f.RuleID, what, len(f.Example))
			}
			fmt.Fprintf(a.io.out, "%d passed, %d failed\n", checked-len(failures), len(failures))
			if len(failures) > 0 {
				return &exitError{code: exitFail}
			}
			return nil
		},
	}
	cmd.PersistentFlags().StringArrayVar(&extra, "rules", nil, "extra rule pack `FILE` merged over the default (repeatable)")
	cmd.AddCommand(list, test, newRulesConvertCmd(a))
	return cmd
}

// pack loads the default pack, the config's packs and extra ones.
func (a *app) pack(extra []string) (*rules.Pack, error) {
	root, cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	var files []string
	for _, p := range cfg.Rules {
		files = append(files, abs(root, p))
	}
	pack, err := rules.LoadWithExtras(append(files, extra...))
	if err != nil {
		return nil, usageErr(err)
	}
	return pack, nil
}
