package baseline

import (
	"bytes"
	"encoding/hex"
	"slices"
)

// chunk is how many fingerprints a sorted block holds: a full block is
// never grown (and copied), so loading holds nothing twice. Tests lower it.
var chunk = 1 << 16

// fingerprints is a set of finding fingerprints. A fingerprint keygate
// writes is 32 hex digits: it is held as its 16 bytes, exactly (no hash,
// so nothing can collide), in sorted blocks. Any other string (an entry
// edited by hand) is held as itself.
type fingerprints struct {
	blocks [][][16]byte
	other  map[string]struct{}
	n      int
}

// key is fp's 16 bytes, if fp is 32 lowercase hex digits.
func key(fp string) ([16]byte, bool) {
	var k [16]byte
	if len(fp) != 32 {
		return k, false
	}
	for i := 0; i < len(fp); i++ {
		if c := fp[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return k, false
		}
	}
	_, err := hex.Decode(k[:], []byte(fp))
	return k, err == nil
}

func (s *fingerprints) add(fp string) {
	s.n++
	k, ok := key(fp)
	if !ok {
		if s.other == nil {
			s.other = map[string]struct{}{}
		}
		s.other[fp] = struct{}{}
		return
	}
	if len(s.blocks) == 0 || len(s.blocks[len(s.blocks)-1]) == chunk {
		s.blocks = append(s.blocks, nil)
	}
	last := &s.blocks[len(s.blocks)-1]
	*last = append(*last, k)
}

// sort readies the set for has; the last block is trimmed to its length.
func (s *fingerprints) sort() {
	if n := len(s.blocks); n > 0 {
		s.blocks[n-1] = slices.Clip(s.blocks[n-1])
	}
	for _, b := range s.blocks {
		slices.SortFunc(b, func(x, y [16]byte) int { return bytes.Compare(x[:], y[:]) })
	}
}

func (s *fingerprints) has(fp string) bool {
	k, ok := key(fp)
	if !ok {
		_, found := s.other[fp]
		return found
	}
	for _, b := range s.blocks {
		if _, found := slices.BinarySearchFunc(b, k, func(x, y [16]byte) int { return bytes.Compare(x[:], y[:]) }); found {
			return true
		}
	}
	return false
}

// len counts the entries added, duplicates included.
func (s *fingerprints) len() int { return s.n }
