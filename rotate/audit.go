package rotate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/keygate/keygate/envfile"
	"github.com/keygate/keygate/keyaudit"
)

// auditTimeout bounds one audit at the exchange (clock sync, retries).
const auditTimeout = time.Minute

// Revocation statuses of a finalized rotation's record.
const (
	// RevocationVerified: Bitget rejects the old key as invalid.
	RevocationVerified = "verified"
	// RevocationAttested: Bitget could not be asked; the operator attested
	// the revocation (InputRevocationAttested).
	RevocationAttested = "attested"
	// RevocationNone: the bot had no Bitget key before the rotation.
	RevocationNone = "none"
)

// KeyAudit is what Bitget said of a rotation's new key, kept in the state
// and the record. It holds no value.
type KeyAudit struct {
	At time.Time `json:"at"`
	// Skipped is the operator's reason (redacted) when the audit was
	// skipped (InputSkipAudit).
	Skipped string           `json:"skipped,omitempty"`
	Result  *keyaudit.Result `json:"result,omitempty"`
	// Others are the audits of the bot's keys at other exchanges (Binance,
	// OKX, Bybit) the rotation carries.
	Others []keyaudit.Result `json:"others,omitempty"`
}

// auditKey asks Bitget about bot's key in f, and says any clock warning.
func (r *Rotator) auditKey(f *envfile.File, bot string) (*keyaudit.Result, []string, error) {
	creds, missing := keyaudit.TripleOf(f, bot)
	if len(missing) > 0 {
		return nil, missing, nil
	}
	a, err := keyaudit.New(r.Config.Exchanges.Bitget)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), auditTimeout)
	defer cancel()
	if skew, err := a.Clock(ctx); err == nil {
		if w := keyaudit.ClockWarning(skew); w != "" {
			r.say("warning: %s", w)
		}
	}
	res := a.Check(ctx, bot, creds)
	return &res, nil, nil
}

// auditNewKeys is stage's audit of the new keys, before anything is
// written: a rejected key or a violation refuses the stage (exit 1), a key
// Bitget could not judge stops it (exit 2). skipReason, when set, skips the
// audit and is recorded.
func (r *Rotator) auditNewKeys(bot string, keys *envfile.File, skipReason string) (*KeyAudit, error) {
	now := r.now()
	if skipReason != "" {
		red := r.redactor()
		if red == nil {
			return nil, errors.New("cannot build the redactor for the reason the audit is skipped")
		}
		reason := red.String(skipReason)
		r.say("WARNING: the new key of %s is NOT audited at Bitget (%s: %s); %s once Bitget answers", bot, r.name(InputSkipAudit), reason, r.stepText(StepAuditKeys, bot))
		return &KeyAudit{At: now, Skipped: reason}, nil
	}
	res, _, err := r.auditKey(keys, bot)
	if err != nil {
		return nil, err
	}
	r.say("audit of the new key of %s (%s): %s", bot, res.APIKey, res.Scope())
	switch {
	case len(res.Violations) > 0:
		msgs := make([]string, 0, len(res.Violations))
		for _, v := range res.Violations {
			msgs = append(msgs, v.Message)
		}
		return nil, stepErr("the new key of %s fails the audit (%s); %s is untouched", bot, strings.Join(msgs, "; "), r.Config.EnvFile)
	case res.Verdict != keyaudit.Accepted:
		return nil, kindErr(ErrAuditUnavailable, "could not audit the new key of %s at Bitget: %s; %s is untouched", bot, res.Why, r.Config.EnvFile)
	}
	others, err := r.auditOtherKeys(keys, bot, "new")
	if err != nil {
		return nil, err
	}
	for _, o := range others {
		r.say("audit of the new %s key of %s (%s): %s", o.Exchange, bot, o.APIKey, o.Scope())
		switch {
		case len(o.Violations) > 0:
			msgs := make([]string, 0, len(o.Violations))
			for _, v := range o.Violations {
				msgs = append(msgs, v.Message)
			}
			return nil, stepErr("the new %s key of %s fails the audit (%s); %s is untouched", o.Exchange, bot, strings.Join(msgs, "; "), r.Config.EnvFile)
		case o.Verdict != keyaudit.Accepted:
			return nil, kindErr(ErrAuditUnavailable, "could not audit the new %s key of %s: %s; %s is untouched", o.Exchange, bot, o.Why, r.Config.EnvFile)
		}
	}
	return &KeyAudit{At: now, Result: res, Others: others}, nil
}

// auditOtherKeys asks Binance, OKX and Bybit about bot's whole keys in f
// (which says, for errors, whose keys they are: new or old).
func (r *Rotator) auditOtherKeys(f *envfile.File, bot, which string) ([]keyaudit.Result, error) {
	exchanges, err := keyaudit.Exchanges(r.Config.Exchanges)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), auditTimeout)
	defer cancel()
	var out []keyaudit.Result
	for _, ex := range exchanges {
		values, missing := ex.KeyOf(f, bot)
		if len(missing) == len(ex.Suffixes) {
			continue
		}
		if len(missing) > 0 {
			return nil, stepErr("the %s %s key of %s is incomplete (missing %s)", which, ex.Title, bot, strings.Join(missing, ", "))
		}
		out = append(out, ex.Check(ctx, bot, values))
	}
	return out, nil
}

