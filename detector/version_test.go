package detector

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/testmode"
	"github.com/keygate/keygate/rules"
)

// versionLines is a pool of lines for random file versions: every rule's
// examples and negatives, known values raw and encoded, inline allows,
// masks, CRLF and filler; and apart, the examples of non-local rules
// (private keys span lines), which force whole scans.
func versionLines(d *Detector) (pool, nonLocal []string) {
	for _, c := range d.rules {
		r := c.rule
		if c.nonLocal {
			nonLocal = append(nonLocal, r.Examples...)
			continue
		}
		pool = append(pool, r.Examples...)
		pool = append(pool, r.NegativeExamples...)
		for _, ex := range r.Examples {
			pool = append(pool, ex+"  # keygate:allow", "x = "+ex+"\r")
		}
	}
	pool = append(pool,
		"passphrase = "+pass,
		"blob: AAAA"+base64.StdEncoding.EncodeToString([]byte("xx"+pass+"yy"))+"==",
		"masked ****ABCD and ${BOT1_BITGET_API_KEY}",
		// Keys found only decoded (base64, hex, percent, escapes, nested),
		// and a base64 PEM key, whose rule sees past lines in plain text.
		"auth blob "+base64.StdEncoding.EncodeToString([]byte("bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0:x")),
		"dump "+fmt.Sprintf("%x", "apiKey=bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0"),
		"GET /cb?s=%7B%22apiKey%22%3A%22bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0%22%7D",
		`{"m": "\u0062\u0067\u005f0f1e2d3c4b5a69788796a5b4c3d2e1f0"}`,
		"x="+base64.StdEncoding.EncodeToString([]byte(base64.StdEncoding.EncodeToString([]byte("k bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0")))),
		"pem "+base64.StdEncoding.EncodeToString([]byte(d.rules[0].rule.Examples[0])),
		"",
		"    value_1 = compute(order_id=8812, symbol=\"BTCUSDT\")",
		"key_7: Zx81Qp0aaa  # sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	)
	for i := range 20 {
		pool = append(pool, fmt.Sprintf("filler line %d", i))
	}
	return pool, nonLocal
}

// A version scanned with its predecessor gives exactly what a full scan
// gives, over long random edit sequences: lines replaced, inserted,
// deleted, moved, duplicated, the last newline dropped and restored.
func TestScanVersionMatchesFullScan(t *testing.T) {
	d := knownDetector(t, KnownValue{Name: "BOT1_BITGET_PASSPHRASE", Value: pass})
	pool, nonLocal := versionLines(d)
	require.NotEmpty(t, nonLocal)
	rng := rand.New(rand.NewPCG(7, 11))
	// Keys split over string literals, joined across lines wherever
	// edits put the pieces next to each other.
	joinedPieces := []string{
		"\tsecret := \"Zq8Ws7k\" +\n\t\t\"Q2xSyn\" +\n\t\t\"th9Vd4Tp\"",
		"\tsecret := \"Zq8Ws7k\" +", "\t\t\"Q2xSyn\" +", "\t\t\"th9Vd4Tp\"",
		"API_TOKEN = (\"Wq9Zr4Sy\"\n    \"nth2Lm7Xk8Qa\")",
		"API_TOKEN = (\"Wq9Zr4Sy\"", "    'nth2Lm7Xk8Qa')", "    \"nth2Lm7Xk8Qa\")",
	}
	pick := func() string {
		if rng.IntN(25) == 0 {
			return nonLocal[rng.IntN(len(nonLocal))]
		}
		if rng.IntN(12) == 0 {
			return joinedPieces[rng.IntN(len(joinedPieces))]
		}
		if rng.IntN(3) == 0 {
			return pool[rng.IntN(len(pool))]
		}
		return fmt.Sprintf("plain %d text", rng.IntN(50))
	}
	carried, withKey, joined, skipped, kept := 0, 0, 0, 0, 0
	files, steps := testmode.Scale(12, 40), 25
	for file := range files {
		var lines []string
		for range 5 + rng.IntN(60) {
			lines = append(lines, pick())
		}
		var prev *Version
		for step := range steps {
			n := len(lines)
			switch op := rng.IntN(7); {
			case op == 0 || n == 0:
				// A private key goes in line by line, so that later edits
				// land inside it.
				i := rng.IntN(n + 1)
				ins := strings.Split(pick(), "\n")
				lines = append(lines[:i:i], append(ins, lines[i:]...)...)
			case op == 1:
				i := rng.IntN(n)
				lines = append(lines[:i], lines[i+1:]...)
			case op == 2:
				i, j := rng.IntN(n), rng.IntN(n)
				lines[i], lines[j] = lines[j], lines[i]
			case op == 3:
				lines = append(lines, lines[:rng.IntN(n)]...)
			default:
				for range 1 + rng.IntN(4) {
					lines[rng.IntN(n)] = pick()
				}
			}
			text := strings.Join(lines, "\n")
			if rng.IntN(2) == 0 {
				text += "\n"
			}
			data := []byte(text)
			want, err := d.Scan(data, "src/app.py")
			require.NoError(t, err)
			got, err := d.ScanVersion(data, "src/app.py", prev)
			require.NoError(t, err)
			require.Equal(t, want, got.Findings, "file %d step %d", file, step)
			// A whole scan runs every byte once; a carry-over runs the new
			// lines, plus every byte again when a private key is there.
			if got.Scanned != int64(len(data)) {
				carried++
			}
			if prev != nil && got.nonLocal {
				withKey++
			}
			if prev != nil && got.joined {
				joined++
			}
			if prev != nil && !prev.joined && !got.joined {
				skipped++
			}
			if got.joinsKept {
				kept++
			}
			prev = got
		}
	}
	// Most versions must have been scanned on their changed lines only, or
	// this test would prove nothing about carrying findings over; and many
	// must have held a private key, the rule that runs over whole versions.
	versions := files * steps
	t.Logf("%d of %d versions carried over, %d with a private key, %d with literals joined (%d of them keeping the version before's runs), %d without after one without", carried, versions, withKey, joined, kept, skipped)
	assert.Greater(t, carried, versions*7/10)
	assert.Greater(t, withKey, versions/5)
	assert.Greater(t, joined, versions/20, "runs of joined literals must come and go")
	assert.Greater(t, kept, versions/40, "and be kept where edits are away from them")
	assert.Less(t, kept, joined, "and looked for again where edits come near them")
	assert.Greater(t, skipped, versions/20)
}

func TestScanVersionScansOnlyChangedLines(t *testing.T) {
	d := defaultDetector(t)
	var b strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&b, "key_%d: value %d\n", i, i)
	}
	old := b.String()
	secret := "BOT1_BITGET_API_KEY=bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0\n"
	v1, err := d.ScanVersion([]byte(secret+old), "a.yaml", nil)
	require.NoError(t, err)
	require.Len(t, v1.Findings, 1)
	assert.Equal(t, int64(len(secret+old)), v1.Scanned)

	edited := strings.Replace(secret+old, "key_500: value 500\n", "key_500: value five hundred\nkey_x: new\n", 1)
	v2, err := d.ScanVersion([]byte(edited), "a.yaml", v1)
	require.NoError(t, err)
	assert.Equal(t, int64(len("key_500: value five hundred\nkey_x: new\n")), v2.Scanned)
	require.Len(t, v2.Findings, 1, "the unchanged first line keeps its finding")
	assert.Equal(t, 1, v2.Findings[0].Line)

	// Another path means other path-limited rules: scanned whole.
	v3, err := d.ScanVersion([]byte(edited), "b.yaml", v2)
	require.NoError(t, err)
	assert.Equal(t, int64(len(edited)), v3.Scanned)
}

