package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Suites   []struct {
		Cases []struct {
			File    string    `xml:"file,attr"`
			Line    int       `xml:"line,attr"`
			Failure *struct{} `xml:"failure"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// --format junit prints, and --junit FILE writes, the same JUnit XML: one
// failing testcase per finding, masked, or one passing testcase when clean.
func TestJUnitOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.TradingOpsWithEnv(t, dir)
	res := runCLI(t, dir, nil, "scan", "--include-logs", "--format", "junit", "--junit", "out/keygate.xml")
	require.Equal(t, exitFail, res.code, res.stderr)
	assertNoLeak(t, "junit stdout", res.combined)
	file, err := os.ReadFile(filepath.Join(dir, "out/keygate.xml"))
	require.NoError(t, err)
	assert.Equal(t, res.stdout, string(file))

	var doc junitDoc
	require.NoError(t, xml.Unmarshal(file, &doc))
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	require.NotEmpty(t, rep.Findings)
	assert.Equal(t, len(rep.Findings), doc.Failures)
	require.Len(t, doc.Suites, 1)
	require.Len(t, doc.Suites[0].Cases, len(rep.Findings))
	for i, c := range doc.Suites[0].Cases {
		assert.NotNil(t, c.Failure)
		assert.Equal(t, rep.Findings[i].Path, c.File)
		assert.Equal(t, rep.Findings[i].Line, c.Line)
	}

	clean := t.TempDir()
	fixture.Write(t, clean, "docs/readme.md", "nothing to see\n")
	res = runCLI(t, clean, nil, "scan", "--format", "junit")
	require.Equal(t, exitPass, res.code, res.stderr)
	doc = junitDoc{}
	require.NoError(t, xml.Unmarshal([]byte(res.stdout), &doc))
	assert.Equal(t, 1, doc.Tests)
	assert.Equal(t, 0, doc.Failures)
	require.Len(t, doc.Suites[0].Cases, 1)
	assert.Nil(t, doc.Suites[0].Cases[0].Failure)
}
