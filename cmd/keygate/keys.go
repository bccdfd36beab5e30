package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/envfile"
	"github.com/keygate/keygate/internal/atomicfile"
	"github.com/keygate/keygate/internal/rootpath"
	"github.com/keygate/keygate/keyaudit"
	"github.com/keygate/keygate/rotate"
)

// keysAuditOptions are the flags of `keygate keys audit`.
type keysAuditOptions struct {
	bot, envFile, format, report string
}

func newKeysCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys <command>",
		Short: "Check the bots' exchange keys at the exchange",
	}
	var o keysAuditOptions
	audit := &cobra.Command{
		Use:   "audit",
		Short: "Ask the exchanges about each bot's keys: accepted, permissions, IP allowlist",
		Long: `Ask each exchange about each bot's key in env/.env (signed, read-only: Bitget
GET /api/v2/spot/account/info, Binance GET /sapi/v1/account/apiRestrictions,
OKX GET /api/v5/account/config, Bybit GET /v5/user/query-api): accepted or
rejected (and why), its permissions in words, and whether its IP allowlist is
on. Withdraw and transfer permissions, an empty allowlist and a rejected key are
violations (exchanges.<name> in .keygate.yaml). No value is ever printed or
written.

Exit codes: 0 every key passes, 1 a violation, 2 a key could not be checked
(an exchange unreachable, an unusable answer) or bad input.`,
		Example: `  keygate keys audit
  keygate keys audit --bot BOT4
  keygate keys audit --format json --report reports/security/keys-audit.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.keysAudit(cmd, o) },
	}
	audit.Flags().StringVar(&o.bot, "bot", "", "audit only this bot's key (`BOT1`)")
	audit.Flags().StringVar(&o.envFile, "env-file", "", "read the keys from `FILE` (default: env_file of .keygate.yaml)")
	audit.Flags().StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
	audit.Flags().StringVar(&o.report, "report", "", "also write the JSON report (promotion evidence, no values) to `FILE`")
	cmd.AddCommand(audit)
	return cmd
}

func (a *app) keysAudit(cmd *cobra.Command, o keysAuditOptions) error {
	if o.format != "text" && o.format != "json" {
		return usageErr(fmt.Errorf("--format %q: want text or json", o.format))
	}
	root, cfg, err := a.config()
	if err != nil {
		return err
	}
	bot := ""
	if o.bot != "" {
		if bot, err = rotate.NormalizeBot(o.bot); err != nil {
			return usageErr(err)
		}
	}
	envName := cfg.EnvFile
	if o.envFile != "" {
		envName = o.envFile
	}
	data, err := os.ReadFile(rootpath.Resolve(root, envName))
	if err != nil {
		return usageErr(fmt.Errorf("read env file %s: %w", envName, errors.Unwrap(err)))
	}
	env, err := envfile.Parse(envName, data)
	if err != nil {
		return usageErr(err)
	}
	targets, skipped, err := keyaudit.Targets(env, bot)
	noBitget := errors.Is(err, keyaudit.ErrNoKey)
	if err != nil && !noBitget {
		return usageErr(err)
	}
	exchanges, err := keyaudit.Exchanges(cfg.Exchanges)
	if err != nil {
		return usageErr(err)
	}
	var others []keyaudit.KeyTarget
	var othersSkipped []keyaudit.Skipped
	found := !noBitget
	for _, ex := range exchanges {
		ts, sk, err := ex.Targets(env, bot)
		if errors.Is(err, keyaudit.ErrNoKey) {
			continue
		}
		if err != nil {
			return usageErr(err)
		}
		found = true
		others, othersSkipped = append(others, ts...), append(othersSkipped, sk...)
	}
	if bot != "" && !found {
		return usageErr(fmt.Errorf("%s has no Bitget, Binance, OKX or Bybit key in %s", bot, envName))
	}
	if len(targets)+len(others) == 0 {
		return usageErr(fmt.Errorf("%s holds no whole exchange key (BOTn_BITGET_API_KEY, _API_SECRET, _PASSPHRASE; BOTn_BINANCE_API_KEY, _API_SECRET; BOTn_OKX_API_KEY, _API_SECRET, _PASSPHRASE; BOTn_BYBIT_API_KEY, _API_SECRET)", envName))
	}
	auditor, err := keyaudit.New(cfg.Exchanges.Bitget)
	if err != nil {
		return usageErr(err)
	}
	rep := auditor.Audit(cmd.Context(), targets, skipped, envName, version, time.Now())
	rep.AuditOthers(cmd.Context(), others, othersSkipped)
	if o.report != "" {
		var buf bytes.Buffer
		if err := rep.JSON(&buf); err != nil {
			return err
		}
		if err := atomicfile.Write(rootpath.Resolve(root, o.report), buf.Bytes(), 0o644); err != nil {
			return usageErr(err)
		}
	}
	if o.format == "json" {
		err = rep.JSON(a.io.out)
		for _, w := range rep.Warnings {
			fmt.Fprintf(a.io.err, "keygate: warning: %s\n", w)
		}
	} else {
		err = rep.Text(a.io.out)
	}
	if err != nil {
		return err
	}
	switch rep.Status {
	case keyaudit.StatusFail:
		return &exitError{code: exitFail}
	case keyaudit.StatusError:
		return &exitError{code: exitUsage}
	}
	return nil
}
