package detector

import (
	"bytes"
	"os"
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
	// Encoded keys, so that the decoders are explored too.
	enc, err := os.ReadFile("testdata/recall/encoded.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(enc)
	f.Add([]byte(`x=%5Cu0062%2 \u00 \x6 YmdfMGYxZTJkM2M0YjVhNjk3ODg3OTZhNWI0YzNkMmUxZjA=%3`))
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

// FuzzScanVersion: a version scanned with its predecessor gives exactly
// what a full scan gives, for any pair of texts.
func FuzzScanVersion(f *testing.F) {
	d := knownDetector(f, KnownValue{Name: "BOT1_BITGET_PASSPHRASE", Value: pass})
	var lines []string
	for _, r := range d.Pack().Rules {
		lines = append(lines, r.Examples...)
	}
	for i := 0; i+2 < len(lines); i += 3 {
		a := lines[i] + "\nfiller\n" + lines[i+1] + "\n"
		f.Add([]byte(a), []byte("new "+lines[i+2]+"\n"+a+"\r\npassphrase="+pass))
	}
	f.Add([]byte("a\nb\nc"), []byte("c\nb\na\n"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		prev, err := d.ScanVersion(a, "f.txt", nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := d.ScanVersion(b, "f.txt", prev)
		if err != nil {
			t.Fatal(err)
		}
		want, err := d.Scan(b, "f.txt")
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != len(got.Findings) {
			t.Fatalf("%d findings, a full scan gives %d", len(got.Findings), len(want))
		}
		for i := range want {
			if want[i] != got.Findings[i] {
				t.Fatalf("finding %d: %+v, a full scan gives %+v", i, got.Findings[i], want[i])
			}
		}
	})
}
