package gitleaksignore

import (
	"strings"
	"testing"
)

// FuzzParse checks the compact list against the list of strings it
// replaced on any file: the same files refused, the same entries, the same
// answer for each entry's own finding (and its working-tree twin), the
// same unused entries.
func FuzzParse(f *testing.F) {
	f.Add([]byte("# c\ndocs/a.md:generic-api-key:3\n" + commitA + ":reports/run.json:aws-access-token:12\n"))
	f.Add([]byte(`C:\odd:name.md:some-rule:4` + "\r\n./notes//b.md/:stripe:9\n  x:y:1\t\n"))
	f.Add([]byte(strings.ToUpper(commitC) + ":a/../b:jwt:2\nbad\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ref, refErr := refParse("ig", data)
		l, err := Parse("ig", append([]byte(nil), data...))
		if (refErr == nil) != (err == nil) {
			t.Fatalf("reference error %v, compact error %v", refErr, err)
		}
		if err != nil {
			return
		}
		got := allEntries(t, l)
		if len(got) != len(ref.entries) {
			t.Fatalf("%d entries, reference %d", len(got), len(ref.entries))
		}
		for i, e := range ref.entries {
			if got[i] != e {
				t.Fatalf("entry %d: %+v, reference %+v", i, got[i], e)
			}
			for _, rule := range append(entryIDs(e.RuleID), gitleaksIDs[e.RuleID]...) {
				for _, c := range []string{e.Commit, "", commitB} {
					if want := ref.match(c, e.Path, rule, e.Line); l.Match(c, e.Path, rule, e.Line) != want {
						t.Fatalf("match %q %q %q %d: reference %v", c, e.Path, rule, e.Line, want)
					}
				}
			}
		}
		known := func(id string) bool { return len(id)%2 == 0 }
		unused, err := l.Unknown(known)
		if err != nil {
			t.Fatal(err)
		}
		want := ref.unknown(known)
		if len(unused) != len(want) {
			t.Fatalf("%d unused, reference %d", len(unused), len(want))
		}
		for i := range want {
			if unused[i] != want[i] {
				t.Fatalf("unused %d: %+v, reference %+v", i, unused[i], want[i])
			}
		}
	})
}
