package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseRotate runs a rotate subcommand built by newCmd with args, and
// returns the options its run function received (nil when parsing failed).
func parseRotate[T any](t *testing.T, newCmd func(*app, func(*T) error) *cobra.Command, args ...string) (*T, error) {
	t.Helper()
	var got *T
	a := &app{io: streams{in: strings.NewReader(""), out: io.Discard, err: io.Discard}}
	cmd := newCmd(a, func(o *T) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	return got, err
}

func TestRotateFlagParsing(t *testing.T) {
	t.Parallel()
	fiveMin := waitOptions{Timeout: 5 * time.Minute, Poll: time.Second}
	keys := keyOptions{Bot: "BOT1", Owner: "alice", KeysFrom: "-"}
	keyArgs := []string{"--bot", "BOT1", "--owner", "alice", "--keys-from", "-"}
	tests := []struct {
		name    string
		parse   func(t *testing.T, args ...string) (any, error)
		args    []string
		want    any
		wantErr string
	}{
		{"stage", parse(newRotateStageCmd), keyArgs, &rotateStageOptions{keyOptions: keys}, ""},
		{"stage skipping the audit", parse(newRotateStageCmd), append(keyArgs, "--skip-audit", "exchange outage"),
			&rotateStageOptions{keyOptions: keyOptions{Bot: "BOT1", Owner: "alice", KeysFrom: "-", SkipAudit: "exchange outage"}}, ""},
		{"stage takes no arguments", parse(newRotateStageCmd), []string{"BOT1"}, nil, `unknown command "BOT1"`},
		{"cutover", parse(newRotateCutoverCmd), nil, &rotateCutoverOptions{}, ""},
		{"validate defaults", parse(newRotateValidateCmd), nil, &rotateValidateOptions{waitOptions: fiveMin}, ""},
		{"validate with timeout", parse(newRotateValidateCmd), []string{"--timeout", "90s", "--auto-rollback", "--poll-interval", "50ms"},
			&rotateValidateOptions{waitOptions: waitOptions{Timeout: 90 * time.Second, TimeoutSet: true, Poll: 50 * time.Millisecond}, AutoRollback: true}, ""},
		{"validate bad timeout", parse(newRotateValidateCmd), []string{"--timeout", "soon"}, nil, `invalid argument "soon" for "--timeout"`},
		{"finalize", parse(newRotateFinalizeCmd), []string{"--old-keys-revoked"}, &rotateFinalizeOptions{OldKeysRevoked: true}, ""},
		{"finalize unconfirmed", parse(newRotateFinalizeCmd), nil, &rotateFinalizeOptions{}, ""},
		{"rollback", parse(newRotateRollbackCmd), []string{"--timeout", "1m"},
			&rotateRollbackOptions{waitOptions: waitOptions{Timeout: time.Minute, TimeoutSet: true, Poll: time.Second}}, ""},
		{"status", parse(newRotateStatusCmd), nil, &rotateStatusOptions{}, ""},
		{"status unknown flag", parse(newRotateStatusCmd), []string{"--bot", "BOT1"}, nil, "unknown flag: --bot"},
		{"run", parse(newRotateRunCmd), append(keyArgs, "--auto-rollback"),
			&rotateRunOptions{keyOptions: keys, waitOptions: fiveMin, AutoRollback: true}, ""},
		{"break-glass", parse(newRotateBreakGlassCmd), append(keyArgs, "--reason", "key in a chat log", "--timeout", "2m"),
			&rotateBreakGlassOptions{keyOptions: keys, waitOptions: waitOptions{Timeout: 2 * time.Minute, TimeoutSet: true, Poll: time.Second},
				Reason: "key in a chat log"}, ""},
		{"drill", parse(newRotateDrillCmd), []string{"--bot", "bot1", "--owner", "alice"},
			&rotateDrillOptions{Bot: "bot1", Owner: "alice", waitOptions: fiveMin}, ""},
		{"drill takes no keys", parse(newRotateDrillCmd), []string{"--keys-from", "-"}, nil, "unknown flag: --keys-from"},
		{"check defaults", parse(newRotateCheckCmd), nil, &rotateCheckOptions{Format: "text"}, ""},
		{"check json for a bot", parse(newRotateCheckCmd), []string{"--bot", "BOT2", "--owner", "bob", "--format", "json"},
			&rotateCheckOptions{Bot: "BOT2", Owner: "bob", Format: "json"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse(t, tt.args...)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// parse adapts a subcommand constructor for the table.
func parse[T any](newCmd func(*app, func(*T) error) *cobra.Command) func(t *testing.T, args ...string) (any, error) {
	return func(t *testing.T, args ...string) (any, error) {
		got, err := parseRotate(t, newCmd, args...)
		if got == nil {
			return nil, err
		}
		return got, err
	}
}

// The release binary holds no test hook: nothing reads a pause variable.
func TestReleaseBinaryHasNoTestHook(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(binary(t))
	require.NoError(t, err)
	assert.False(t, bytes.Contains(data, []byte("KEYGATE_TEST")), "a KEYGATE_TEST variable is read by the release binary")
	assert.False(t, bytes.Contains(data, []byte("keygate-test-paused")))
}
