package bitget

import (
	"context"
	"encoding/json"
	"strings"
)

// AccountInfo is what GET /api/v2/spot/account/info says of a key:
// its permission codes and its IP allowlist (empty when it has none).
type AccountInfo struct {
	// Authorities are the key's permission codes (stow, wwow, ...).
	Authorities []string
	// IPs is the key's IP allowlist.
	IPs []string
}

// AccountInfo asks Bitget about the key of creds. An *APIError means
// Bitget refused it (see its Code); an *UnreachableError or a
// *BadAnswerError that it could not tell.
func (c *Client) AccountInfo(ctx context.Context, creds Credentials) (*AccountInfo, error) {
	var data struct {
		Authorities []string        `json:"authorities"`
		IPs         json.RawMessage `json:"ips"`
	}
	if err := c.do(ctx, PathAccountInfo, &creds, &data); err != nil {
		return nil, err
	}
	ips, ok := parseIPs(data.IPs)
	if !ok {
		return nil, &BadAnswerError{Why: "data.ips is neither a string nor a list of strings"}
	}
	if data.Authorities == nil {
		return nil, &BadAnswerError{Why: "data.authorities is missing"}
	}
	return &AccountInfo{Authorities: data.Authorities, IPs: ips}, nil
}

// parseIPs reads the allowlist: Bitget documents a string (comma-separated
// when several); a list is accepted too. Absent or null is empty.
func parseIPs(raw json.RawMessage) ([]string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }), true
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err == nil {
		var out []string
		for _, f := range list {
			if f = strings.TrimSpace(f); f != "" {
				out = append(out, f)
			}
		}
		return out, true
	}
	return nil, false
}
