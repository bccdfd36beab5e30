package testmode

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A place the caller chose is kept: CI or a contributor may point the
// scratch space at a disk on purpose.
func TestScratchInMemoryKeepsTheCallersChoice(t *testing.T) {
	for _, tt := range []struct {
		name             string
		gotmpdir, tmpdir string
	}{
		{"GOTMPDIR set", "/chosen/go", ""},
		{"TMPDIR set", "", "/chosen/tmp"},
		{"both set", "/chosen/go", "/chosen/tmp"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOTMPDIR", tt.gotmpdir)
			t.Setenv("TMPDIR", tt.tmpdir)
			ScratchInMemory()
			assert.Equal(t, tt.gotmpdir, os.Getenv("GOTMPDIR"))
			assert.Equal(t, tt.tmpdir, os.Getenv("TMPDIR"))
		})
	}
}

// Where no place was chosen, both variables name the memory-backed
// folder when there is one, and stay unset when there is none.
func TestScratchInMemoryChoosesTmpfs(t *testing.T) {
	t.Setenv("GOTMPDIR", "")
	t.Setenv("TMPDIR", "")
	dir, ok := memoryScratch()
	ScratchInMemory()
	want := ""
	if ok {
		want = dir
	}
	assert.Equal(t, want, os.Getenv("GOTMPDIR"))
	assert.Equal(t, want, os.Getenv("TMPDIR"))
}
