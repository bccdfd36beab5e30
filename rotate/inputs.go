package rotate

import (
	"errors"
	"fmt"
	"strings"
)

// Input is an operator's input that rotate's messages point to. rotate
// names each in its own terms; a caller with other names for them (a CLI's
// flags) sets Rotator.Name and maps the errors below.
type Input string

// The inputs rotate's messages name, in rotate's terms.
const (
	// InputSkipAudit is StageInput.SkipAudit: why the new keys are staged
	// unaudited.
	InputSkipAudit Input = "audit skipped"
	// InputRevocationAttested is Finalize's attested: the operator vouches
	// that the old keys are revoked.
	InputRevocationAttested Input = "revocation attested"
)

// Errors about what the operator must say or may do; the CLI names its
// flags. ErrNoOwner, ErrNoReason and ErrBadBot are what the input lacks;
// ErrAuditUnavailable and ErrRevocationUnproven match errors whose text
// says what happened, to which a caller adds the way out in its terms.
var (
	ErrNoOwner  = errors.New("an owner is required")
	ErrNoReason = errors.New("a reason is required")
	ErrBadBot   = errors.New("bad bot")
	// ErrAuditUnavailable: Bitget could not judge a new key, so nothing
	// was staged; StageInput.SkipAudit stages it unaudited.
	ErrAuditUnavailable = errors.New("the new key could not be audited")
	// ErrRevocationUnproven: Bitget could not tell whether the old key is
	// revoked; Finalize again later, or with attested.
	ErrRevocationUnproven = errors.New("the revocation of the old key is not proven")
)

// ForeignVariableError is a new key set holding a variable of another bot
// than the one rotated: a bot owns its Bot_* variables only.
type ForeignVariableError struct{ Var, Bot string }

func (e *ForeignVariableError) Error() string {
	return fmt.Sprintf("%s is not a variable of %s: %s owns %s_* only", e.Var, e.Bot, e.Bot, e.Bot)
}

// kindError is an error that errors.Is matches to kind without printing
// kind's text: the message says what happened, the kind lets a caller add
// what the operator can do about it.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }

func kindErr(kind error, format string, args ...any) error {
	return &kindError{msg: fmt.Sprintf(format, args...), kind: kind}
}

// Step is a follow-up rotate's messages recommend, in rotate's terms; BOT
// stands for the bot it is about. A caller with commands for the steps (a
// CLI) sets Rotator.Command.
type Step string

// The steps rotate's messages recommend, in rotate's terms.
const (
	// StepAuditKeys asks Bitget about a bot's current keys again.
	StepAuditKeys Step = "audit BOT's keys"
	// StepDrill rehearses a bot's rotation end to end.
	StepDrill Step = "drill BOT's rotation"
	// StepHygieneScan is the policy's scan of the repository, logs
	// included, whose report Finalize requires to pass.
	StepHygieneScan Step = "the hygiene scan, logs included"
)

// stepText spells a step for bot in the caller's terms (Rotator.Command),
// else rotate's.
func (r *Rotator) stepText(s Step, bot string) string {
	if r.Command != nil {
		if c := r.Command(s, bot); c != "" {
			return c
		}
	}
	return strings.ReplaceAll(string(s), "BOT", bot)
}

// name spells an input in the caller's terms (Rotator.Name), else rotate's.
func (r *Rotator) name(in Input) string {
	if r.Name != nil {
		if s := r.Name(in); s != "" {
			return s
		}
	}
	return string(in)
}
