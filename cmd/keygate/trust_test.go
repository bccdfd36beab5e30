package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/report"
)

// secretLine is a real-format Bitget secret assignment.
const secretLine = "BOT1_BITGET_API_SECRET=" + fixture.BitgetSecret

// trustAttack is one way a pull request could suppress its own secret.
type trustAttack struct {
	name string
	// pr writes the pull request's files (the secret and the suppression).
	pr func(g *gitRepo)
	// rule is the suppression-added finding the range must report.
	rule string
	// mechanism is how the accepted policy suppresses the finding.
	mechanism string
}

// neverRule is a rule of id that never matches real text.
func neverRule(id string, override bool) string {
	o := ""
	if override {
		o = "    override: true\n"
	}
	return "  - id: " + id + "\n" + o + "    severity: low\n    keywords: [zzzqqq]\n    pattern: 'zzzqqq_([0-9]{40})'\n    secret_group: 1\n    examples: ['zzzqqq_0123456789012345678901234567890123456789']\n"
}

// pullRequestRepo is a repository whose main holds one commit, checked out
// on a new branch pr: what a pull request's commits go on.
func pullRequestRepo(t *testing.T) *gitRepo {
	g := newGitRepo(t)
	g.write("docs/readme.md", "hello\n")
	g.commit("base")
	g.git("checkout", "-q", "-b", "pr")
	return g
}

var trustAttacks = []trustAttack{
	{"inline comment", func(g *gitRepo) {
		g.write("bots/config.py", secretLine+"  # keygate:allow\n")
	}, "suppression-added-inline", "inline"},
	{"pragma comment", func(g *gitRepo) {
		g.write("bots/config.py", secretLine+"  # pragma: allowlist secret\n")
	}, "suppression-added-inline", "inline"},
	{".gitleaksignore line", func(g *gitRepo) {
		g.write("bots/config.py", secretLine+"\n")
		g.write(".gitleaksignore", "bots/config.py:bitget-api-secret:1\n")
	}, "suppression-added-gitleaksignore", "gitleaksignore"},
	{"allow_paths", func(g *gitRepo) {
		g.write("bots/config.py", secretLine+"\n")
		g.write(".keygate.yaml", "allow_paths: ['**']\n")
	}, "suppression-added-config", "allow_paths"},
	{"committed baseline", func(g *gitRepo) {
		g.write("bots/config.py", secretLine+"\n")
		res := runCLI(g.t, g.dir, nil, "baseline", "bots/config.py")
		require.Equal(g.t, exitPass, res.code, res.combined)
	}, "suppression-added-baseline", "baseline"},
	{"blocked_paths: []", func(g *gitRepo) {
		g.write("env/.env", "LOG_LEVEL=info\n")
		g.write(".keygate.yaml", "blocked_paths: []\n")
	}, "suppression-added-config", "blocked_paths"},
	{"redefining pack", func(g *gitRepo) {
		g.write("bots/config.py", secretLine+"\n")
		g.write(".keygate.yaml", "rules: [packs/team.yaml]\n")
		g.write("packs/team.yaml", "name: team\nrules:\n"+neverRule("bitget-api-secret", true)+neverRule("bot-bitget-credential", true)+neverRule("generic-secret-assignment", true))
	}, "suppression-added-pack", "pack"},
	{"pack allow.paths", func(g *gitRepo) {
		g.write("bots/config.py", secretLine+"\n")
		g.write(".keygate.yaml", "rules: [packs/team.yaml]\n")
		g.write("packs/team.yaml", "name: team\nrules:\n  - id: team-token\n    severity: low\n    keywords: [zzzqqq]\n    pattern: 'zzzqqq_([0-9]{40})'\n    secret_group: 1\n    examples: ['zzzqqq_0123456789012345678901234567890123456789']\nallow:\n  paths: ['bots/config.py']\n")
	}, "suppression-added-pack", "pack"},
}

