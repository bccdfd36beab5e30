package gitleaksignore

import (
	"bytes"
	"hash/maphash"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// refAdded is the comparison Added replaced: every base line's text in a map.
func refAdded(base, head []byte) []int {
	held := map[string]bool{}
	for l := range bytes.SplitSeq(base, []byte{'\n'}) {
		held[string(bytes.TrimSpace(l))] = true
	}
	var out []int
	n := 0
	for l := range bytes.SplitSeq(head, []byte{'\n'}) {
		n++
		text := bytes.TrimSpace(l)
		if len(text) == 0 || text[0] == '#' || held[string(text)] {
			continue
		}
		out = append(out, n)
	}
	return out
}

// Added reports the lines the reference reports, however the keys collide.
func TestAddedSameAsReference(t *testing.T) {
	tests := []struct {
		name string
		hash func(maphash.Seed, []byte) uint64
	}{
		{"seeded hash", nil},
		{"every key collides", func(maphash.Seed, []byte) uint64 { return 1 }},
		{"keys collide in fives", func(s maphash.Seed, k []byte) uint64 { return maphash.Bytes(s, k) % 5 }},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.hash != nil {
				saved := keyHash
				keyHash = tt.hash
				t.Cleanup(func() { keyHash = saved })
			}
			r := rand.New(rand.NewPCG(uint64(i), 23))
			base := genIgnoreFile(r, 200)
			// The head keeps most of the base's lines, reordered, drops
			// some and adds its own.
			lines := strings.Split(base, "\n")
			r.Shuffle(len(lines), func(a, b int) { lines[a], lines[b] = lines[b], lines[a] })
			head := strings.Join(lines[:150], "\n") + "\n" + genIgnoreFile(r, 60)
			want := refAdded([]byte(base), []byte(head))
			assert.NotEmpty(t, want)
			var got []int
			Added([]byte(base), []byte(head), func(n int) { got = append(got, n) })
			assert.Equal(t, want, got)
		})
	}
	var got []int
	Added(nil, []byte("# new\n\ndocs/a.md:r:1\n"), func(n int) { got = append(got, n) })
	assert.Equal(t, []int{3}, got, "no base: every entry is added")
}
