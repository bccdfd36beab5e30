package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	// Registers gitleaks' TOML as a rule-pack format: --rules F.toml and
	// rules: entries of .keygate.yaml load through it.
	"github.com/keygate/keygate/rules/gitleaks"
)

func newRulesConvertCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "convert FILE.toml",
		Short: "Print a gitleaks TOML configuration as a keygate YAML rule pack",
		Long: `Convert a gitleaks configuration (.gitleaks.toml) into keygate's YAML rule
pack and print it. --rules accepts the TOML file directly; convert shows what
it becomes, or starts a YAML pack (add examples to each rule first).

Converted: [[rules]] id, description, regex, secretGroup, entropy, keywords,
path, tags (a tag critical, high, medium or low sets the severity); rule and
global allowlists (regexes, stopwords, paths, targetRules); [extend]
useDefault (keygate's default pack always runs). Anything keygate cannot
express exactly ([[rules.required]], regexTarget = "line", allowlist commits,
disabledRules, ...) is an error naming the file and line: exit 2.`,
		Example: "  keygate rules convert .gitleaks.toml > rules/ops.yaml\n  keygate scan --rules .gitleaks.toml",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			paths, err := a.args(args)
			if err != nil {
				return usageErr(err)
			}
			data, err := os.ReadFile(paths[0])
			if err != nil {
				return usageErr(fmt.Errorf("convert: %w", err))
			}
			out, err := gitleaks.Convert(args[0], data)
			if err != nil {
				return usageErr(err)
			}
			_, err = a.io.out.Write(out)
			return err
		},
	}
}
