package gitleaksignore

import (
	"fmt"
	"slices"
)

// gitleaksIDs maps gitleaks' rule ids to the keygate rules that find the
// same secrets, where the names differ; an id keygate also uses (private-key,
// jwt, github-pat, ...) is itself. An entry names its rule: it suppresses a
// finding of that rule (or its keygate counterparts) only, as gitleaks
// reads it, never another rule's finding at the same place.
var gitleaksIDs = map[string][]string{
	"generic-api-key":                    {"generic-secret-assignment"},
	"aws-access-token":                   {"aws-access-key-id"},
	"slack-bot-token":                    {"slack-token"},
	"slack-user-token":                   {"slack-token"},
	"slack-legacy-token":                 {"slack-token"},
	"slack-legacy-bot-token":             {"slack-token"},
	"slack-legacy-workspace-token":       {"slack-token"},
	"slack-webhook-url":                  {"slack-webhook"},
	"stripe-access-token":                {"stripe-key", "stripe-prod-secret-key", "stripe-restricted-prod-key"},
	"gcp-api-key":                        {"google-api-key"},
	"gitlab-pat":                         {"gitlab-token"},
	"telegram-bot-api-token":             {"telegram-bot-token"},
	"discord-api-token":                  {"discord-bot-token"},
	"github-app-token":                   {"github-user-to-server-token", "github-server-to-server-token"},
	"hashicorp-tf-api-token":             {"terraform-cloud-token"},
	"sendgrid-api-token":                 {"sendgrid-api-key"},
	"mailgun-private-api-token":          {"mailgun-api-key"},
	"openai-api-key":                     {"openai-user-key", "openai-project-key", "openai-service-account-key", "openai-admin-key"},
	"databricks-api-token":               {"databricks-token"},
	"dropbox-short-lived-api-token":      {"dropbox-short-lived-token"},
	"grafana-cloud-api-token":            {"grafana-cloud-token"},
	"1password-service-account-token":    {"onepassword-service-account-token"},
	"1password-secret-key":               {"onepassword-secret-key"},
	"huggingface-organization-api-token": {"huggingface-org-token"},
	"curl-auth-user":                     {"curl-user-password"},
	"sumologic-access-token":             {"sumologic-access-key"},
	"readme-api-token":                   {"readme-api-key"},
	"prefect-api-token":                  {"prefect-api-key"},
	"doppler-api-token":                  {"doppler-personal-token", "doppler-service-token"},
}

// gitleaksFor maps a keygate rule id to the gitleaks ids mapped to it.
var gitleaksFor = func() map[string][]string {
	m := map[string][]string{}
	for id, rules := range gitleaksIDs {
		for _, r := range rules {
			m[r] = append(m[r], id)
		}
	}
	for _, ids := range m {
		slices.Sort(ids)
	}
	return m
}()

// entryIDs are the rule ids an entry may name to suppress a finding of
// keygate rule rule: its own, and the gitleaks ids mapped to it.
func entryIDs(rule string) []string {
	return append([]string{rule}, gitleaksFor[rule]...)
}

// maxRuleIDs is how many distinct rule ids a list remembers; past it,
// Unknown reads the whole file again to find the unknown ones.
const maxRuleIDs = 4096

// ruleIDs are the distinct rule ids of a file's entries, so that Unknown
// need read the file again only when some id is unknown.
type ruleIDs struct {
	seen map[string]struct{}
	many bool // more than maxRuleIDs: seen is dropped
}

func (r *ruleIDs) note(id []byte) {
	if r.many {
		return
	}
	if _, ok := r.seen[string(id)]; ok {
		return
	}
	if len(r.seen) == maxRuleIDs {
		r.seen, r.many = nil, true
		return
	}
	if r.seen == nil {
		r.seen = map[string]struct{}{}
	}
	r.seen[string(id)] = struct{}{}
}

// unknown reports whether an entry naming id matches nothing: id is
// neither a keygate rule (known says which are) nor a gitleaks id keygate
// maps.
func unknown(id string, known func(id string) bool) bool {
	if known(id) {
		return false
	}
	for _, r := range gitleaksIDs[id] {
		if known(r) {
			return false
		}
	}
	return true
}

// Unknown returns the entries whose rule id is neither a keygate rule
// (known says which are) nor a gitleaks id keygate maps: they match
// nothing, and the scan lists them as unused. It holds them all: a scan
// reads them with EachUnknown.
func (l *List) Unknown(known func(id string) bool) ([]Entry, error) {
	var out []Entry
	err := l.EachUnknown(known, func(e Entry) { out = append(out, e) })
	return out, err
}

// EachUnknown calls fn with each entry, in file order, whose rule id is
// unknown, as Unknown lists them, holding none: a file of millions of
// entries for rule ids keygate lacks (a gitleaks config's own rules) is
// read in a stream. Their text is read again from the file, which is read
// only if some id is unknown; an error reading it is returned.
func (l *List) EachUnknown(known func(id string) bool, fn func(Entry)) error {
	if l == nil {
		return nil
	}
	keep := func(id []byte) bool { return unknown(string(id), known) }
	if !l.ids.many {
		ids := map[string]bool{}
		for id := range l.ids.seen {
			if unknown(id, known) {
				ids[id] = true
			}
		}
		if len(ids) == 0 {
			return nil
		}
		keep = func(id []byte) bool { return ids[string(id)] }
	}
	if err := l.entries(keep, fn); err != nil {
		return fmt.Errorf("load %s: %w", l.name, err)
	}
	return nil
}
