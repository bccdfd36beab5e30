package rules

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/gob"
	"io"
)

//go:generate go run ./internal/genfamilies

// familiesCache is families/*.yaml already parsed and validated, written by
// `go generate ./rules`: decoding 270 rules' YAML cost a one-file commit
// hook more than the scan itself. Each entry carries the SHA-256 of the
// YAML it came from; a file whose bytes differ (edited, not regenerated) is
// parsed from YAML instead, so a stale cache is slower, never wrong.
//
//go:embed families.gob
var familiesCache []byte

// CachedFamily is one family file's parsed pack, keyed by its source
// digest. It is exported for the generator only.
type CachedFamily struct {
	Name   string // the file's path within rules/, e.g. families/ai.yaml
	SHA256 [32]byte
	Pack   Pack
}

// EncodeFamilies writes the cache for the given files (path within rules/
// and bytes), parsing and validating each; the generator calls it.
func EncodeFamilies(w io.Writer, names []string, datas [][]byte) error {
	var out []CachedFamily
	for i, n := range names {
		p, err := Parse(builtinPrefix+n, datas[i])
		if err != nil {
			return err
		}
		p.digest = nil
		out = append(out, CachedFamily{Name: n, SHA256: sha256.Sum256(datas[i]), Pack: *p})
	}
	return gob.NewEncoder(w).Encode(out)
}

// cachedFamilies returns the cache's packs by file name; an unreadable
// cache is an empty one.
func cachedFamilies() map[string]*CachedFamily {
	var list []CachedFamily
	if err := gob.NewDecoder(bytes.NewReader(familiesCache)).Decode(&list); err != nil {
		return nil
	}
	out := make(map[string]*CachedFamily, len(list))
	for i := range list {
		out[list[i].Name] = &list[i]
	}
	return out
}

// parseFamily returns the pack of family file name: from the cache when
// its digest matches data, else parsed from data.
func parseFamily(cache map[string]*CachedFamily, name string, data []byte) (*Pack, error) {
	if c, ok := cache[name]; ok && c.SHA256 == sha256.Sum256(data) {
		p := c.Pack
		return &p, nil
	}
	return Parse(builtinPrefix+name, data)
}
