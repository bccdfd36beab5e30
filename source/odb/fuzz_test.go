package odb

import "testing"

// FuzzApplyDelta: any base and delta, no panic; a delta that applies gives
// exactly the size it declares.
func FuzzApplyDelta(f *testing.F) {
	f.Add([]byte("0123456789"), []byte{10, 6, 0x91, 2, 3, 3, 'a', 'b', 'c'})
	f.Add([]byte(""), []byte{0, 3, 3, 'x', 'y', 'z'})
	f.Add([]byte("abc"), []byte{3, 0x80, 0x80, 0x80, 1})
	f.Fuzz(func(t *testing.T, base, delta []byte) {
		out, err := applyDelta(base, delta)
		if err != nil {
			return
		}
		_, rest, _ := deltaSize(delta)
		want, _, _ := deltaSize(rest)
		if uint64(len(out)) != want {
			t.Fatalf("%d bytes, the delta declares %d", len(out), want)
		}
	})
}
