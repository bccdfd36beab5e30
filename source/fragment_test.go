package source

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Sources yield their fragments in order to one consumer, skip what
// holds no text, and stop at the consumer's error or a cancelled context.
func TestSourcesYieldFragments(t *testing.T) {
	files := &FileList{Files: []File{{Path: "docs/a.md", Abs: "/r/docs/a.md"}, {Path: "docs/b.md", Abs: "/r/docs/b.md"}}}
	staged := StagedChanges{
		{Path: "docs/new.md", Content: true, New: true},
		{Path: "vendor/lib", Content: false}, // a submodule
		{Path: "docs/old.md", Content: true, Added: map[int]bool{3: true}},
	}
	collect := func(src Source) ([]Fragment, error) {
		var out []Fragment
		err := src.Fragments(context.Background(), func(f Fragment) error { out = append(out, f); return nil })
		return out, err
	}
	got, err := collect(files)
	assert.NoError(t, err)
	assert.Equal(t, []Fragment{{Path: "docs/a.md", File: "/r/docs/a.md"}, {Path: "docs/b.md", File: "/r/docs/b.md"}}, got)
	got, err = collect(staged)
	assert.NoError(t, err)
	assert.Equal(t, []Fragment{{Path: "docs/new.md"}, {Path: "docs/old.md", Lines: map[int]bool{3: true}}}, got)

	stop := errors.New("enough")
	n := 0
	err = files.Fragments(context.Background(), func(Fragment) error { n++; return stop })
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 1, n)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, staged.Fragments(ctx, func(Fragment) error { return nil }), context.Canceled)
}
