package detector

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/rules"
)

// Every entry point that reads input turns a panic inside it (a bug met on
// some input) into an *InternalError, so that its caller names the file
// and exits 2 rather than the process dying.
func TestEntryPointsTurnPanicsIntoErrors(t *testing.T) {
	p, err := rules.Default()
	require.NoError(t, err)
	d, err := New(p)
	require.NoError(t, err)
	testHookInput = func(string) { panic("synthetic bug: slice bounds out of range [:9] with capacity 4") }
	t.Cleanup(func() { testHookInput = nil })
	data := []byte("token = value\n")
	calls := map[string]func() error{
		"Scan":        func() error { _, err := d.Scan(data, "a.txt"); return err },
		"ScanReader":  func() error { _, err := d.ScanReader(bytes.NewReader(data), "a.txt", func(Finding) {}); return err },
		"ScanVersion": func() error { _, err := d.ScanVersion(data, "a.txt", nil); return err },
		"Spans":       func() error { _, err := d.Spans(data); return err },
		"MatchRule":   func() error { _, err := d.MatchRule(p.Rules[0].ID, string(data)); return err },
	}
	for name, call := range calls {
		var ie *InternalError
		err := call()
		require.ErrorAs(t, err, &ie, name)
		assert.Contains(t, err.Error(), "slice bounds out of range", name)
		assert.Contains(t, err.Error(), "internal error", name)
	}
}