// A file's versions share their rule sets; a version of another path gets
// its own: a rule limited to Terraform files finds the password in main.tf
// and not in the same text under notes.txt, scanned with main.tf's version
// as its predecessor.
func TestScanVersionRulesFollowThePath(t *testing.T) {
	d := defaultDetector(t)
	text := "filler\ndb_password = \"Tide5Dgaharbor7\"\n"
	rulesOf := func(fs []Finding) []string {
		var ids []string
		for _, f := range fs {
			ids = append(ids, f.RuleID)
		}
		return ids
	}
	tf, err := d.ScanVersion([]byte(text), "infra/main.tf", nil)
	require.NoError(t, err)
	require.Contains(t, rulesOf(tf.Findings), "terraform-password")

	tf2, err := d.ScanVersion([]byte(text+"more\n"), "infra/main.tf", tf)
	require.NoError(t, err)
	assert.Contains(t, rulesOf(tf2.Findings), "terraform-password")

	notes, err := d.ScanVersion([]byte(text+"more\n"), "notes.txt", tf2)
	require.NoError(t, err)
	full, err := d.Scan([]byte(text+"more\n"), "notes.txt")
	require.NoError(t, err)
	assert.NotContains(t, rulesOf(notes.Findings), "terraform-password")
	assert.Equal(t, rulesOf(full), rulesOf(notes.Findings))
}

