package rules

import "testing"

// FuzzParse: any bytes as a rule pack give a pack or an error, never a panic,
// and a pack that parses is valid.
func FuzzParse(f *testing.F) {
	f.Add([]byte(goodRule))
	if def, err := builtin.ReadFile("default.yaml"); err == nil {
		f.Add(def)
	}
	if fam, err := builtin.ReadFile("families/vcs.yaml"); err == nil {
		f.Add(fam)
	}
	f.Add([]byte("name: x\nrules: [\n"))
	f.Add([]byte("rules:\n  - id: a\n    pattern: '(?P<x>'\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		if len(p.Rules) == 0 || p.Name == "" {
			t.Fatalf("a pack without name or rules was accepted")
		}
	})
}
