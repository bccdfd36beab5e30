package baseline

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refFile is the representation File replaced: the whole file unmarshalled
// and every fingerprint in a map.
type refFile struct {
	Version int
	Entries []Entry
}

func refParse(data []byte) (*refFile, map[string]bool, error) {
	// Entries go through RawMessage: when "findings" repeats, encoding/json
	// decodes the last list's objects into the first list's reused elements,
	// so a field the last one lacks keeps the first one's value. Each entry
	// of the list that counts is its own object alone.
	var raw struct {
		Version int               `json:"version"`
		Entries []json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, nil, err
	}
	b := refFile{Version: raw.Version}
	for _, m := range raw.Entries {
		var e Entry
		if err := json.Unmarshal(m, &e); err != nil {
			return nil, nil, err
		}
		b.Entries = append(b.Entries, e)
	}
	if b.Version != Version {
		return nil, nil, fmt.Errorf("version %d", b.Version)
	}
	set := map[string]bool{}
	for _, e := range b.Entries {
		set[e.Fingerprint] = true
	}
	return &b, set, nil
}

// genFingerprint is one of keygate's (32 hex digits) or, now and then, a
// hand-edited one.
func genFingerprint(r *rand.Rand) string {
	fp := fmt.Sprintf("%016x%016x", r.Uint64(), r.Uint64())
	switch r.IntN(10) {
	case 0:
		return strings.ToUpper(fp)
	case 1:
		return fp[:20]
	case 2:
		return "fp-" + fp[:8]
	}
	return fp
}

// The compact baseline accepts exactly the fingerprints the unmarshalled
// one did, and gives back the same entries, however it is read.
func TestSameAsReference(t *testing.T) {
	saved := chunk
	chunk = 64
	t.Cleanup(func() { chunk = saved })
	r := rand.New(rand.NewPCG(28, 4))
	var entries []Entry
	var absent []string
	for i := range 3*chunk + 100 { // several blocks
		e := Entry{Fingerprint: genFingerprint(r), RuleID: "bitget-api-key", Path: fmt.Sprintf("docs/%d.md", i), Masked: "****e1f0"}
		entries = append(entries, e)
		if i%50 == 0 {
			entries = append(entries, e) // a duplicate
		}
		absent = append(absent, genFingerprint(r))
	}
	data, err := json.MarshalIndent(map[string]any{"version": 1, "findings": entries, "note": []int{1, 2}, "z": strings.Repeat("x", inMemory)}, "", "  ")
	require.NoError(t, err)
	require.Greater(t, len(data), inMemory, "a file kept open and read again")
	ref, set, err := refParse(data)
	require.NoError(t, err)

	path := filepath.Join(t.TempDir(), "b.json")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	loads := map[string]func() (*File, error){
		"Parse": func() (*File, error) { return Parse("b", data) },
		"Load":  func() (*File, error) { return Load(path) },
		"LoadFS": func() (*File, error) {
			return LoadFS(fstest.MapFS{"b.json": {Data: data}}, "b.json", "base:b.json")
		},
		"LoadFS without ReadAt": func() (*File, error) {
			return LoadFS(readerOnlyFS{fstest.MapFS{"b.json": {Data: data}}}, "b.json", "base:b.json")
		},
	}
	for name, load := range loads {
		t.Run(name, func(t *testing.T) {
			b, err := load()
			require.NoError(t, err)
			defer b.Close()
			require.Greater(t, len(b.set.blocks), 3)
			for _, e := range entries {
				require.True(t, b.Has(e.Fingerprint), e.Fingerprint)
			}
			for _, fp := range append(absent, strings.ToUpper(entries[3].Fingerprint), entries[5].Fingerprint+"0", "") {
				require.Equal(t, set[fp], b.Has(fp), fp)
			}
			assert.Equal(t, ref.Entries, all(t, b))
			assert.Equal(t, len(ref.Entries), b.Len())
		})
	}
}

// readerOnlyFS hides its files' ReadAt: such a file is read whole.
type readerOnlyFS struct{ fs.FS }

type readerOnly struct{ fs.File }

func (f readerOnlyFS) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	return readerOnly{file}, err
}

// The stream reads what encoding/json reads, and refuses what it refuses.
func TestParseSameAsUnmarshal(t *testing.T) {
	fp := "0123456789abcdef0123456789abcdef"
	entry := `{"fingerprint":"` + fp + `","rule_id":"r","path":"p","secret_masked":"****"}`
	tests := []struct {
		name, data string
	}{
		{"plain", `{"version":1,"findings":[` + entry + `]}`},
		{"version last", `{"findings":[` + entry + `],"version":1}`},
		{"keys in another case", `{"VERSION":1,"Findings":[` + entry + `]}`},
		{"unknown keys", `{"version":1,"x":{"y":[1,"]"]},"findings":[` + entry + `],"z":null}`},
		{"null findings", `{"version":1,"findings":null}`},
		{"no findings", `{"version":1}`},
		{"empty findings", `{"version":1,"findings":[]}`},
		{"unknown entry field", `{"version":1,"findings":[{"fingerprint":"` + fp + `","extra":3}]}`},
		{"findings twice: the last counts", `{"version":1,"findings":[{"fingerprint":"x"}],"findings":[` + entry + `]}`},
		{"findings twice, the last empty", `{"version":1,"findings":[` + entry + `],"findings":[]}`},
		{"findings twice, the last null", `{"version":1,"findings":[` + entry + `],"findings":null}`},
		{"trailing space", `{"version":1,"findings":[]}` + "\n\n"},
		{"not json", `{not json`},
		{"old version", `{"version":7,"findings":[]}`},
		{"no version", `{"findings":[]}`},
		{"trailing data", `{"version":1,"findings":[]} {}`},
		{"findings an object", `{"version":1,"findings":{}}`},
		{"entry of the wrong type", `{"version":1,"findings":[3]}`},
		{"field of the wrong type", `{"version":1,"findings":[{"fingerprint":3}]}`},
		{"version a string", `{"version":"1","findings":[]}`},
		{"array", `[]`},
		{"truncated", `{"version":1,"findings":[` + entry},
		{"empty", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, set, refErr := refParse([]byte(tt.data))
			b, err := Parse("b.json", []byte(tt.data))
			if refErr != nil {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "load baseline b.json")
				assert.Contains(t, err.Error(), "keygate baseline")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, set[fp], b.Has(fp))
			got := all(t, b)
			if len(ref.Entries) == 0 {
				assert.Empty(t, got)
			} else {
				assert.Equal(t, ref.Entries, got)
			}
		})
	}
}