// The line index built from the version before is the one built from
// scratch, and every line it maps to a line of the version before holds
// the same bytes, whatever the edit: at the start, at the end, a newline
// added or dropped at the end, an empty version on either side, a line
// grown into the next.
func TestLineIndexAfterIsLineIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 14))
	word := func() string { return []string{"a", "b", "ab\n", "\n", "key=1\n", "", "x\r\n"}[rng.IntN(7)] }
	text := func(n int) []byte {
		var b strings.Builder
		for range n {
			b.WriteString(word())
		}
		return []byte(b.String())
	}
	sc := new(lineScratch) // reused, as ScanVersion's pool does
	for range 20000 {
		a := text(rng.IntN(12))
		var data []byte
		switch rng.IntN(4) {
		case 0:
			data = text(rng.IntN(12))
		case 1:
			data = append(text(rng.IntN(3)), a...)
		case 2:
			data = append(append([]byte(nil), a...), text(rng.IntN(3))...)
		default:
			i := rng.IntN(len(a) + 1)
			j := i + rng.IntN(len(a)-i+1)
			data = append(append(append([]byte(nil), a[:i]...), text(rng.IntN(3))...), a[j:]...)
		}
		prev := &Version{data: a}
		prev.starts, prev.hashes = lineIndex(a)
		wantStarts, wantHashes := lineIndex(data)
		starts, hashes, bToA, middle := lineIndexAfter(prev, data, sc)
		require.Equal(t, wantStarts, starts, "%q -> %q", a, data)
		require.Equal(t, wantHashes, hashes, "%q -> %q", a, data)
		require.Len(t, bToA, len(hashes))
		v := &Version{data: data, starts: starts, hashes: hashes}
		for j, i := range bToA {
			if i >= 0 {
				require.Equal(t, prev.line(i), v.line(j), "%q -> %q", a, data)
			}
			// Outside the middle, a line is the version before's line
			// as many lines from the same end.
			switch {
			case j < middle.from:
				require.Equal(t, j, i)
			case j >= middle.to:
				require.Equal(t, len(prev.hashes)-(len(bToA)-j), i)
			}
		}
	}
}

