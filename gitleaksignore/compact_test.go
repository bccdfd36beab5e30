package gitleaksignore

import (
	"fmt"
	"hash/maphash"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allEntries reads every entry of l again, in file order.
func allEntries(t *testing.T, l *List) []Entry {
	t.Helper()
	var out []Entry
	require.NoError(t, l.entries(func([]byte) bool { return true }, func(e Entry) { out = append(out, e) }))
	return out
}

const commitC = "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789" // SHA-256, upper case

var (
	genCommits = []string{"", "", commitA, strings.ToUpper(commitA), commitB, commitC}
	genPaths   = []string{"docs/a.md", "./docs/a.md", "docs//a.md", `docs\a.md`, "docs/a.md/", "reports/run.json", "C:/odd:name.md", `C:\odd:name.md`, "/abs/x.txt", "a/../docs/a.md", "deep/x/y/z.env"}
	genRules   = []string{"generic-api-key", "generic-secret-assignment", "aws-access-token", "aws-access-key-id", "stripe-access-token", "stripe-key", "slack-bot-token", "bitget-api-secret", "made-up-rule", "another-unknown"}
	// The rules and paths of the findings asked about: keygate ids, mapped
	// ids' targets, and ids no entry names.
	queryRules   = []string{"generic-secret-assignment", "aws-access-key-id", "stripe-key", "stripe-prod-secret-key", "slack-token", "bitget-api-secret", "made-up-rule", "private-key"}
	queryPaths   = []string{"docs/a.md", "reports/run.json", "C:/odd:name.md", "/abs/x.txt", "deep/x/y/z.env", "docs/b.md", "./docs/a.md"}
	queryCommits = []string{"", commitA, strings.ToUpper(commitA), commitB, strings.ToLower(commitC), "2222222222222222222222222222222222222222"}
)

// genIgnoreFile is a file of n random entries (from small sets, so that
// many share commit, path or line), with comments, blank lines, padding
// and CRLF endings between them.
func genIgnoreFile(r *rand.Rand, n int) string {
	var b strings.Builder
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	for range n {
		switch r.IntN(12) {
		case 0:
			b.WriteString("# reviewed\n")
		case 1:
			b.WriteString("\n")
		}
		e := fmt.Sprintf("%s:%s:%d", pick(genPaths), pick(genRules), 1+r.IntN(4))
		if c := pick(genCommits); c != "" {
			e = c + ":" + e
		}
		switch r.IntN(6) {
		case 0:
			e = "  " + e + "\t"
		case 1:
			e += "\r"
		}
		b.WriteString(e + "\n")
	}
	return b.String()
}

func knownRule(id string) bool {
	for _, r := range queryRules[:len(queryRules)-2] {
		if r == id {
			return true
		}
	}
	return id == "slack-token" || id == "stripe-key" || id == "private-key"
}

// assertSameAsReference checks that l answers every finding asked about
// as the reference representation does, and lists the same unused entries.
func assertSameAsReference(t *testing.T, ref *refList, l *List) {
	t.Helper()
	hits := 0
	for _, c := range queryCommits {
		for _, p := range queryPaths {
			for _, rule := range queryRules {
				for line := 1; line <= 5; line++ {
					want := ref.match(c, p, rule, line)
					hits += map[bool]int{true: 1}[want]
					require.Equal(t, want, l.Match(c, p, rule, line), "commit %q path %q rule %q line %d", c, p, rule, line)
				}
			}
		}
	}
	require.Positive(t, hits, "the queries meet some entries")
	unused, err := l.Unknown(knownRule)
	require.NoError(t, err)
	assert.Equal(t, ref.unknown(knownRule), unused)
	assert.Equal(t, ref.entries, allEntries(t, l))
	assert.Equal(t, len(ref.entries), l.Len())
}

// readerOnlyFS hides its files' ReadAt: such a file is read whole.
type readerOnlyFS struct{ fs.FS }

type readerOnly struct{ fs.File }

func (f readerOnlyFS) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	return readerOnly{file}, err
}

