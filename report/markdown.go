package report

import (
	"fmt"
	"strings"
)

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "`", "'")
	return strings.ReplaceAll(s, "\n", " ")
}

// Markdown renders a job summary: the status, then a table of findings
// (rule, file:line, masked value).
func Markdown(r *Report) string {
	var b strings.Builder
	icon := map[string]string{StatusPass: "✅", StatusFail: "❌", StatusError: "⚠️"}[r.Status]
	fmt.Fprintf(&b, "## %s keygate: %s\n\n%s\n\n", icon, r.Status, mdCell(Summarize(r)))
	if len(r.Findings) > 0 {
		b.WriteString("| severity | rule | location | value |\n|---|---|---|---|\n")
		for _, f := range r.Findings {
			loc := fmt.Sprintf("%s:%d", f.Path, f.Line)
			if f.Commit != nil {
				loc += " @ " + short(*f.Commit)
			}
			value := f.SecretMasked
			if f.Source == "path" {
				value = "(file must not be committed)"
			}
			if f.EnvName != nil {
				value += " (" + *f.EnvName + ")"
			}
			if f.Decoded != "" {
				value += " (decoded: " + f.Decoded + ")"
			}
			fmt.Fprintf(&b, "| %s | `%s` | `%s` | `%s` |\n", f.Severity, mdCell(f.RuleID), mdCell(loc), mdCell(value))
		}
		b.WriteString("\n")
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "- error: %s\n", mdCell(e))
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "- warning: %s\n", mdCell(w))
	}
	return b.String()
}
