package content

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzWalk: any bytes, read as a file, end in leaves or an error, never
// a panic or a hang, within small limits; a stream read without random
// access gives the same leaves as one with it.
func FuzzWalk(f *testing.F) {
	f.Add([]byte(line))
	f.Add(utf16Bytes(line, false, false))
	f.Add([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"))
	f.Add([]byte("BZh91AY&SY\x00\x00"))
	f.Add([]byte("\xfd7zXZ\x00\x00\x04\xe6\xd6\xb4\x46\x02\x00\x21\x01\x1c\x00\x00\x00\x10\xcf\x58\xcc"))
	f.Add([]byte("\x28\xb5\x2f\xfd\x00\x58\x00\x00"))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	lim := Limits{MaxDepth: 3, MaxBytes: 4 << 20, MaxRatio: 50, MaxEntries: 100}
	f.Fuzz(func(t *testing.T, data []byte) {
		read := func(ra io.ReaderAt) ([]string, error) {
			var leaves []string
			err := Walk(bytes.NewReader(data), ra, int64(len(data)), lim, func(l Leaf) error {
				b, err := io.ReadAll(l.Text)
				leaves = append(leaves, l.Member+"|"+string(b))
				return err
			})
			return leaves, err
		}
		a, errA := read(bytes.NewReader(data))
		b, errB := read(nil)
		if (errA == nil) != (errB == nil) {
			t.Fatalf("with random access: %v; without: %v", errA, errB)
		}
		if errA == nil && len(a) != len(b) {
			t.Fatalf("%d leaves with random access, %d without", len(a), len(b))
		}
		if errors.Is(errA, io.ErrUnexpectedEOF) {
			t.Fatalf("a truncated stream reads as its end: %v", errA)
		}
	})
}
