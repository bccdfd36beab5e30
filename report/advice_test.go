package report

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/scan"
)

func TestFixText(t *testing.T) {
	env := func(s string) *string { return &s }
	const secretHelp = "Revoke the credential where it was issued, rotate it (`keygate rotate` for a bot's Bitget keys), then remove it from the file and from git history."
	const keyHelp = "Revoke the key in Bitget's API management, then run `keygate rotate stage --bot BOTn` with a new key."
	for _, tt := range []struct {
		name string
		f    Finding
		mode scan.Mode
		help string
		want string
	}{
		{"live Bitget value: rotate that bot", Finding{RuleID: "known-credential-value", EnvName: env("BOT4_BITGET_PASSPHRASE")}, scan.ModePaths, "",
			"This is the live value of BOT4_BITGET_PASSPHRASE (the env file): rotate BOT4's Bitget keys now: `keygate rotate run --bot BOT4 --owner YOUR_NAME --keys-from new-keys.env` (new keys from Bitget's API management), then remove it from the file."},
		{"live value found by a rule", Finding{RuleID: "bitget-api-key", EnvName: env("BOT1_BITGET_API_KEY")}, scan.ModeStaged, keyHelp,
			"This is the live value of BOT1_BITGET_API_KEY (the env file): rotate BOT1's Bitget keys now: `keygate rotate run --bot BOT1 --owner YOUR_NAME --keys-from new-keys.env` (new keys from Bitget's API management), then remove it from the commit (edit the file, then git add it)."},
		{"live value of no bot", Finding{RuleID: "known-credential-value", EnvName: env("REDIS_PASSWORD")}, scan.ModePaths, "",
			"This is the live value of REDIS_PASSWORD (the env file): change it where it is issued, update the env file, restart what uses it, then remove it from the file."},
		{"live value in history: rotation is the fix", Finding{RuleID: "known-credential-value", EnvName: env("REDIS_PASSWORD")}, scan.ModeHistory, "",
			"This is the live value of REDIS_PASSWORD (the env file): change it where it is issued, update the env file, restart what uses it, then remove it from the file (the history keeps it: rotating is what makes it harmless)."},
		{"bot unknown: BOTn stays", Finding{RuleID: "bitget-api-key"}, scan.ModePaths, keyHelp, keyHelp},
		{"staged: from the commit", Finding{RuleID: "bitget-api-secret"}, scan.ModeStaged, secretHelp,
			"Revoke the credential where it was issued, rotate it (`keygate rotate` for a bot's Bitget keys), then remove it from the file and from the commit."},
		{"history: from history", Finding{RuleID: "bitget-api-secret"}, scan.ModeHistory, secretHelp, secretHelp},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, fixText(tt.f, tt.mode, tt.help))
		})
	}
}

// A live value and a blocked file are never offered an allow line.
func TestNoAllowForLiveValuesOrBlockedFiles(t *testing.T) {
	name := "BOT1_BITGET_API_SECRET"
	for _, f := range []Finding{
		{RuleID: "known-credential-value", Path: "docs/a.md", Line: 2, EnvName: &name, Source: "known-value", Help: "rotate"},
		{RuleID: "bitget-api-secret", Path: "docs/a.md", Line: 2, EnvName: &name, Source: "pattern", Help: "rotate"},
		{RuleID: scan.BlockedPathRuleID, Path: "env/.env", Line: 1, Source: scan.SourcePath},
	} {
		var b bytes.Buffer
		require.NoError(t, writeHints(&b, f))
		assert.NotContains(t, b.String(), "keygate:allow")
		assert.NotContains(t, b.String(), "baseline")
	}
}