// Edited by inserting, dropping and changing lines (runs of any length,
// anywhere), a version's lines that the version before held are all
// mapped to it: only what is new is scanned again. The lines are unique,
// so a line is mapped exactly when the version before held it.
func TestLineIndexAfterMapsEveryKeptLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	fresh := 0
	newLines := func(n int) []string {
		out := make([]string, n)
		for k := range out {
			fresh++
			out[k] = fmt.Sprintf("line_%d = value(%d)\n", fresh, rng.IntN(1000))
		}
		return out
	}
	sc := new(lineScratch) // reused, as ScanVersion's pool does
	check := func(lines, next []string) {
		t.Helper()
		a, data := []byte(strings.Join(lines, "")), []byte(strings.Join(next, ""))
		prev := &Version{data: a}
		prev.starts, prev.hashes = lineIndex(a)
		_, _, bToA, _ := lineIndexAfter(prev, data, sc)
		held := map[string]bool{}
		for _, l := range lines {
			held[l] = true
		}
		for j, l := range next {
			assert.Equal(t, held[l], bToA[j] >= 0, "line %d of %d: %q", j, len(next), l)
		}
	}
	// A block dropped, then a line of it moved back: the lines between,
	// found nowhere near, are looked up before the moved line is met.
	lines := newLines(100)
	check(lines, slices.Concat(lines[:5], lines[35:60], lines[8:9], lines[60:99], newLines(1)))
	for range 3000 {
		lines := newLines(rng.IntN(200))
		next := slices.Clone(lines)
		for range 1 + rng.IntN(4) {
			at := rng.IntN(len(next) + 1)
			n := []int{1, 2, 3, 7, 8, 9, 30, 150}[rng.IntN(8)]
			switch rng.IntN(3) {
			case 0: // inserted
				next = slices.Insert(next, at, newLines(n)...)
			case 1: // dropped
				next = slices.Delete(next, at, min(at+n, len(next)))
			default: // changed in place
				next = slices.Replace(next, at, min(at+n, len(next)), newLines(min(n, len(next)-at))...)
			}
		}
		check(lines, next)
	}
}

// scanAfter scans data as the version after prev and checks that its
// findings are a full scan's.
func scanAfter(t *testing.T, d *Detector, data []byte, path string, prev *Version) *Version {
	t.Helper()
	got, err := d.ScanVersion(data, path, prev)
	require.NoError(t, err)
	want, err := d.Scan(data, path)
	require.NoError(t, err)
	assert.Equal(t, want, got.Findings)
	return got
}

// A version whose edits are away from every run of joined literals keeps
// the version before's runs and what they held, moved with their lines;
// an edit on a run's line, next to it, or making a joint next to the
// edit, has the runs looked for again. Each version's findings are a
// full scan's.
func TestScanVersionKeepsJoinsAwayFromEdits(t *testing.T) {
	d := defaultDetector(t)
	run := []string{"\tsecret := \"Zq8Ws7k\" +", "\t\t\"Q2xSyn\" +", "\t\t\"th9Vd4Tp\""}
	var base []string
	for i := range 12 {
		base = append(base, fmt.Sprintf("\tx%d := compute(%d)", i, i))
	}
	withRun := slices.Concat(base[:6], run, base[6:]) // the run on lines 6-8
	tests := []struct {
		name string
		next []string
		kept bool
	}{
		{"a line changed far before", slices.Concat([]string{"\tx0 := compute(100)"}, withRun[1:]), true},
		{"a line changed far after", slices.Concat(withRun[:14], []string{"\tdone()"}), true},
		{"lines inserted far before", slices.Concat(withRun[:2], []string{"\ta := 1", "\tb := 2"}, withRun[2:]), true},
		{"the run's last line changed", slices.Concat(withRun[:8], []string{"\t\tplain()"}, withRun[9:]), false},
		{"the run's first line dropped", slices.Concat(withRun[:6], withRun[7:]), false},
		{"a line changed just after the run", slices.Concat(withRun[:9], []string{"\t\t\"Zz9Yy8Xx\""}, withRun[10:]), false},
		{"a line changed just before the run", slices.Concat(withRun[:5], []string{"\tkey := \"Aa1Bb2Cc\" +"}, withRun[6:]), false},
		{"a joint made away from the run", slices.Concat(withRun[:1], []string{"\ttoken := \"Wq9Zr4Sy\" +", "\t\t\"nth2Lm7Xk8Qa\""}, withRun[1:]), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, err := d.ScanVersion([]byte(strings.Join(withRun, "\n")+"\n"), "x.go", nil)
			require.NoError(t, err)
			require.Len(t, first.Findings, 1, "the joined secret")
			got := scanAfter(t, d, []byte(strings.Join(tt.next, "\n")+"\n"), "x.go", first)
			assert.Equal(t, tt.kept, got.joinsKept)
		})
	}
}

