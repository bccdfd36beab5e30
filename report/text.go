package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/keygate/keygate/scan"
)

var severityColour = map[string]string{
	"critical": "\x1b[1;31m",
	"high":     "\x1b[31m",
	"medium":   "\x1b[33m",
	"low":      "\x1b[36m",
}

const colourReset = "\x1b[0m"

// WriteText prints one line per finding (path:line:col, severity, rule,
// masked value) with its fix and allow hints, and a summary line. Colour
// only when asked (a TTY); Quiet keeps the finding lines alone.
func WriteText(w io.Writer, r *Report, o TextOptions) error {
	paint := func(sev, s string) string {
		if !o.Colour {
			return s
		}
		return severityColour[sev] + s + colourReset
	}
	for _, f := range r.Findings {
		loc := fmt.Sprintf("%s:%d:%d", Escape(f.Path), f.Line, f.Column)
		extra := ""
		if f.Commit != nil {
			extra += " commit " + Escape(short(*f.Commit)) + historyNote(f)
		}
		if f.EnvName != nil {
			extra += " (value of " + Escape(*f.EnvName) + ")"
		}
		if f.Decoded != "" {
			extra += " (decoded: " + Escape(f.Decoded) + ")"
		}
		if f.Verification != nil {
			extra += " [" + string(f.Verification.Status) + "]"
		}
		value := Escape(f.SecretMasked)
		switch {
		case f.BlockedPath():
			value = "(the file itself)"
			q := shellQuote(f.Path)
			extra += fmt.Sprintf("\n    never commit this file: git rm --cached %s && echo %s >> .gitignore", q, q)
		case f.Source == scan.SourcePath:
			extra += " (in the path's name: rename it)"
		case f.PolicyChange():
			value = "(" + Escape(f.Detail) + ")"
		}
		if _, err := fmt.Fprintf(w, "%s  %s  %s  %s%s\n", loc, paint(string(f.Severity), fmt.Sprintf("%-8s", f.Severity)), Escape(f.RuleID), value, extra); err != nil {
			return err
		}
		if !o.Quiet {
			if err := writeHints(w, f); err != nil {
				return err
			}
		}
	}
	if o.Quiet {
		return nil
	}
	// Every file not read, by path and reason: a pass must say what it
	// did not look at.
	for _, s := range r.Skipped {
		if _, err := fmt.Fprintf(w, "not read: %s (%s)\n", Escape(s.Path), Escape(s.Reason)); err != nil {
			return err
		}
	}
	if err := writeSuppressed(w, r); err != nil {
		return err
	}
	if o.NoSummary {
		return nil
	}
	_, err := fmt.Fprintln(w, Summarize(r))
	return err
}

// writeSuppressed lists every suppressed finding under its own heading
// (masked value, place, rule, mechanism): a suppression is never silent.
func writeSuppressed(w io.Writer, r *Report) error {
	if len(r.Suppressed) == 0 {
		return nil
	}
	if _, err := fmt.Fprintf(w, "Suppressed (%d):\n", len(r.Suppressed)); err != nil {
		return err
	}
	for _, s := range r.Suppressed {
		if _, err := fmt.Fprintln(w, "  "+suppressedLine(s)); err != nil {
			return err
		}
	}
	return nil
}

// suppressedLine is one suppressed finding in words: place, rule, masked
// value (or what the policy change is) and the mechanism.
func suppressedLine(s Suppressed) string {
	loc := fmt.Sprintf("%s:%d:%d", Escape(s.Path), s.Line, s.Column)
	value := Escape(s.SecretMasked)
	switch {
	case s.BlockedPath():
		value = "(the file itself)"
	case s.PolicyChange():
		value = "(" + Escape(s.Detail) + ")"
	}
	extra := ""
	if s.Commit != nil {
		extra = " commit " + Escape(short(*s.Commit))
	}
	return fmt.Sprintf("%s  %s  %s%s  suppressed by %s", loc, Escape(s.RuleID), value, extra, Escape(s.Mechanism))
}

// shellQuote quotes a path for a command the user may paste: single
// quotes, or bash's $'...' with escapes when it holds control characters.
func shellQuote(p string) string {
	if p != "" && strings.Trim(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./+@:,") == "" {
		return p
	}
	if Escape(p) != p {
		var b strings.Builder
		b.WriteString("$'")
		for i := 0; i < len(p); {
			_, size := utf8.DecodeRuneInString(p[i:])
			switch c := p[i : i+size]; c {
			case `\`, `'`:
				b.WriteString(`\` + c)
			default:
				b.WriteString(Escape(c))
			}
			i += size
		}
		return b.String() + "'"
	}
	return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
}

// historyNote says how often a history finding was added and whether a
// tip still holds it.
func historyNote(f Finding) string {
	var parts []string
	if f.TimesAdded > 1 {
		parts = append(parts, fmt.Sprintf("added %d times", f.TimesAdded))
	}
	if f.PresentAtTip != nil {
		if *f.PresentAtTip {
			parts = append(parts, "still at a ref tip")
		} else {
			parts = append(parts, "removed since")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

// Summarize is the one-line summary of a report.
func Summarize(r *Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "keygate: %s", r.Status)
	switch n := r.Summary.Findings; n {
	case 0:
		b.WriteString(", no findings")
	case 1:
		b.WriteString(", 1 finding")
	default:
		fmt.Fprintf(&b, ", %d findings", n)
	}
	if len(r.Summary.BySeverity) > 0 {
		var parts []string
		for _, s := range []string{"critical", "high", "medium", "low"} {
			if n := r.Summary.BySeverity[s]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, s))
			}
		}
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	fmt.Fprintf(&b, " in %s (%s)", Plural(r.Summary.FilesScanned, "file", "files"), humanBytes(r.Summary.BytesScanned))
	if r.Summary.FilesSkipped > 0 {
		fmt.Fprintf(&b, ", %d skipped", r.Summary.FilesSkipped)
	}
	if r.Summary.Suppressed > 0 {
		fmt.Fprintf(&b, ", %d suppressed", r.Summary.Suppressed)
	}
	if n := len(r.Errors); n > 0 {
		b.WriteString(", " + Plural(n, "error", "errors"))
	}
	fmt.Fprintf(&b, ", %d ms", r.DurationMS)
	return b.String()
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
