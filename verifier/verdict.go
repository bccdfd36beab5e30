package verifier

// Status is what a provider said of a credential.
type Status string

// Statuses of a verification.
const (
	// Live: the provider accepted the credential; it works now.
	Live Status = "live"
	// Revoked: the provider said the key or token does not exist (its
	// documented invalid-key answer): it was revoked or never existed.
	Revoked Status = "revoked"
	// Unknown: keygate could not tell (incomplete credential, unreachable
	// provider, rate limit, unusable answer, a refusal that proves
	// neither); Reason says which.
	Unknown Status = "unknown"
)

// Verification is the verdict on one finding's credential. It holds no
// value.
type Verification struct {
	Status Status `json:"status"`
	// Provider names the provider asked (bitget, binance, okx, ...).
	Provider string `json:"provider"`
	// Reason says why, in keygate's words.
	Reason string `json:"reason"`
	// Code is the provider's error code, when it refused the credential.
	Code string `json:"code,omitempty"`
	// Bot is the bot whose credential it is, when the env file says so.
	Bot string `json:"bot,omitempty"`
	// Permissions are the credential's permissions in words, where the
	// provider lists them.
	Permissions []string `json:"permissions,omitempty"`
	// WithdrawEnabled and IPAllowlist are set where the provider says them.
	WithdrawEnabled *bool `json:"withdraw_enabled,omitempty"`
	IPAllowlist     *bool `json:"ip_allowlist,omitempty"`
}

// Summary is the verification in one phrase: "live (withdraw enabled, no
// IP allowlist): ...".
func (v Verification) Summary() string {
	s := string(v.Status)
	var notes []string
	if v.WithdrawEnabled != nil && *v.WithdrawEnabled {
		notes = append(notes, "withdraw enabled")
	}
	if v.IPAllowlist != nil {
		if *v.IPAllowlist {
			notes = append(notes, "IP allowlist on")
		} else {
			notes = append(notes, "no IP allowlist")
		}
	}
	if len(notes) > 0 {
		s += " ("
		for i, n := range notes {
			if i > 0 {
				s += ", "
			}
			s += n
		}
		s += ")"
	}
	if v.Reason != "" {
		s += ": " + v.Reason
	}
	return s
}

func boolPtr(b bool) *bool { return &b }
