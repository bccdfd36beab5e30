package rotate

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/envfile"
)

// rotate's messages name the operator's inputs in rotate's terms unless
// the caller spells them (a CLI's flags); none names a flag of its own.
func TestInputsInTheCallersTerms(t *testing.T) {
	t.Parallel()
	st := &State{Audit: &KeyAudit{Skipped: "exchange outage"}}
	flags := func(in Input) string {
		return map[Input]string{InputSkipAudit: "--skip-audit", InputRevocationAttested: "--old-keys-revoked"}[in]
	}
	tests := []struct {
		name                  string
		spell                 func(Input) string
		audit, scope, skipped string
	}{
		{"rotate's terms", nil, "skipped (audit skipped: exchange outage)",
			"new key permissions: not audited (audit skipped: exchange outage)", "not checked (audit skipped)"},
		{"the caller's", flags, "skipped (--skip-audit: exchange outage)",
			"new key permissions: not audited (--skip-audit: exchange outage)", "not checked (--skip-audit)"},
		{"an input the caller does not spell", func(Input) string { return "" }, "skipped (audit skipped: exchange outage)",
			"new key permissions: not audited (audit skipped: exchange outage)", "not checked (audit skipped)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Rotator{Name: tt.spell}
			assert.Equal(t, tt.audit, r.auditLine(st))
			assert.Contains(t, r.scopeLines("n/a", st), tt.scope)
			assert.Equal(t, tt.skipped, r.oldKeyScope("BOT1", "exchange outage"))
		})
	}
}

// The steps rotate's messages recommend are in rotate's terms unless the
// caller spells them (a CLI's command lines): rotate check's drill item,
// with and without a Command.
func TestStepsInTheCallersTerms(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		command func(Step, string) string
		want    string
	}{
		{"rotate's terms", nil, "drill BOT1's rotation"},
		{"the caller's", func(_ Step, bot string) string { return "tool drill --bot " + bot }, "tool drill --bot BOT1"},
		{"a step the caller does not spell", func(Step, string) string { return "" }, "drill BOT1's rotation"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &Rotator{Command: tt.command}
			assert.Equal(t, tt.want, r.stepText(StepDrill, "BOT1"))
		})
	}
	r := &Rotator{}
	assert.Equal(t, "audit BOT4's keys", r.stepText(StepAuditKeys, "BOT4"))
	assert.Equal(t, "the hygiene scan, logs included", r.stepText(StepHygieneScan, ""))
}

// Errors whose way out is an input match their kind without saying it: the
// caller adds the way out in its terms.
func TestKindErrors(t *testing.T) {
	t.Parallel()
	err := kindErr(ErrAuditUnavailable, "could not audit the new key of %s at Bitget: %s", "BOT1", "timeout")
	assert.ErrorIs(t, err, ErrAuditUnavailable)
	assert.NotErrorIs(t, err, ErrRevocationUnproven)
	assert.Equal(t, "could not audit the new key of BOT1 at Bitget: timeout", err.Error())

	keys, err := envfile.Parse("new", []byte("BOT2_BITGET_API_KEY=bg_1111222233334444555566667777ffff\n"))
	require.NoError(t, err)
	old, err := envfile.Parse("old", []byte(testOldEnv))
	require.NoError(t, err)
	err = checkKeys("BOT1", keys, old, []string{"*_BITGET_*"})
	var fv *ForeignVariableError
	require.True(t, errors.As(err, &fv), "%v", err)
	assert.Equal(t, ForeignVariableError{Var: "BOT2_BITGET_API_KEY", Bot: "BOT1"}, *fv)
	assert.Equal(t, "BOT2_BITGET_API_KEY is not a variable of BOT1: BOT1 owns BOT1_* only", err.Error())
	assert.False(t, strings.Contains(err.Error(), "--"), "no flag")
}
