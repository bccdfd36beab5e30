package detector

import (
	"bytes"

	"github.com/keygate/keygate/internal/lazyre"
)

// Inline allow comments of other scanners, honoured like InlineAllow so a
// repository moving to keygate keeps its reviewed suppressions.
const (
	// GitleaksAllow is gitleaks' inline allow comment.
	GitleaksAllow = "gitleaks:allow"
	// PragmaAllow is detect-secrets' inline allow comment.
	PragmaAllow = "pragma: allowlist secret"
)

// pragmaRE accepts the spellings detect-secrets accepts: an optional space
// after the colon and a space or dash before "secret".
var pragmaRE = lazyre.New(`pragma: ?allowlist[ -]secret`)

// inlineAllowed reports whether line carries an inline allow comment of
// keygate, gitleaks or detect-secrets.
func inlineAllowed(line []byte) bool {
	return bytes.Contains(line, []byte(InlineAllow)) ||
		bytes.Contains(line, []byte(GitleaksAllow)) ||
		pragmaRE.Match(line)
}
