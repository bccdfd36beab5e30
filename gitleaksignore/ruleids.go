package gitleaksignore

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

// matchesRule reports whether an entry naming id suppresses a finding of
// keygate rule rule.
func matchesRule(id, rule string) bool {
	if id == rule {
		return true
	}
	for _, r := range gitleaksIDs[id] {
		if r == rule {
			return true
		}
	}
	return false
}

// Unknown returns the entries whose rule id is neither a keygate rule
// (known says which are) nor a gitleaks id keygate maps: they match
// nothing, and the scan lists them as unused.
func (l *List) Unknown(known func(id string) bool) []Entry {
	if l == nil {
		return nil
	}
	var out []Entry
	for _, e := range l.Entries {
		if known(e.RuleID) {
			continue
		}
		mapped := false
		for _, r := range gitleaksIDs[e.RuleID] {
			mapped = mapped || known(r)
		}
		if !mapped {
			out = append(out, e)
		}
	}
	return out
}
