package main

import (
	"bufio"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/engine"
	"github.com/keygate/keygate/internal/rootpath"
	"github.com/keygate/keygate/redact"
	"github.com/keygate/keygate/report"
)

func newRedactCmd(a *app) *cobra.Command {
	var envFile string
	var noEnvFile bool
	var extra []string
	cmd := &cobra.Command{
		Use:   "redact",
		Short: "Mask credentials in a text stream (stdin to stdout)",
		Long: `Copy standard input to standard output with every credential masked as
"****" plus at most its last four characters: the active values of the env
file (env_file in .keygate.yaml, or --env-file) in any encoding (raw, base64,
URL, JSON, shell, hex), and every secret the rule pack finds. Lines are kept:
the output has as many lines as the input, and each line is written as soon as
it is complete, so a live log stays live.`,
		Example: `  # A service's logs, before they reach disk
  python -m exchange_snapshot_service 2>&1 | keygate redact --env-file env/.env >> data/snap/logs/service.log

  # An incident note before it is shared
  keygate redact < draft.md > docs/incidents/2026-11-25-bot1.md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if envFile != "" && noEnvFile {
				return flagErr(fmt.Errorf("--env-file and --no-env-file contradict each other"))
			}
			root, cfg, err := a.config()
			if err != nil {
				return err
			}
			opts := engine.Options{Root: root, Config: cfg, ExtraRules: extra, NoEnvFile: noEnvFile, NoBaseline: true}
			if envFile != "" {
				opts.EnvFile = rootpath.Resolve(root, envFile)
			}
			setup, err := engine.Load(opts)
			if err != nil {
				return usageErr(err)
			}
			for _, w := range setup.Warnings {
				fmt.Fprintf(a.io.err, "keygate: warning: %s\n", report.Escape(w))
			}
			a.redactSource(root, cfg.EnvFile, noEnvFile, setup)
			r := redact.FromDetector(setup.Detector)
			out := bufio.NewWriterSize(a.io.out, 64<<10)
			w := r.Writer(flushWriter{out})
			if _, err := io.Copy(w, a.io.in); err != nil {
				return usageErr(fmt.Errorf("redact: %w", err))
			}
			if err := w.Close(); err != nil {
				return usageErr(fmt.Errorf("redact: %w", err))
			}
			return out.Flush()
		},
	}
	cmd.Flags().StringVar(&envFile, "env-file", "", "read active credential values from `FILE` (default: env_file when it exists)")
	cmd.Flags().BoolVar(&noEnvFile, "no-env-file", false, "mask pattern-rule secrets only")
	cmd.Flags().StringArrayVar(&extra, "rules", nil, "extra rule pack `FILE` (repeatable)")
	return cmd
}

// flushWriter flushes after every write, so each redacted line reaches the
// reader at once while large copies still go out in big writes.
type flushWriter struct{ w *bufio.Writer }

func (f flushWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if err != nil {
		return n, err
	}
	return n, f.w.Flush()
}

// redactSource says on stderr which active values redact masks: run
// outside the repository (or with the env file elsewhere), it would
// otherwise mask pattern-rule secrets only, silently, and a passphrase no
// pattern knows would pass through.
func (a *app) redactSource(root, configured string, noEnvFile bool, setup *engine.Engine) {
	switch {
	case noEnvFile:
		fmt.Fprintf(a.io.err, "keygate: redact: --no-env-file: masking what the rules find only (no active values)\n")
	case setup.EnvFile == "":
		fmt.Fprintf(a.io.err, "keygate: warning: redact: no env file (%s does not exist): masking what the rules find only; a passphrase or password no rule knows passes through: give --env-file FILE\n",
			report.Escape(rootpath.Resolve(root, configured)))
	case setup.KnownValues == 0:
		fmt.Fprintf(a.io.err, "keygate: warning: redact: %s holds no value of a secret_env variable: masking what the rules find only\n", report.Escape(setup.EnvFile))
	default:
		fmt.Fprintf(a.io.err, "keygate: redact: masking the active values of %s from %s, and what the rules find\n",
			report.Plural(setup.KnownValues, "variable", "variables"), report.Escape(setup.EnvFile))
	}
}
