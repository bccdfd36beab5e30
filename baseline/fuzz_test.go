package baseline

import (
	"testing"
)

// FuzzParse checks the streamed baseline against the unmarshalled one on
// any file: the same files refused, the same entries, the same
// fingerprints accepted.
func FuzzParse(f *testing.F) {
	fp := "0123456789abcdef0123456789abcdef"
	f.Add([]byte(`{"version":1,"findings":[{"fingerprint":"` + fp + `","rule_id":"r","path":"p","secret_masked":"****"}]}`))
	f.Add([]byte(`{"Findings":[{"fingerprint":"fp-1"},null],"x":[{}],"version":1}`))
	f.Add([]byte(`{"version":7,"findings":[]} `))
	f.Add([]byte(`{"version":1,"findings":[{"fingerprint":"fp-1"}],"FINDINGS":[{"fingerprint":"` + fp + `"}]}`))
	f.Add([]byte(`{"version":1,"findings":[{"fingerprint":"fp-1"}],"findings":null}`))
	// The last list's entry lacks the fingerprint the first list's had: it
	// has none (encoding/json alone would keep "0").
	f.Add([]byte(`{"version":1,"findings":[{"fingerprint":"0","path":"a"}],"findings":[{"path":"b"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ref, set, refErr := refParse(data)
		b, err := Parse("b.json", data)
		if (refErr == nil) != (err == nil) {
			t.Fatalf("reference error %v, stream error %v", refErr, err)
		}
		if err != nil {
			return
		}
		var got []Entry
		if err := b.Each(func(e Entry) { got = append(got, e) }); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(ref.Entries) {
			t.Fatalf("%d entries, reference %d", len(got), len(ref.Entries))
		}
		for i, e := range ref.Entries {
			if got[i] != e {
				t.Fatalf("entry %d: %+v, reference %+v", i, got[i], e)
			}
			if !b.Has(e.Fingerprint) {
				t.Fatalf("%q not accepted", e.Fingerprint)
			}
		}
		for _, q := range []string{fp, "", "fp-1"} {
			if b.Has(q) != set[q] {
				t.Fatalf("Has(%q) = %v, reference %v", q, b.Has(q), set[q])
			}
		}
	})
}
