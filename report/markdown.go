package report

import (
	"fmt"
	"strings"

	"github.com/keygate/keygate/scan"
)

// mdCode makes text safe inside a Markdown code span in a table cell:
// control characters escaped, no backtick to end the span, no pipe to end
// the cell (GitHub reads \| as a pipe even inside a code span).
func mdCode(s string) string {
	s = Escape(s)
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "`", "'")
}

// mdPunct are the ASCII characters that can start inline Markdown or HTML
// within a line (links, images, emphasis, code, tags, entities, tables).
const mdPunct = "\\`*_[]<>!|~&"

// mdText makes outside text (an error quoting a file name) plain Markdown
// text: control characters escaped and every syntax character
// backslash-escaped, so a file name cannot add a link, an image or a line.
func mdText(s string) string {
	s = Escape(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(mdPunct, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Markdown renders a job summary: the status, then a table of findings
// (rule, file:line, masked value).
func Markdown(r *Report) string {
	var b strings.Builder
	icon := map[Status]string{StatusPass: "✅", StatusFail: "❌", StatusError: "⚠️"}[r.Status]
	fmt.Fprintf(&b, "## %s keygate: %s\n\n%s\n\n", icon, r.Status, Escape(Summarize(r)))
	if len(r.Findings) > 0 {
		b.WriteString("| severity | rule | location | value |\n|---|---|---|---|\n")
		for _, f := range r.Findings {
			loc := fmt.Sprintf("%s:%d", f.Path, f.Line)
			if f.Commit != nil {
				loc += " @ " + short(*f.Commit)
			}
			value := f.SecretMasked
			switch {
			case f.BlockedPath():
				value = "(file must not be committed)"
			case f.Source == scan.SourcePath:
				value += " (in the path's name)"
			case f.PolicyChange():
				value = "(" + f.Detail + ")"
			}
			if f.EnvName != nil {
				value += " (" + *f.EnvName + ")"
			}
			if f.Decoded != "" {
				value += " (decoded: " + f.Decoded + ")"
			}
			if f.Verification != nil {
				value += " — " + verificationLine(f.Verification)
			}
			fmt.Fprintf(&b, "| %s | `%s` | `%s` | `%s` |\n", mdCode(string(f.Severity)), mdCode(f.RuleID), mdCode(loc), mdCode(value))
		}
		b.WriteString("\n")
	}
	if len(r.Skipped) > 0 {
		b.WriteString("| not read | why |\n|---|---|\n")
		for _, s := range r.Skipped {
			fmt.Fprintf(&b, "| `%s` | %s |\n", mdCode(s.Path), mdText(s.Reason))
		}
		b.WriteString("\n")
	}
	if len(r.Suppressed) > 0 {
		fmt.Fprintf(&b, "### Suppressed (%d)\n\n| rule | location | value | suppressed by |\n|---|---|---|---|\n", len(r.Suppressed))
		for _, s := range r.Suppressed {
			loc := fmt.Sprintf("%s:%d", s.Path, s.Line)
			if s.Commit != nil {
				loc += " @ " + short(*s.Commit)
			}
			value := s.SecretMasked
			switch {
			case s.BlockedPath():
				value = "(file must not be committed)"
			case s.PolicyChange():
				value = "(" + s.Detail + ")"
			}
			fmt.Fprintf(&b, "| `%s` | `%s` | `%s` | %s |\n", mdCode(s.RuleID), mdCode(loc), mdCode(value), mdText(s.Mechanism))
		}
		b.WriteString("\n")
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "- error: %s\n", mdText(e))
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "- warning: %s\n", mdText(w))
	}
	return b.String()
}