// A file's versions share what the rules found in their runs of joined
// literals: a run its next version still holds is not searched again
// (its entry is what the next version gets), and a changed run is.
func TestScanVersionReusesJoinedRuns(t *testing.T) {
	d := defaultDetector(t)
	run := "\tsecret := \"Zq8Ws7k\" +\n\t\t\"Q2xSyn\" +\n\t\t\"th9Vd4Tp\"\n"
	v1 := []byte("package x\n\nfunc f() {\n" + run + "}\n")
	first, err := d.ScanVersion(v1, "x.go", nil)
	require.NoError(t, err)
	require.Len(t, first.Findings, 1)
	require.Equal(t, EncJoined, first.Findings[0].Decoded)
	memo := &first.rules.joins
	require.Len(t, memo.runs, 1)
	// Emptied, the entry is what an unchanged run gives from now on.
	for k := range memo.runs {
		memo.runs[k] = nil
	}
	v2 := []byte("package x\n\n// f returns.\nfunc f() {\n" + run + "}\n")
	second, err := d.ScanVersion(v2, "x.go", first)
	require.NoError(t, err)
	assert.Empty(t, second.Findings, "the run's matches come from the memo")
	// A changed run is searched.
	v3 := []byte(strings.Replace(string(v2), "th9Vd4Tp", "th9Vd4Tq", 1))
	third, err := d.ScanVersion(v3, "x.go", second)
	require.NoError(t, err)
	want, err := d.Scan(v3, "x.go")
	require.NoError(t, err)
	assert.Equal(t, want, third.Findings)
	assert.Len(t, third.Findings, 1)
}

// A version whose edits are away from every window the non-local rules
// (private keys) ran over in the version before keeps those windows and
// their matches, moved with the text after the edit, instead of running
// the rules over the whole version again; an edit in or near a window, or
// a keyword of such a rule in the edit, has them run again. Each version's
// findings are a full scan's.
func TestScanVersionKeepsNonLocalAwayFromEdits(t *testing.T) {
	d := defaultDetector(t)
	key := strings.Split(d.rules[d.byID["private-key"]].rule.Examples[0], "\n")
	// 400 lines of about 50 bytes before the key and 500 after: the key's
	// window reaches 4 KB back and 16 KB on from its keyword.
	filler := func(from, n int) []string {
		var out []string
		for i := from; i < from+n; i++ {
			out = append(out, fmt.Sprintf("order %05d filled at price 42.%02d qty 0.5 side buy", i, i%100))
		}
		return out
	}
	first := slices.Concat(filler(0, 400), key, filler(400, 500))
	// The version after it, which runs the rules again (the first after a
	// whole scan does) and records their windows; the cases edit it.
	base := slices.Clone(first)
	base[899] = "order last"
	at := 400 // the key's first line
	change := func(i int, line string) []string {
		out := slices.Clone(base)
		out[i] = line
		return out
	}
	tests := []struct {
		name string
		next []string
		kept bool
	}{
		{"a line changed far before", change(10, "order changed"), true},
		{"a line changed far after", change(at+len(key)+450, "order changed"), true},
		{"lines inserted far before", slices.Concat(base[:5], []string{"new 1", "new 2", "new 3"}, base[5:]), true},
		{"lines dropped far before", slices.Concat(base[:5], base[9:]), true},
		{"a line of the key changed", change(at+1, "MHcCAQEEII7IePtgjcWAU+WRuG+f3tKibM6DJhAFfVWAViqglWcVoAoGCCqGSM4A"), false},
		{"the key's last line dropped", slices.Concat(base[:at+len(key)-1], base[at+len(key):]), false},
		{"a line changed 1 KB before the key", change(at-20, "order changed"), false},
		{"a line changed 2 KB after the key", change(at+len(key)+40, "order changed"), false},
		{"a keyword written far before", change(10, "# the private key is in the vault"), false},
		{"a second key far after", slices.Concat(base[:at+len(key)+450], key, base[at+len(key)+450:]), false},
	}
	data := func(lines []string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v1, err := d.ScanVersion(data(first), "notes.md", nil)
			require.NoError(t, err)
			require.Len(t, v1.Findings, 1, "the private key")
			v2, err := d.ScanVersion(data(base), "notes.md", v1)
			require.NoError(t, err)
			require.False(t, v2.nlKept)
			require.NotEmpty(t, v2.nlWindows)

			next := data(tt.next)
			got := scanAfter(t, d, next, "notes.md", v2)
			assert.Equal(t, tt.kept, got.nlKept)
			if tt.kept {
				assert.Less(t, got.Scanned, int64(len(next)), "the whole version was not scanned again")
				assert.True(t, got.nonLocal, "the next version still looks for the key")
			}
		})
	}
}

