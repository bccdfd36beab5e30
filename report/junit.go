package report

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// JUnit XML, for CI systems that show test results natively (GitLab,
// Jenkins, Azure Pipelines, CircleCI): one failing testcase per finding,
// one errored testcase per scan error, and one passing testcase when there
// is neither, so a clean scan still shows up as a test that ran. Like
// every other output it is built from the report, so it holds masked values
// only.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr,omitempty"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	Skipped   *junitSkipped `xml:"skipped"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnit renders the report as JUnit XML, with a trailing newline.
func JUnit(r *Report) ([]byte, error) {
	secs := fmt.Sprintf("%.3f", float64(r.DurationMS)/1000)
	suite := junitSuite{
		Name:      "keygate " + r.Mode,
		Failures:  len(r.Findings),
		Errors:    len(r.Errors),
		Time:      secs,
		Timestamp: r.GeneratedAt,
		Properties: []junitProperty{
			{Name: "keygate.version", Value: r.Tool.Version},
			{Name: "rule_pack", Value: strings.TrimSpace(r.RulePack.Name + " " + r.RulePack.Version)},
			{Name: "rule_pack.sha256", Value: r.RulePack.SHA256},
		},
	}
	for _, f := range r.Findings {
		suite.Cases = append(suite.Cases, junitFinding(f))
	}
	for _, s := range r.Suppressed {
		// A suppressed finding is a skipped test: shown, never a failure.
		c := junitFinding(s.Finding)
		c.Failure = nil
		c.Name = "suppressed by " + s.Mechanism + ": " + c.Name
		c.Skipped = &junitSkipped{Message: "suppressed by " + s.Mechanism + ": " + Justification(s.Mechanism)}
		suite.Cases = append(suite.Cases, c)
		suite.Skipped++
	}
	for _, e := range r.Errors {
		suite.Cases = append(suite.Cases, junitCase{Name: "scan error", Classname: "keygate", Time: "0",
			Error: &junitProblem{Message: e, Type: "error", Text: e}})
	}
	if len(suite.Cases) == 0 {
		suite.Cases = []junitCase{{Name: "no secrets found", Classname: "keygate", Time: secs}}
	}
	suite.Tests = len(suite.Cases)
	doc := junitSuites{Name: "keygate", Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors,
		Time: secs, Suites: []junitSuite{suite}}
	data, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("junit: %w", err)
	}
	return append(append([]byte(xml.Header), data...), '\n'), nil
}

// junitFinding is one finding as a failing testcase: classname is the file
// (CI systems group by it), the name says what and where.
func junitFinding(f Finding) junitCase {
	loc := fmt.Sprintf("%s:%d:%d", f.Path, f.Line, f.Column)
	value := f.SecretMasked
	if f.Source == "path" {
		value = "(the file itself)"
	}
	var text strings.Builder
	fmt.Fprintf(&text, "%s  %s  %s  %s\n", loc, f.Severity, f.RuleID, value)
	if f.Commit != nil {
		fmt.Fprintf(&text, "commit %s", *f.Commit)
		if f.Author != nil {
			fmt.Fprintf(&text, " by %s", *f.Author)
		}
		if f.Date != nil {
			fmt.Fprintf(&text, " on %s", *f.Date)
		}
		text.WriteString("\n")
	}
	if f.TimesAdded > 1 {
		fmt.Fprintf(&text, "added %d times\n", f.TimesAdded)
	}
	if f.PresentAtTip != nil {
		if *f.PresentAtTip {
			text.WriteString("still present at a branch tip\n")
		} else {
			text.WriteString("no longer present at any branch tip\n")
		}
	}
	if f.EnvName != nil {
		fmt.Fprintf(&text, "value of %s\n", *f.EnvName)
	}
	fmt.Fprintf(&text, "fingerprint %s\n", f.Fingerprint)
	if f.Help != "" {
		fmt.Fprintf(&text, "%s\n", f.Help)
	}
	name := fmt.Sprintf("%s at %s", f.RuleID, loc)
	if f.Commit != nil {
		name += " @ " + short(*f.Commit)
	}
	return junitCase{
		Name: name, Classname: f.Path, File: f.Path, Line: f.Line, Time: "0",
		Failure: &junitProblem{Message: fmt.Sprintf("%s %s: %s", f.Severity, f.RuleID, value), Type: string(f.Severity), Text: text.String()},
	}
}
