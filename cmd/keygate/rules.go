package main

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/engine"
	"github.com/keygate/keygate/report"
	"github.com/keygate/keygate/rules"
)

func newRulesCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rule pack or test its examples",
	}
	var extra []string
	var family string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the rules in effect (default pack, config packs, --rules), by family",
		Long: `List the rules in effect, grouped by family (cloud, vcs, exchanges, wallets...),
then a count per family. A rule of an extra pack without a family is listed
under "-".`,
		Example: "  keygate rules list\n  keygate rules list --family exchanges",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pack, err := a.pack(extra)
			if err != nil {
				return err
			}
			groups := byFamily(pack.Rules)
			if family != "" {
				if _, ok := groups[family]; !ok {
					return usageErr(fmt.Errorf("--family %s: no such family (have %s)", family, strings.Join(familyNames(groups), ", ")))
				}
				groups = map[string][]*rules.Rule{family: groups[family]}
			}
			// A pack from the repository's configuration is outside text.
			fmt.Fprintf(a.io.out, "%s %s (sha256 %s)\n", report.Escape(pack.Name), report.Escape(pack.Version), pack.SHA256)
			tw := tabwriter.NewWriter(a.io.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "FAMILY\tID\tSEVERITY\tKEYWORDS\tDESCRIPTION")
			var counts []string
			for _, f := range familyNames(groups) {
				for _, r := range groups[f] {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", report.Escape(f), report.Escape(r.ID), r.Severity, report.Escape(strings.Join(r.Keywords, ",")), report.Escape(r.Description))
				}
				counts = append(counts, fmt.Sprintf("%s %d", f, len(groups[f])))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			n := 0
			for _, g := range groups {
				n += len(g)
			}
			ruleWord, famWord := "rules", "families"
			if n == 1 {
				ruleWord = "rule"
			}
			if len(groups) == 1 {
				famWord = "family"
			}
			fmt.Fprintf(a.io.out, "%d %s in %d %s: %s\n", n, ruleWord, len(groups), famWord, strings.Join(counts, ", "))
			return nil
		},
	}
	list.Flags().StringVar(&family, "family", "", "list only the rules of family `NAME`")
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
				fmt.Fprintf(a.io.out, "FAIL %s:%d: rule %s: %s (example %d chars)\n", report.Escape(f.File), f.Line, report.Escape(f.RuleID), what, len(f.Example))
			}
			// A converted pack's rules may have none: nothing proves they
			// match what they should, which the author must hear.
			for _, r := range pack.Rules {
				if len(r.Examples) == 0 {
					fmt.Fprintf(a.io.err, "keygate: warning: %s:%d: rule %s has no examples: nothing checks that it finds what it should; add examples and negative_examples\n",
						report.Escape(r.File), r.Line, report.Escape(r.ID))
				}
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
	pack, err := engine.LoadPack(engine.Options{Root: root, Config: cfg, ExtraRules: extra})
	if err != nil {
		return nil, usageErr(err)
	}
	return pack, nil
}

// noFamily names the group of rules that declare no family.
const noFamily = "-"

// byFamily groups rules by family, keeping pack order within a family.
func byFamily(rs []rules.Rule) map[string][]*rules.Rule {
	out := map[string][]*rules.Rule{}
	for i := range rs {
		f := rs[i].Family
		if f == "" {
			f = noFamily
		}
		out[f] = append(out[f], &rs[i])
	}
	return out
}

// familyNames returns the groups' names, sorted.
func familyNames(groups map[string][]*rules.Rule) []string {
	names := make([]string, 0, len(groups))
	for f := range groups {
		names = append(names, f)
	}
	sort.Strings(names)
	return names
}
