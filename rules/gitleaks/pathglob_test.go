package gitleaks

import (
	"regexp"
	"testing"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each converted glob set matches exactly the sample paths the regex
// matches.
func TestPathGlobsMatchLikeTheRegex(t *testing.T) {
	regexes := []string{
		`\.pem$`,
		`(?i)\.(?:bmp|gif|jpe?g|png|svg|tiff?)$`,
		`(?:^|/)vendor/`,
		`^docs/`,
		`gitleaks\.toml`,
		`(^|/)\.env(\.local)?$`,
		`^.*\.lock$`,
		`(?:^|/)package-lock\.json$`,
		`^config/[^/]+\.ya?ml$`,
		`(?i)(?:^|/)test(?:s|data)?/`,
		`^[^/]+\.md$`,
		`^a.c$`,
		// From gitleaks' own default allowlist.
		`(.*?)(jpg|gif|doc|pdf|bin)$`,
		`(?i)\.(?:eot|[ot]tf|woff2?)$`,
		`go\.(?:mod|sum|work(?:\.sum)?)$`,
		`(?:^|/)node_modules(?:/.*)?$`,
		`(?:^|/)(?:deno\.lock|package-lock\.json|yarn\.lock)$`,
	}
	paths := []string{
		"a.pem", "keys/server.pem", "keys/server.pem.bak", "pem", "x.PEM",
		"img/logo.PNG", "img/logo.jpeg", "img/logo.jpg", "img/logo.tif", "img/logo.tiffx",
		"vendor/x.go", "a/vendor/x/y.go", "myvendor/x.go", "vendor",
		"docs/a.md", "src/docs/a.md",
		"gitleaks.toml", "cfg/.gitleaks.toml", "gitleaks.toml.bak",
		".env", "app/.env", "app/.env.local", "app/.env.LOCAL", "app/x.env", ".envrc",
		"yarn.lock", "a/b/Cargo.lock", "lock",
		"package-lock.json", "web/package-lock.json", "xpackage-lock.json",
		"config/app.yml", "config/app.yaml", "config/sub/app.yml", "config/APP.yml",
		"test/a.go", "Tests/a.go", "src/testdata/x", "latest/a.go", "TESTS/x",
		"README.md", "docs/README.md",
		// A . becomes ?, which matches no slash: "a/c" would differ.
		"abc", "abcd",
		"a.jpg", "x/ajpg", "doc", "a.pdf.txt", "font.TTF", "f.otf", "f.woff2", "f.woff", "f.woff22",
		"go.mod", "x/go.sum", "go.work.sum", "ago.mod", "go.mod.bak",
		"node_modules", "node_modules/a/b.js", "web/node_modules/x", "node_modulesx/a",
		"deno.lock", "a/yarn.lock", "yarn.lock.x",
	}
	for _, re := range regexes {
		t.Run(re, func(t *testing.T) {
			globs, err := pathGlobs(re)
			require.NoError(t, err)
			rx := regexp.MustCompile(re)
			for _, p := range paths {
				got := false
				for _, g := range globs {
					if ok, _ := doublestar.Match(g, p); ok {
						got = true
					}
				}
				assert.Equal(t, rx.MatchString(p), got, "path %s, globs %q", p, globs)
			}
		})
	}
}

func TestPathGlobsRejects(t *testing.T) {
	for _, re := range []string{`^src/.*/secrets\.yml$`, `\bkey\b`, `^a+\.txt$`, `^[a-z]+\.txt$`, `.*`, `(unclosed`} {
		_, err := pathGlobs(re)
		assert.Error(t, err, re)
	}
}