// The compact list matches exactly what the list of strings it replaced
// matched, and lists the same unused entries, however the file is read
// and however its keys collide.
func TestSameAsReference(t *testing.T) {
	collide := func(maphash.Seed, []byte) uint64 { return 7 }
	collideInThirds := func(seed maphash.Seed, key []byte) uint64 { return maphash.Bytes(seed, key) % 3 }
	collideOften := func(seed maphash.Seed, key []byte) uint64 { return maphash.Bytes(seed, key) % 64 }
	tests := []struct {
		name    string
		entries int
		hash    func(maphash.Seed, []byte) uint64
		load    func(t *testing.T, data string) (*List, error)
	}{
		{"in memory", 300, nil, func(_ *testing.T, data string) (*List, error) { return Parse("ig", []byte(data)) }},
		{"every key collides", 100, collide, func(_ *testing.T, data string) (*List, error) { return Parse("ig", []byte(data)) }},
		{"keys collide in thirds", 150, collideInThirds, func(_ *testing.T, data string) (*List, error) { return Parse("ig", []byte(data)) }},
		{"large file read from disk", 2000, nil, func(t *testing.T, data string) (*List, error) {
			p := filepath.Join(t.TempDir(), FileName)
			require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
			return Load(p)
		}},
		{"large file, keys collide often", 2000, collideOften, func(t *testing.T, data string) (*List, error) {
			p := filepath.Join(t.TempDir(), FileName)
			require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
			return Load(p)
		}},
		{"large file of a tree (fs.FS)", 2000, nil, func(_ *testing.T, data string) (*List, error) {
			return LoadFS(fstest.MapFS{FileName: {Data: []byte(data)}}, "base:"+FileName)
		}},
		{"large file of an fs without ReadAt", 2000, nil, func(_ *testing.T, data string) (*List, error) {
			return LoadFS(readerOnlyFS{fstest.MapFS{FileName: {Data: []byte(data)}}}, "base:"+FileName)
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.hash != nil {
				saved := keyHash
				keyHash = tt.hash
				t.Cleanup(func() { keyHash = saved })
			}
			data := genIgnoreFile(rand.New(rand.NewPCG(uint64(i), 28)), tt.entries)
			if tt.entries > 1000 {
				// Comments in the middle make it a file read in a stream.
				i := strings.Index(data[len(data)/2:], "\n") + len(data)/2 + 1
				data = data[:i] + strings.Repeat("# padding\n", inMemory/10+1) + data[i:]
				require.Greater(t, len(data), inMemory, "the case reads a large file")
			}
			ref, err := refParse("ig", []byte(data))
			require.NoError(t, err)
			l, err := tt.load(t, data)
			require.NoError(t, err)
			defer l.Close()
			assertSameAsReference(t, ref, l)
		})
	}
}

// A key hit is confirmed against the entry's own line: entries whose keys
// all collide suppress only the findings they name.
func TestCollisionSuppressesNothing(t *testing.T) {
	saved := keyHash
	keyHash = func(maphash.Seed, []byte) uint64 { return 0 }
	t.Cleanup(func() { keyHash = saved })
	l, err := Parse("ig", []byte("docs/a.md:generic-api-key:3\n"+commitA+":docs/c.md:aws-access-token:9\n"))
	require.NoError(t, err)
	assert.True(t, l.Match("", "docs/a.md", "generic-secret-assignment", 3))
	assert.True(t, l.Match(commitA, "docs/c.md", "aws-access-key-id", 9))
	assert.False(t, l.Match("", "docs/b.md", "generic-secret-assignment", 3), "same hash, other path")
	assert.False(t, l.Match("", "docs/a.md", "generic-secret-assignment", 4), "same hash, other line")
	assert.False(t, l.Match("", "docs/a.md", "aws-access-key-id", 3), "same hash, other rule")
	assert.False(t, l.Match(commitB, "docs/c.md", "aws-access-key-id", 9), "same hash, other commit")
}

// Unknown reads the file again only when an id is unknown; with more
// distinct ids than it remembers, it still finds every unknown entry.
func TestUnknownManyIDs(t *testing.T) {
	var b strings.Builder
	for i := range maxRuleIDs + 10 {
		fmt.Fprintf(&b, "docs/a.md:rule-%d:%d\n", i, 1+i%7)
	}
	b.WriteString("docs/a.md:generic-api-key:1\n")
	l, err := Parse("ig", []byte(b.String()))
	require.NoError(t, err)
	assert.True(t, l.ids.many)
	unused, err := l.Unknown(func(id string) bool { return id != "rule-5" && id != fmt.Sprintf("rule-%d", maxRuleIDs+3) })
	require.NoError(t, err)
	assert.Equal(t, []Entry{
		{Path: "docs/a.md", RuleID: "rule-5", Line: 6, At: 6},
		{Path: "docs/a.md", RuleID: fmt.Sprintf("rule-%d", maxRuleIDs+3), Line: 1 + (maxRuleIDs+3)%7, At: maxRuleIDs + 4},
	}, unused)
}

// A file of many bad lines names the first ones by file:line and counts
// the rest; a line over 1 MiB is an error naming the file.
func TestParseErrorsBounded(t *testing.T) {
	_, err := Parse("ig", []byte(strings.Repeat("bad\n", maxErrors+5)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("ig:%d:", maxErrors))
	assert.NotContains(t, err.Error(), fmt.Sprintf("ig:%d:", maxErrors+1))
	assert.Contains(t, err.Error(), "ig: 5 more bad lines")

	_, err = Parse("ig", []byte("docs/a.md:r:1\n"+strings.Repeat("x", maxLine+1)+"\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ig: bufio.Scanner: token too long")
}
