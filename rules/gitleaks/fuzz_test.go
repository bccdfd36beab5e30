package gitleaks

import (
	"os"
	"path/filepath"
	"testing"
)

// Decode never panics, whatever the input: errors only.
func FuzzDecode(f *testing.F) {
	full, err := os.ReadFile(filepath.Join("testdata", "full.toml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	f.Add([]byte(okRule))
	f.Add([]byte("[[\"r\\u0075les\"]]\nid = \"a\"\n\"r\\u0065gex\" = 'x'\nkeywords = ['x']\n[[\"rules\".\"allowlists\"]]\nregexTarget = 'line'\n"))
	f.Add([]byte("[[rules]]\nid = 'a'\nregex = 'x'\nkeywords = ['x']\nallowlists = [{paths = ['^a$'], commits = ['x']}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Decode("f.toml", data)
	})
}