// Long files holding private keys, edited at random: each version's
// findings are a full scan's, and many versions keep the version before's
// non-local matches (and many do not).
func TestScanVersionNonLocalMatchesFullScan(t *testing.T) {
	d := defaultDetector(t)
	pool, nonLocal := versionLines(d)
	rng := rand.New(rand.NewPCG(3, 5))
	pick := func() string {
		switch rng.IntN(300) {
		case 0:
			return nonLocal[rng.IntN(len(nonLocal))]
		case 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20:
			return pool[rng.IntN(len(pool))]
		}
		return fmt.Sprintf("filler %d of a long log line, to spread keys apart %d", rng.IntN(1000), rng.IntN(1000))
	}
	withKey, kept := 0, 0
	files, steps := testmode.Scale(4, 12), 25
	for file := range files {
		var lines []string
		for range 800 + rng.IntN(2000) {
			lines = append(lines, strings.Split(pick(), "\n")...)
		}
		var prev *Version
		for step := range steps {
			n := len(lines)
			i := rng.IntN(n)
			switch op := rng.IntN(5); op {
			case 0:
				lines = append(lines[:i:i], append(strings.Split(pick(), "\n"), lines[i:]...)...)
			case 1:
				lines = append(lines[:i], lines[min(n, i+1+rng.IntN(3)):]...)
			default:
				lines[i] = pick()
			}
			data := []byte(strings.Join(lines, "\n") + "\n")
			want, err := d.Scan(data, "ops/runbook.md")
			require.NoError(t, err)
			got, err := d.ScanVersion(data, "ops/runbook.md", prev)
			require.NoError(t, err)
			require.Equal(t, want, got.Findings, "file %d step %d", file, step)
			if prev != nil && got.nonLocal {
				withKey++
			}
			if got.nlKept {
				kept++
			}
			prev = got
		}
	}
	t.Logf("%d of %d versions with a private key, %d keeping the version before's", withKey, files*steps, kept)
	assert.Greater(t, withKey, files*steps/2)
	assert.Greater(t, kept, withKey/8, "edits away from the keys keep their matches")
	assert.Less(t, kept, withKey*9/10, "edits near them do not")
}

