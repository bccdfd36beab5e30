package rootpath

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestResolve(t *testing.T) {
	root := filepath.FromSlash("/repo")
	cases := []struct {
		name, p, want string
	}{
		{"relative joins the root", ".env", filepath.FromSlash("/repo/.env")},
		{"nested relative", "ops/state", filepath.FromSlash("/repo/ops/state")},
		{"cleaned", "./a/../b", filepath.FromSlash("/repo/b")},
		{"parent leaves the root", "../elsewhere/.env", filepath.FromSlash("/elsewhere/.env")},
		{"empty is the root", "", root},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, Resolve(root, c.p))
		})
	}
	t.Run("absolute is kept as written", func(t *testing.T) {
		abs, err := filepath.Abs(filepath.FromSlash("/tmp/x/../keys.env"))
		assert.NoError(t, err)
		assert.Equal(t, abs, Resolve(root, abs))
		// Not cleaned: the user's absolute path is used exactly.
		raw := string(filepath.Separator) + filepath.Join("tmp", "x") + string(filepath.Separator) + ".." + string(filepath.Separator) + "k"
		assert.Equal(t, raw, Resolve(root, raw))
	})
}
