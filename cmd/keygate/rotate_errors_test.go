package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/rotate"
)

// said is an error that says msg and matches kind, as rotate's errors
// whose way out the CLI adds.
type said struct {
	msg  string
	kind error
}

func (e said) Error() string        { return e.msg }
func (e said) Is(target error) bool { return target == e.kind }

// rotate's errors speak of owners, bots, audits and attestations; the CLI
// says them with the flags its user typed or can type, and the exit code.
func TestRotateErrNamesFlags(t *testing.T) {
	t.Parallel()
	_, badBot := rotate.NormalizeBot("robot 1")
	require.ErrorIs(t, badBot, rotate.ErrBadBot)
	tests := []struct {
		name string
		err  error
		want string
		code int
	}{
		{"no owner", fmt.Errorf("%w: the rotation record names who did it", rotate.ErrNoOwner),
			"--owner: an owner is required: the rotation record names who did it", exitUsage},
		{"no owner nor reason", fmt.Errorf("%w and %w: the incident note names who and why", rotate.ErrNoOwner, rotate.ErrNoReason),
			"--reason: --owner: an owner is required and a reason is required: the incident note names who and why", exitUsage},
		{"bad bot", badBot, `--bot: bad bot "robot 1": want a bot prefix such as BOT1`, exitUsage},
		{"another bot's variable", &rotate.ForeignVariableError{Var: "BOT2_BITGET_API_KEY", Bot: "BOT1"},
			"BOT2_BITGET_API_KEY is not a variable of BOT1: --bot BOT1 owns BOT1_* only", exitUsage},
		{"another bot's variable, with context", fmt.Errorf("new keys: %w", &rotate.ForeignVariableError{Var: "BOT2_X", Bot: "BOT1"}),
			"new keys: BOT2_X is not a variable of BOT1: --bot BOT1 owns BOT1_* only", exitUsage},
		{"Bitget cannot audit", said{"could not audit the new key of BOT1 at Bitget: connection refused; env/.env is untouched", rotate.ErrAuditUnavailable},
			`could not audit the new key of BOT1 at Bitget: connection refused; env/.env is untouched. If Bitget is down, stage with --skip-audit "REASON" (recorded) and run keygate keys audit later`, exitUsage},
		{"revocation unproven", said{"could not verify that the old key of BOT1 is revoked: timeout", rotate.ErrRevocationUnproven},
			"could not verify that the old key of BOT1 is revoked: timeout. Run keygate rotate finalize again when Bitget answers, or attest the revocation with --old-keys-revoked", exitUsage},
		{"a refused step keeps its words", &rotate.StepError{Msg: "the old key of BOT1 is still accepted: revoke it at the exchange"},
			"the old key of BOT1 is still accepted: revoke it at the exchange", exitFail},
		{"anything else is bad input", errors.New("read env/.env: permission denied"), "read env/.env: permission denied", exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rotateErr(tt.err)
			require.Error(t, got)
			assert.Equal(t, tt.want, got.Error())
			var ee *exitError
			require.ErrorAs(t, got, &ee)
			assert.Equal(t, tt.code, ee.code)
			assert.ErrorIs(t, ee.err, tt.err, "the library's error stays in the chain")
		})
	}
	assert.NoError(t, rotateErr(nil))
}

// Every input rotate names in progress lines, status and notes is a flag
// of the command that takes it.
func TestRotateFlagOfInput(t *testing.T) {
	t.Parallel()
	a := &app{}
	tests := []struct {
		in   rotate.Input
		cmd  *cobra.Command
		flag string
	}{
		{rotate.InputSkipAudit, newRotateStageCmd(a, nil), "--skip-audit"},
		{rotate.InputSkipAudit, newRotateBreakGlassCmd(a, nil), "--skip-audit"},
		{rotate.InputRevocationAttested, newRotateFinalizeCmd(a, nil), "--old-keys-revoked"},
	}
	for _, tt := range tests {
		t.Run(string(tt.in), func(t *testing.T) {
			assert.Equal(t, tt.flag, rotateFlag(tt.in))
			assert.NotNil(t, tt.cmd.Flags().Lookup(tt.flag[2:]), "%s has %s", tt.cmd.Name(), tt.flag)
		})
	}
	assert.Empty(t, rotateFlag("an input rotate does not have"), "unknown inputs keep rotate's words")
}

// Every step rotate recommends is spelled as a command line this CLI
// takes: the subcommand exists and parses its flags.
func TestRotateCommandOfStep(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		step rotate.Step
		want string
	}{
		{rotate.StepAuditKeys, "keygate keys audit --bot BOT1"},
		{rotate.StepDrill, "keygate rotate drill --bot BOT1"},
		{rotate.StepHygieneScan, "keygate scan --include-logs"},
	} {
		t.Run(string(tt.step), func(t *testing.T) {
			line := rotateCommand(tt.step, "BOT1")
			assert.Equal(t, tt.want, line)
			args := strings.Fields(line)[1:]
			root := newRootCmd(&app{})
			cmd, rest, err := root.Find(args)
			require.NoError(t, err)
			assert.NotEqual(t, root, cmd, "%q names a subcommand", line)
			require.NoError(t, cmd.ParseFlags(rest), "%q parses", line)
		})
	}
	assert.Empty(t, rotateCommand("a step rotate does not have", "BOT1"), "unknown steps keep rotate's words")
}

// rotate check's fixes name the configuration or rotate's input; the CLI
// names its flag where one fixes the check too.
func TestFlagFixes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		item rotate.CheckItem
		want string
	}{
		{"no owner", rotate.CheckItem{ID: "owner", Status: rotate.CheckFail, Fix: "set rotate.owner in .keygate.yaml"},
			"set rotate.owner in .keygate.yaml (or pass --owner)"},
		{"no bot", rotate.CheckItem{ID: "keys", Status: rotate.CheckFail, Fix: "name the bot, or add its BOT1_BITGET_* variables"},
			"name the bot with --bot BOT1, or add its BOT1_BITGET_* variables"},
		{"a passing check keeps its words", rotate.CheckItem{ID: "owner", Status: rotate.CheckPass}, ""},
		{"other checks keep theirs", rotate.CheckItem{ID: "drill:BOT1", Status: rotate.CheckWarn, Fix: "find what slows the restart, then drill again"},
			"find what slows the restart, then drill again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &rotate.CheckResult{Checks: []rotate.CheckItem{tt.item}}
			flagFixes(res)
			assert.Equal(t, tt.want, res.Checks[0].Fix)
		})
	}
}
