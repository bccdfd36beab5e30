package detector

import (
	"bytes"
	"testing"
)

// FuzzScan: any input, no panic, and every finding lies inside the input
// with its secret at the reported offsets and a consistent line number.
func FuzzScan(f *testing.F) {
	d := defaultDetector(f)
	for _, r := range d.Pack().Rules {
		for _, ex := range r.Examples {
			f.Add([]byte(ex))
		}
	}
	f.Add([]byte("\xff\xfe\r\n\x00REDIS_PASSWORD=\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, err := d.Scan(data, "fuzz.txt")
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range fs {
			if fd.Start < 0 || fd.End > int64(len(data)) || fd.Start >= fd.End {
				t.Fatalf("span %d..%d outside %d bytes", fd.Start, fd.End, len(data))
			}
			if string(data[fd.Start:fd.End]) != fd.Secret {
				t.Fatalf("secret does not match its span")
			}
			if want := bytes.Count(data[:fd.Start], []byte{'\n'}) + 1; fd.Line != want {
				t.Fatalf("line %d, want %d", fd.Line, want)
			}
			if m := Mask(fd.Secret); len(fd.Secret) >= 12 && bytes.Contains([]byte(m), []byte(fd.Secret)) {
				t.Fatalf("mask shows the secret")
			}
		}
	})
}