// A pull request cannot suppress its own secret: a range is judged by its
// base's policy, each suppression it adds is a finding naming the
// mechanism, and a maintainer's --accept-policy-changes passes it while
// still listing the secret as suppressed.
func TestRangeJudgedByBase(t *testing.T) {
	t.Parallel()
	for _, at := range trustAttacks {
		t.Run(at.name, func(t *testing.T) {
			t.Parallel()
			g := pullRequestRepo(t)
			at.pr(g)
			g.commit("the pull request")

			res := runCLI(t, g.dir, nil, "scan", "--range", "main..pr", "--format", "json", "--no-env-file")
			require.Equal(t, exitFail, res.code, res.combined)
			validateReportSchema(t, []byte(res.stdout))
			rep := decodeReport(t, res.stdout, res.combined)
			rules := map[string]bool{}
			for _, f := range rep.Findings {
				rules[f.RuleID] = true
			}
			assert.True(t, rules[at.rule], "want %s among %v", at.rule, rep.Findings)
			if at.mechanism == "blocked_paths" {
				assert.True(t, rules["blocked-path"], "the base still blocks env/.env: %v", rep.Findings)
			} else {
				assert.True(t, rules["bitget-api-secret"], "the base's policy reports the secret: %v", rep.Findings)
			}
			assert.NotContains(t, res.combined, fixture.BitgetSecret)

			res = runCLI(t, g.dir, nil, "scan", "--range", "main..pr", "--format", "json", "--no-env-file", "--accept-policy-changes")
			require.Equal(t, exitPass, res.code, res.combined)
			validateReportSchema(t, []byte(res.stdout))
			rep = decodeReport(t, res.stdout, res.combined)
			assert.Empty(t, rep.Findings)
			var accepted, suppressed []report.Suppressed
			for _, s := range rep.Suppressed {
				if s.Mechanism == "accepted" {
					accepted = append(accepted, s)
				} else {
					suppressed = append(suppressed, s)
				}
			}
			require.NotEmpty(t, accepted, "the policy change is listed as accepted")
			assert.Contains(t, func() []string {
				var ids []string
				for _, s := range accepted {
					ids = append(ids, s.RuleID)
				}
				return ids
			}(), at.rule)
			require.NotEmpty(t, suppressed, "what it suppresses is listed")
			assert.Equal(t, at.mechanism, suppressed[0].Mechanism, "%+v", suppressed)
			assert.NotEmpty(t, suppressed[0].Justification)
			assert.NotContains(t, res.combined, fixture.BitgetSecret)
		})
	}
}

// A suppression the base already held still applies to a range, and the
// working-tree scan keeps the local policy.
func TestRangeKeepsTheBasesSuppressions(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write(".keygate.yaml", "allow_paths: ['fixtures/**']\n")
	g.write(".gitleaksignore", "bots/old.py:bitget-api-secret:2\n")
	g.write("bots/allowed.py", "x = 1\n"+secretLine+"  # keygate:allow\n")
	g.commit("base")
	g.git("checkout", "-q", "-b", "pr")
	g.write("fixtures/sample.env", secretLine+"\n")
	g.write("bots/old.py", "# moved\n"+secretLine+"\n")
	g.write("bots/allowed.py", "x = 1\n")
	g.commit("drop the line")
	g.write("bots/allowed.py", "x = 1\n"+secretLine+"  # keygate:allow\n")
	g.commit("bring it back, as the base had it")

	res := runCLI(t, g.dir, nil, "scan", "--range", "main..pr", "--format", "json", "--no-env-file")
	require.Equal(t, exitPass, res.code, res.combined)
	rep := decodeReport(t, res.stdout, res.combined)
	got := map[string]string{}
	for _, s := range rep.Suppressed {
		got[s.Path] = s.Mechanism
	}
	assert.Equal(t, map[string]string{"fixtures/sample.env": "allow_paths", "bots/old.py": "gitleaksignore", "bots/allowed.py": "inline"}, got)

	// The head's working tree may say anything: a range reads commits.
	g.write(".keygate.yaml", "allow_paths: ['**']\nblocked_paths: []\n")
	g.write("bots/new.py", secretLine+"\n")
	g.commit("widen")
	res = runCLI(t, g.dir, nil, "scan", "--range", "main..pr", "--format", "json", "--no-env-file")
	assert.Equal(t, exitFail, res.code, res.combined)
	// A working-tree scan of the same files uses the local configuration.
	res = runCLI(t, g.dir, nil, "scan", "--format", "json", "--no-env-file", "bots/new.py")
	assert.Equal(t, exitPass, res.code, res.combined)
}

