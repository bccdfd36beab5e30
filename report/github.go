package report

import (
	"fmt"
	"io"
	"strings"
)

// MaxAnnotations caps the workflow-command annotations of one scan: GitHub
// shows only a few per step anyway, and a history full of findings must not
// flood the log. The summary and the SARIF upload hold the rest.
const MaxAnnotations = 50

// WriteGitHub prints the findings as GitHub Actions workflow commands
// (`::error file=…,line=…,col=…,title=…::…`), which the runner turns into
// annotations on the diff, at most max of them, then the summary line. The
// message holds the masked value only. A finding of a past commit is
// annotated on its path too: the diff shows it where the file is changed.
func WriteGitHub(w io.Writer, r *Report, max int) error {
	for i, f := range r.Findings {
		if i == max {
			if _, err := fmt.Fprintf(w, "::warning title=keygate::%s\n",
				ghData(fmt.Sprintf("%d more findings are not annotated: see the job summary and the report", len(r.Findings)-max))); err != nil {
				return err
			}
			break
		}
		level := "error"
		if f.Severity == "low" || f.Severity == "medium" {
			level = "warning"
		}
		msg := fmt.Sprintf("%s %s: %s", f.Severity, Escape(f.RuleID), Escape(f.SecretMasked))
		switch {
		case f.PolicyChange():
			msg = fmt.Sprintf("%s %s: %s", f.Severity, Escape(f.RuleID), Escape(f.Detail))
		case f.BlockedPath():
			msg = fmt.Sprintf("%s %s: this file must never be committed", f.Severity, Escape(f.RuleID))
		case f.InPathName():
			msg += " (in the path's name: rename it)"
		}
		if f.Commit != nil {
			msg += " (commit " + Escape(short(*f.Commit)) + ")"
		}
		if f.Help != "" {
			msg += "\n" + Escape(f.Help)
		}
		// Outside text goes through Escape first (the log viewer renders
		// terminal escapes), then the workflow-command escaping.
		if _, err := fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level,
			ghProperty(Escape(f.Path)), f.Line, f.Column, ghProperty("keygate "+Escape(f.RuleID)), ghData(msg)); err != nil {
			return err
		}
	}
	for i, s := range r.Suppressed {
		if i == max {
			if _, err := fmt.Fprintf(w, "::warning title=keygate::%s\n",
				ghData(fmt.Sprintf("%d more suppressed findings are not annotated: see the job summary and the report", len(r.Suppressed)-max))); err != nil {
				return err
			}
			break
		}
		msg := "suppressed " + suppressedLine(s) + ": " + Justification(s.Mechanism)
		if _, err := fmt.Fprintf(w, "::warning file=%s,line=%d,col=%d,title=%s::%s\n",
			ghProperty(Escape(s.Path)), s.Line, s.Column, ghProperty("keygate suppressed "+Escape(s.RuleID)), ghData(msg)); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, Summarize(r))
	return err
}

// ghData escapes a workflow command's message: a newline or carriage return
// in a path or help text must not end the command and start another.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
