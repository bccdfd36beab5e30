package glob

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAny(t *testing.T) {
	cases := []struct {
		patterns []string
		name     string
		want     bool
	}{
		{[]string{"docs/**"}, "docs/a/b.md", true},
		{[]string{"**/.env"}, ".env", true},
		{[]string{"**/.env"}, "env/.env", true},
		{[]string{"BOT*_BITGET_*"}, "BOT12_BITGET_API_KEY", true},
		{[]string{"BOT*_BITGET_*"}, "REDIS_PASSWORD", false},
		{[]string{"docs/*"}, "docs/a/b.md", false},
		{[]string{"[unclosed"}, "[unclosed", false},
		{nil, "anything", false},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, Any(c.patterns, c.name), "%v %q", c.patterns, c.name)
	}
}

// anyFold is the plain reading a FoldSet must agree with: every pattern
// lowered and matched by doublestar against the lowered name.
func anyFold(patterns []string, name string) bool {
	lowered := make([]string, len(patterns))
	for i, p := range patterns {
		lowered[i] = strings.ToLower(p)
	}
	return Any(lowered, strings.ToLower(name))
}

func TestFoldSet(t *testing.T) {
	cases := []struct {
		patterns []string
		name     string
		want     bool
	}{
		{[]string{"**/*.p12"}, "certs/KEY.P12", true},
		{[]string{"**/*.pem"}, "Deploy/Bot.Pem", true},
		{[]string{"**/id_rsa"}, "home/ID_RSA", true},
		{[]string{"**/.env"}, "app/.ENV", true},
		{[]string{"Secrets/**"}, "secrets/bot1.json", true},
		{[]string{"**/*.p12"}, "certs/key.p12.txt", false},
		{[]string{"docs/*"}, "DOCS/a/b.md", false},
		{nil, "anything", false},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, NewFoldSet(c.patterns).Match(c.name), "%v %q", c.patterns, c.name)
	}
	assert.False(t, Any([]string{"**/*.p12"}, "certs/KEY.P12"), "Any itself keeps case")
}

// A FoldSet answers as anyFold does, for the default blocked paths and
// patterns of every shape, on names built of their pieces (directories,
// dot files, case changed, suffixes inside and at the end).
func TestFoldSetIsAnyFold(t *testing.T) {
	patterns := []string{"**/.env", "**/*.pem", "**/*.P12", "**/id_rsa", "**/*_rsa", "**/.env.*", "secrets/**",
		"**/*.{key,p8}", "**/credentials.json", "env/*", "**/*", "**/", "**/a*b", "[unclosed", "**/.aws/credentials"}
	pieces := []string{"a", "b", ".env", ".ENV", "x.pem", "X.PEM", "key.p12", "id_rsa", "ID_RSA", "my_rsa", ".env.local",
		"secrets", "Secrets", "k.key", "k.p8", "credentials.json", "env", "ab", "a.b", ".aws", "credentials", "x.pem.txt", "", "ſ", "K"}
	r := rand.New(rand.NewPCG(2, 7))
	for range 20000 {
		var segs []string
		for range 1 + r.IntN(4) {
			segs = append(segs, pieces[r.IntN(len(pieces))])
		}
		name := strings.Join(segs, "/")
		ps := []string{patterns[r.IntN(len(patterns))], patterns[r.IntN(len(patterns))]}
		assert.Equal(t, anyFold(ps, name), NewFoldSet(ps).Match(name), "%q %q", ps, name)
	}
	all := NewFoldSet(patterns)
	assert.Len(t, all.rest, 7, "the shapes read without doublestar are read so")
}