// verifyOtherRevocations proves, for each other exchange whose key of the
// bot the rotation replaced, that the exchange now rejects the old key as
// invalid. It returns the details of the proven ones and, when one could
// not be proven, why.
func (r *Rotator) verifyOtherRevocations(st *State, old *envfile.File) (proven []string, unproven string, err error) {
	replaced := map[string]bool{}
	for _, v := range st.Vars {
		replaced[v.Name] = v.OldMasked != maskOrNone("")
	}
	results, err := r.auditOtherKeys(old, st.Bot, "old")
	if err != nil {
		return nil, "", err
	}
	for _, res := range results {
		suffix := map[string]string{"binance": "_BINANCE_API_KEY", "okx": "_OKX_API_KEY", "bybit": "_BYBIT_API_KEY"}[res.Exchange]
		if !replaced[st.Bot+suffix] {
			continue // the rotation did not replace this key
		}
		switch {
		case res.Revoked():
			proven = append(proven, fmt.Sprintf("%s rejects the old key %s: %s (code %s)", res.Exchange, res.APIKey, res.Why, res.Code))
		case res.StillAccepted():
			return nil, "", stepErr("the old %s key of %s is still accepted: revoke it at the exchange", res.Exchange, st.Bot)
		default:
			return proven, fmt.Sprintf("%s answered %s: %s, which does not prove a revocation", res.Exchange, res.Verdict, res.Why), nil
		}
	}
	return proven, "", nil
}

// verifyRevocation is finalize's proof that the old key is revoked: Bitget
// must now reject it as invalid. Still accepted refuses (exit 1) whatever
// the operator attests; when Bitget cannot tell, attested (from
// InputRevocationAttested) lets the rotation end as "attested", else it stops
// (exit 2). It returns the record's status and its detail.
func (r *Rotator) verifyRevocation(st *State, attested bool) (string, string, error) {
	cannot := func(why string) (string, string, error) {
		if attested {
			r.say("could not verify that the old key of %s is revoked (%s); recorded as attested by the operator (%s)", st.Bot, why, r.name(InputRevocationAttested))
			return RevocationAttested, why, nil
		}
		return "", "", kindErr(ErrRevocationUnproven, "could not verify that the old key of %s is revoked: %s", st.Bot, why)
	}
	old, err := envfile.Load(r.backupPath())
	if err != nil {
		return cannot("the backup with the old key cannot be read")
	}
	res, missing, err := r.auditKey(old, st.Bot)
	if err != nil {
		return "", "", err
	}
	if res == nil {
		if len(missing) == len(keyaudit.Triple) {
			r.say("%s had no Bitget key before this rotation: nothing to revoke", st.Bot)
			return RevocationNone, st.Bot + " had no Bitget key before this rotation", nil
		}
		return cannot("the old Bitget key is incomplete (missing " + strings.Join(missing, ", ") + ")")
	}
	switch {
	case res.Revoked():
		detail := fmt.Sprintf("Bitget rejects the old key %s: %s (code %s)", res.APIKey, res.Why, res.Code)
		r.say("the old key of %s is revoked: %s", st.Bot, detail)
		proven, unproven, err := r.verifyOtherRevocations(st, old)
		if err != nil {
			return "", "", err
		}
		for _, p := range proven {
			r.say("the old key of %s is revoked: %s", st.Bot, p)
			detail += "; " + p
		}
		if unproven != "" {
			return cannot(unproven)
		}
		return RevocationVerified, detail, nil
	case res.StillAccepted():
		return "", "", stepErr("the old key of %s is still accepted: revoke it at the exchange", st.Bot)
	}
	return cannot(fmt.Sprintf("Bitget answered %s: %s, which does not prove a revocation", res.Verdict, res.Why))
}

// oldKeyScope is break-glass's look at the compromised key before it is
// replaced: its permissions, for the incident note. It never stops the
// emergency path.
func (r *Rotator) oldKeyScope(bot, skipReason string) string {
	if skipReason != "" {
		return "not checked (" + r.name(InputSkipAudit) + ")"
	}
	f, err := envfile.Load(r.envPath())
	if err != nil {
		return "not checked (the env file cannot be read)"
	}
	res, missing, err := r.auditKey(f, bot)
	switch {
	case err != nil:
		return "not checked (" + err.Error() + ")"
	case res == nil:
		return "no whole Bitget key (missing " + strings.Join(missing, ", ") + ")"
	}
	return res.APIKey + ": " + res.Scope()
}

// auditLine is the new key's audit for `rotate status`.
func (r *Rotator) auditLine(st *State) string {
	switch {
	case st.Audit == nil:
		return "not audited"
	case st.Audit.Skipped != "":
		return "skipped (" + r.name(InputSkipAudit) + ": " + st.Audit.Skipped + ")"
	case st.Audit.Result != nil:
		return st.Audit.Result.APIKey + " " + string(st.Audit.Result.Verdict) + ": " + st.Audit.Result.Scope()
	}
	return "not audited"
}

// scopeLines are the incident note's key scope: the old key's permissions
// (revoked) and the new one's (rotated to).
func (r *Rotator) scopeLines(oldScope string, st *State) string {
	newScope := "not audited"
	if st != nil && st.Audit != nil {
		switch {
		case st.Audit.Result != nil:
			newScope = st.Audit.Result.APIKey + ": " + st.Audit.Result.Scope()
		case st.Audit.Skipped != "":
			newScope = "not audited (" + r.name(InputSkipAudit) + ": " + st.Audit.Skipped + ")"
		}
	}
	return fmt.Sprintf("  - old key permissions (revoke at the exchange): %s\n  - new key permissions: %s\n", oldScope, newScope)
}
