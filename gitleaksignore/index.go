package gitleaksignore

import (
	"hash/maphash"
	"iter"
	"slices"
	"sort"
)

// index maps each entry's key to the offset of its line in the file: a
// sorted slice of 64-bit hashes, 16 bytes an entry. The hash is seeded
// afresh in every process, so a file cannot be crafted to collide; a
// collision is harmless anyway (List.has confirms every hit).
type index struct {
	seed  maphash.Seed
	slots []slot
}

type slot struct {
	hash uint64
	off  int64
}

// keyHash hashes a key; tests replace it to force collisions.
var keyHash = func(seed maphash.Seed, key []byte) uint64 { return maphash.Bytes(seed, key) }

// init makes room for n entries.
func (x *index) init(n int) {
	x.seed = maphash.MakeSeed()
	x.slots = make([]slot, 0, n)
}

func (x *index) add(key []byte, off int64) {
	x.slots = append(x.slots, slot{hash: keyHash(x.seed, key), off: off})
}

// sort orders the slots by hash (and, among equal hashes, file order).
func (x *index) sort() {
	slices.SortFunc(x.slots, func(a, b slot) int {
		switch {
		case a.hash < b.hash:
			return -1
		case a.hash > b.hash:
			return 1
		case a.off < b.off:
			return -1
		case a.off > b.off:
			return 1
		}
		return 0
	})
}

func (x *index) len() int { return len(x.slots) }

// lookup yields the offsets of the lines whose key has key's hash.
func (x *index) lookup(key []byte) iter.Seq[int64] {
	return func(yield func(int64) bool) {
		if len(x.slots) == 0 {
			return
		}
		h := keyHash(x.seed, key)
		i := sort.Search(len(x.slots), func(i int) bool { return x.slots[i].hash >= h })
		for ; i < len(x.slots) && x.slots[i].hash == h; i++ {
			if !yield(x.slots[i].off) {
				return
			}
		}
	}
}