// A pack reusing a built-in id without override: true, or allowing every
// value, is refused at its file and line (exit 2); in a range it is judged
// by the base (the pack is a policy change, exit 1) and refused when a
// maintainer would accept it.
func TestPackRedefinitionsRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, pack, where string }{
		{"redefine without override", "name: team\nrules:\n" + neverRule("bitget-api-secret", false), "packs/team.yaml:3"},
		{"allow every placeholder", "name: team\nrules:\n" + neverRule("team-token", false) + "allow:\n  placeholders: ['x', '.*']\n", "packs/team.yaml:10"},
		{"allow the empty string", "name: team\nrules:\n" + neverRule("team-token", false) + "allow:\n  placeholders: ['^(sample)?$']\n", "packs/team.yaml:10"},
		{"allow every path", "name: team\nrules:\n" + neverRule("team-token", false) + "allow:\n  paths: ['**']\n", "packs/team.yaml:10"},
		{"rule allow matching all", "name: team\nrules:\n" + neverRule("team-token", false) + "    allow: ['.+']\n", "packs/team.yaml:9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := pullRequestRepo(t)
			g.write("bots/config.py", secretLine+"\n")
			g.write(".keygate.yaml", "rules: [packs/team.yaml]\n")
			g.write("packs/team.yaml", tc.pack)
			g.commit("the pull request")

			res := runCLI(t, g.dir, nil, "scan", "--no-env-file", "bots/config.py")
			assert.Equal(t, exitUsage, res.code, res.combined)
			assert.Contains(t, res.stderr, tc.where)
			res = runCLI(t, g.dir, nil, "scan", "--range", "main..pr", "--format", "json", "--no-env-file")
			assert.Equal(t, exitFail, res.code, res.combined)
			assert.Contains(t, res.stdout, "suppression-added-pack")
			res = runCLI(t, g.dir, nil, "scan", "--range", "main..pr", "--no-env-file", "--accept-policy-changes")
			assert.Equal(t, exitUsage, res.code, res.combined)
			assert.Contains(t, res.stderr, tc.where)
			assert.NotContains(t, res.combined, fixture.BitgetSecret)
		})
	}
}

