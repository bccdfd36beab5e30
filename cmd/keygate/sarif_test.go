package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/internal/testmode"
	"github.com/keygate/keygate/rules"
	"github.com/keygate/keygate/sarif"
)

// schemaPath is the official OASIS SARIF 2.1.0 schema, kept in testdata
// so the tests need nothing outside the repository.
func schemaPath(t *testing.T) string {
	t.Helper()
	p := filepath.Join("testdata", "sarif-schema-2.1.0.json")
	_, err := os.Stat(p)
	require.NoError(t, err, "the official SARIF schema must be in cmd/keygate/testdata")
	return p
}

func validateSchema(t *testing.T, doc []byte) {
	t.Helper()
	f, err := os.Open(schemaPath(t))
	require.NoError(t, err)
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("sarif-schema-2.1.0.json", schemaDoc))
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	require.NoError(t, err)
	require.NoError(t, sch.Validate(inst))
}

// everyRuleKindRepo commits one file per rule example, an active value and
// env/.env itself, so a history scan finds every kind of finding.
func everyRuleKindRepo(t *testing.T) (*gitRepo, *rules.Pack) {
	g := newGitRepo(t)
	pack, err := rules.Default()
	require.NoError(t, err)
	for _, r := range pack.Rules {
		// All examples: where an earlier rule reports the same secret (one
		// secret, one finding), another example carries this rule.
		name := "docs/rules/" + r.ID + " example.md"
		if len(r.Paths) > 0 {
			// A path-limited rule: a file its first glob accepts.
			name = strings.NewReplacer("**/", "docs/rules/"+r.ID+"/", "*", "-example").Replace(r.Paths[0])
		}
		g.write(name, strings.Join(r.Examples, "\n")+"\n")
	}
	g.write("docs/ticket.md", "the operator typed "+fixture.HostPassphrase+" into chat\n")
	g.write("env/.env", fixture.EnvFile())
	g.commit("every kind of leak")
	return g, pack
}

type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name            string `json:"name"`
				SemanticVersion string `json:"semanticVersion"`
				InformationURI  string `json:"informationUri"`
				Rules           []struct {
					ID               string                          `json:"id"`
					ShortDescription struct{ Text string }           `json:"shortDescription"`
					FullDescription  struct{ Text string }           `json:"fullDescription"`
					Help             struct{ Text, Markdown string } `json:"help"`
					Properties       map[string]any                  `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string                `json:"ruleId"`
			RuleIndex int                   `json:"ruleIndex"`
			Level     string                `json:"level"`
			Message   struct{ Text string } `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					Region           struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Properties          map[string]any    `json:"properties"`
		} `json:"results"`
		Properties map[string]any `json:"properties"`
	} `json:"runs"`
}

func TestSARIFEveryRuleKind(t *testing.T) {
	t.Parallel()
	g, pack := everyRuleKindRepo(t)
	out := filepath.Join(t.TempDir(), "keygate.sarif")
	res := runCLI(t, g.dir, nil, "scan", "--history", "--sarif", out, "--env-file", "env/.env")
	require.Equal(t, exitFail, res.code, res.combined)
	doc, err := os.ReadFile(out)
	require.NoError(t, err)
	validateSchema(t, doc)
	for _, v := range planted() {
		for j, form := range leakForms(v) {
			if bytes.Contains(doc, []byte(form)) {
				t.Errorf("SARIF leaks a planted value in form #%d", j)
			}
		}
	}
	assert.NotContains(t, string(doc), `"snippet"`, "no line of the scanned file is copied")

	var log sarifLog
	require.NoError(t, json.Unmarshal(doc, &log))
	require.Len(t, log.Runs, 1)
	run := log.Runs[0]
	d := run.Tool.Driver
	assert.Equal(t, "keygate", d.Name)
	assert.Equal(t, version, d.SemanticVersion)
	assert.Equal(t, sarif.InformationURI, d.InformationURI)
	ruleIDs := map[string]bool{}
	for _, r := range d.Rules {
		ruleIDs[r.ID] = true
		assert.NotEmpty(t, r.ShortDescription.Text, r.ID)
		assert.NotEmpty(t, r.FullDescription.Text, r.ID)
		assert.NotEmpty(t, r.Help.Text, r.ID)
		assert.NotEmpty(t, r.Help.Markdown, r.ID)
		assert.Contains(t, []string{"9.5", "8.0", "5.5", "3.0"}, r.Properties["security-severity"], r.ID)
		assert.Contains(t, r.Properties["tags"], "security", r.ID)
	}
	assert.Len(t, d.Rules, len(pack.Rules)+len(rules.Builtins()), "every pack rule plus the built-in ones (known-value, blocked-path, suppression-added-*)")

	found := map[string]bool{}
	for _, r := range run.Results {
		found[r.RuleID] = true
		assert.True(t, ruleIDs[r.RuleID])
		assert.Equal(t, r.RuleID, d.Rules[r.RuleIndex].ID)
		assert.Contains(t, []string{"error", "warning", "note"}, r.Level)
		loc := r.Locations[0].PhysicalLocation
		assert.GreaterOrEqual(t, loc.Region.StartLine, 1)
		assert.GreaterOrEqual(t, loc.Region.StartColumn, 1)
		assert.NotContains(t, loc.ArtifactLocation.URI, " ", "URIs are percent-escaped")
		assert.Len(t, r.PartialFingerprints["primaryLocationLineHash"], 32)
		assert.Regexp(t, `^[0-9a-f]{40}$`, r.Properties["commit"], "history findings carry their commit")
		assert.Contains(t, r.Message.Text, r.RuleID)
	}
	for _, r := range pack.Rules {
		assert.True(t, found[r.ID], "a result of rule %s", r.ID)
	}
	assert.True(t, found["known-credential-value"])
	assert.True(t, found["blocked-path"])

	multitool(t, out)
}

// multitool runs Microsoft's SARIF validator with GitHub's ingestion rules
// (Gh) and the SARIF rules; it always exits 0, so its output log is parsed
// for error-level results. CI installs it and sets KEYGATE_SARIF_MULTITOOL.
func multitool(t *testing.T, path string) {
	t.Helper()
	tool := os.Getenv("KEYGATE_SARIF_MULTITOOL")
	if tool == "" {
		testmode.Missing(t, "KEYGATE_SARIF_MULTITOOL does not name Microsoft's SARIF validator")
	}
	out := filepath.Join(t.TempDir(), "validation.sarif")
	cmd := exec.Command(tool, "validate", path, "--rule-kind", "Gh", "Sarif", "-o", out)
	text, err := cmd.CombinedOutput()
	require.NoError(t, err, string(text))
	data, err := os.ReadFile(out)
	require.NoError(t, err, string(text))
	var v struct {
		Runs []struct {
			Results []struct {
				RuleID  string                `json:"ruleId"`
				Level   string                `json:"level"`
				Message struct{ Text string } `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(data, &v))
	errorsFound := 0
	for _, r := range v.Runs {
		for _, res := range r.Results {
			if res.Level == "error" {
				errorsFound++
				t.Errorf("multitool %s: %s", res.RuleID, res.Message.Text)
			}
		}
	}
	assert.Zero(t, errorsFound, fmt.Sprintf("validator output:\n%s", text))
}