// The edges of keepNonLocal's conditions: an edit just past a window, but
// within the gap over which windows are matched as one span, runs the
// rules again, and one past that gap does not; a non-local rule whose
// windows a prefilter opens (no keyword says where) runs again whatever
// the edit; and a version's windows move with its text, so that
// the version after it measures its edits against where they are.
func TestScanVersionKeepNonLocalEdges(t *testing.T) {
	def := defaultDetector(t)
	key := def.rules[def.byID["private-key"]].rule.Examples[0]

	var lines []string
	for i := range 1200 {
		lines = append(lines, fmt.Sprintf("order %05d filled at price 42.%02d qty 0.5 side", i, i%100))
	}
	text := func(ls []string) []byte { return []byte(strings.Join(ls, "\n") + "\n") }
	// v1 scanned whole, v2 (an edit at the end) runs the rules and records
	// their windows; next is scanned after v2.
	chain := func(t *testing.T, d *Detector, path string, v1 []string) (*Version, []string) {
		first, err := d.ScanVersion(text(v1), path, nil)
		require.NoError(t, err)
		v2 := slices.Clone(v1)
		v2[len(v2)-1] = "last"
		second, err := d.ScanVersion(text(v2), path, first)
		require.NoError(t, err)
		require.True(t, second.nlDone)
		return second, v2
	}
	check := func(t *testing.T, d *Detector, path string, prev *Version, next []string, kept bool) *Version {
		got := scanAfter(t, d, text(next), path, prev)
		assert.Equal(t, kept, got.nlKept)
		return got
	}
	// lineAfter is the first line of ls starting at or past offset.
	lineAfter := func(ls []string, offset int) int {
		at := 0
		for i, l := range ls {
			if at >= offset {
				return i
			}
			at += len(l) + 1
		}
		return len(ls)
	}

	t.Run("the gap after a window", func(t *testing.T) {
		v1 := slices.Concat(lines[:100], strings.Split(key, "\n"), lines[100:])
		prev, base := chain(t, def, "notes.md", v1)
		require.Len(t, prev.nlWindows, 1)
		end := prev.nlWindows[0].end
		near := lineAfter(base, end+1)
		require.Less(t, len(strings.Join(base[:near], "\n"))+1, end+mergeGap, "a line starting within the gap")
		next := slices.Clone(base)
		next[near] = "order changed"
		check(t, def, "notes.md", prev, next, false)
		far := lineAfter(base, end+mergeGap+1)
		next = slices.Clone(base)
		next[far] = "order changed"
		check(t, def, "notes.md", prev, next, true)
	})
	t.Run("a non-local rule with a prefilter", func(t *testing.T) {
		pack, err := rules.Parse("extra.yaml", []byte(`name: extra
version: "1"
rules:
  - id: word-block
    description: twelve words, and the rule under them if there is one
    severity: high
    keywords: ["wordblock"]
    prefilter: word-run
    pattern: '"((?:[a-z]{3,8} ){11}[a-z]{3,8})"(?:\n---)?'
    secret_group: 1
    examples: ["seed = \"abandon ability able about above absent absorb abstract absurd abuse access accident\""]
`))
		require.NoError(t, err)
		d, err := New(pack)
		require.NoError(t, err)
		v1 := slices.Concat(lines[:1100], []string{"wordblock"}, lines[1100:])
		prev, base := chain(t, d, "seed.txt", v1)
		require.True(t, prev.nonLocal)
		next := slices.Concat(base[:10], []string{`seed = "abandon ability able about above absent absorb abstract absurd abuse access accident"`, "---"}, base[10:])
		got := check(t, d, "seed.txt", prev, next, false)
		require.Len(t, got.Findings, 1)
	})
	t.Run("windows move with the text", func(t *testing.T) {
		v1 := slices.Concat(lines[:200], strings.Split(key, "\n"), lines[200:])
		prev, base := chain(t, def, "notes.md", v1)
		require.Len(t, prev.nlWindows, 1)
		w := prev.nlWindows[0]
		// 120 lines inserted at the top move the window 6 KB on.
		var ins []string
		for i := range 120 {
			ins = append(ins, fmt.Sprintf("inserted line %03d, long enough to move the key on", i))
		}
		moved := slices.Concat(base[:1], ins, base[1:])
		third := check(t, def, "notes.md", prev, moved, true)
		require.Len(t, third.nlWindows, 1)
		shift := len(text(moved)) - len(text(base))
		assert.Equal(t, window{w.start + shift, w.end + shift, w.opAfter + shift}, third.nlWindows[0])
		// A line inside the moved window, past where it was, is near it.
		next := slices.Clone(moved)
		next[lineAfter(moved, w.end+shift-200)] = "order changed"
		check(t, def, "notes.md", third, next, false)
	})
}