// Every suppression is visible, masked, in every output: text, latest.json,
// SARIF (suppressions, validated with the official schema and Microsoft's
// multitool), the Markdown summary, JUnit and GitHub annotations.
func TestSuppressionsVisibleEverywhere(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write(".keygate.yaml", "allow_paths: ['fixtures/**']\n")
	g.write("docs/readme.md", "hello\n")
	g.commit("base")
	g.git("checkout", "-q", "-b", "pr")
	g.write("fixtures/sample.env", secretLine+"\n")
	g.write("bots/config.py", secretLine+"  # keygate:allow\n")
	g.commit("the pull request")

	dir := t.TempDir()
	sarifPath, summary, junit := filepath.Join(dir, "k.sarif"), filepath.Join(dir, "summary.md"), filepath.Join(dir, "junit.xml")
	res := runCLI(t, g.dir, nil, "scan", "--range", "main..pr", "--no-env-file", "--accept-policy-changes",
		"--sarif", sarifPath, "--summary", summary, "--junit", junit, "--report", "out/latest.json")
	require.Equal(t, exitPass, res.code, res.combined)
	latest, err := os.ReadFile(filepath.Join(g.dir, "out", "latest.json"))
	require.NoError(t, err)
	validateReportSchema(t, latest)
	rep := decodeReport(t, string(latest))
	require.Len(t, rep.Suppressed, 3)
	for _, s := range rep.Suppressed {
		assert.NotEmpty(t, s.Mechanism)
		assert.NotEmpty(t, s.Justification)
	}
	assert.Contains(t, res.stdout, "Suppressed (3):")
	assert.Contains(t, res.stdout, "fixtures/sample.env:1:24  bitget-api-secret  ****beef")
	assert.Contains(t, res.stdout, "suppressed by allow_paths")
	assert.Contains(t, res.stdout, "bots/config.py:1:24  bitget-api-secret  ****beef")
	assert.Contains(t, res.stdout, "suppressed by inline")
	assert.Contains(t, res.stdout, "suppression-added-inline")
	assert.Contains(t, res.stdout, "suppressed by accepted")

	doc, err := os.ReadFile(sarifPath)
	require.NoError(t, err)
	validateSchema(t, doc)
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID       string `json:"ruleId"`
				Suppressions []struct {
					Kind, Justification string
				} `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(doc, &log))
	kinds := map[string]int{}
	for _, r := range log.Runs[0].Results {
		require.Len(t, r.Suppressions, 1, r.RuleID)
		kinds[r.Suppressions[0].Kind]++
		assert.NotEmpty(t, r.Suppressions[0].Justification)
	}
	assert.Equal(t, map[string]int{"inSource": 1, "external": 2}, kinds)
	multitool(t, sarifPath)

	md, err := os.ReadFile(summary)
	require.NoError(t, err)
	assert.Contains(t, string(md), "### Suppressed (3)")
	assert.Contains(t, string(md), "`****beef`")
	xml, err := os.ReadFile(junit)
	require.NoError(t, err)
	assert.Contains(t, string(xml), `skipped="3"`)

	res = runCLI(t, g.dir, nil, "scan", "--range", "main..pr", "--no-env-file", "--accept-policy-changes", "--format", "github")
	require.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "::warning file=fixtures/sample.env,line=1,col=24,title=keygate suppressed bitget-api-secret::")
	for _, out := range []string{res.combined, string(doc), string(md), string(xml)} {
		assert.NotContains(t, out, fixture.BitgetSecret)
	}
}

// validateReportSchema checks latest.json against the schema the
// repository publishes (schema/latest.schema.json).
func validateReportSchema(t *testing.T, doc []byte) {
	t.Helper()
	f, err := os.Open(filepath.Join(repoTop(t), "schema", "latest.schema.json"))
	require.NoError(t, err)
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("latest.schema.json", schemaDoc))
	sch, err := c.Compile("latest.schema.json")
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	require.NoError(t, err)
	require.NoError(t, sch.Validate(inst))
}

// A pack that overrides a built-in policy rule with override: true loads,
// and the override is shown in text, JSON and SARIF.
func TestPolicyRuleOverrideShown(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "bots/config.py", "x = 1\n")
	fixture.Write(t, dir, "packs/team.yaml", "name: team\nrules:\n"+neverRule("bitget-api-secret", true))
	sarifPath := filepath.Join(dir, "out.sarif")
	res := runCLI(t, dir, nil, "scan", "--no-env-file", "--rules", filepath.Join(dir, "packs/team.yaml"), "--format", "json", "--sarif", sarifPath, "bots/config.py")
	require.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stderr, "packs/team.yaml:3: overrides the built-in policy rule bitget-api-secret")
	rep := decodeReport(t, res.stdout)
	require.Len(t, rep.RulePack.Overrides, 1)
	assert.Equal(t, "bitget-api-secret", rep.RulePack.Overrides[0].RuleID)
	assert.True(t, rep.RulePack.Overrides[0].Policy)
	assert.Equal(t, 3, rep.RulePack.Overrides[0].Line)
	doc, err := os.ReadFile(sarifPath)
	require.NoError(t, err)
	validateSchema(t, doc)
	assert.Contains(t, string(doc), "overrides the built-in policy rule bitget-api-secret (override: true)")

	res = runCLI(t, dir, nil, "scan", "--no-env-file", "--rules", filepath.Join(dir, "packs/team.yaml"), "bots/config.py")
	assert.Contains(t, res.combined, "overrides the built-in policy rule bitget-api-secret", "text output")
}

// A pull request adding thousands of .gitleaksignore entries gets a
// hundred findings, one per entry, and one more for the rest, at the first
// of them: it still fails, and its report stays small.
func TestRangePolicyFindingsBounded(t *testing.T) {
	t.Parallel()
	g := pullRequestRepo(t)
	var b bytes.Buffer
	for i := range 250 {
		fmt.Fprintf(&b, "docs/f%d.md:generic-api-key:%d\n", i, i+1)
	}
	g.write(".gitleaksignore", b.String())
	g.commit("many entries")

	res := runCLI(t, g.dir, nil, "scan", "--range", "main..pr", "--format", "json", "--no-env-file")
	require.Equal(t, exitFail, res.code, res.combined)
	rep := decodeReport(t, res.stdout, res.combined)
	var lines []int
	var last report.Finding
	for _, f := range rep.Findings {
		if f.RuleID == "suppression-added-gitleaksignore" {
			lines = append(lines, f.Line)
			if f.Line == 101 {
				last = f
			}
		}
	}
	require.Len(t, lines, 101)
	assert.Contains(t, last.Detail, "and 150 more changes the base did not hold, from this line on")
}

// The same bound holds for a baseline the range adds, whatever its
// fingerprints look like in the file (JSON escapes are not searched for
// past the bound).
func TestRangeBaselineFindingsBounded(t *testing.T) {
	t.Parallel()
	g := pullRequestRepo(t)
	var b bytes.Buffer
	b.WriteString("{\"version\": 1, \"findings\": [\n")
	for i := range 180 {
		fp := fmt.Sprintf("%032x", i*7919+1)
		if i%2 == 1 {
			fp = `\u0030` + fp[1:] // the same text, escaped
		}
		sep := ","
		if i == 179 {
			sep = ""
		}
		fmt.Fprintf(&b, "{\"fingerprint\": \"%s\", \"rule_id\": \"generic-secret-assignment\", \"path\": \"docs/f%d.md\", \"secret_masked\": \"****\"}%s\n", fp, i, sep)
	}
	b.WriteString("]}\n")
	g.write(".keygate-baseline.json", b.String())
	g.commit("a baseline")

	res := runCLI(t, g.dir, nil, "scan", "--range", "main..pr", "--format", "json", "--no-env-file")
	require.Equal(t, exitFail, res.code, res.combined)
	rep := decodeReport(t, res.stdout, res.combined)
	n, counted := 0, ""
	for _, f := range rep.Findings {
		if f.RuleID == "suppression-added-baseline" {
			n++
			if strings.Contains(f.Detail, "more changes") {
				counted = f.Detail
			}
		}
	}
	assert.Equal(t, 101, n)
	assert.Contains(t, counted, "and 80 more changes the base did not hold")
}

// A policy finding's detail quotes what the change wrote; a key written
// there (a baseline entry's rule id) is masked like any other text.
func TestPolicyDetailMasked(t *testing.T) {
	t.Parallel()
	g := pullRequestRepo(t)
	g.write(".keygate-baseline.json", `{"version": 1, "findings": [{"fingerprint": "0123456789abcdef0123456789abcdef", "rule_id": "`+fixture.BitgetKey+`", "path": "x", "secret_masked": "****"}]}`+"\n")
	g.commit("a baseline entry naming a key")
	sarifPath := filepath.Join(t.TempDir(), "k.sarif")
	for _, format := range []string{"text", "json", "markdown", "junit", "github"} {
		res := runCLI(t, g.dir, nil, "scan", "--range", "main..pr", "--format", format, "--no-env-file", "--sarif", sarifPath)
		require.Equal(t, exitFail, res.code, res.combined)
		if format == "text" || format == "json" || format == "markdown" {
			assert.Contains(t, res.combined, "a baseline entry (rule ", format)
		}
		assert.NotContains(t, res.combined, fixture.BitgetKey, format)
		sarif, err := os.ReadFile(sarifPath)
		require.NoError(t, err)
		assert.NotContains(t, string(sarif), fixture.BitgetKey, "SARIF")
	}
}
