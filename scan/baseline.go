package scan

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"

	"github.com/keygate/keygate/internal/atomicfile"
)

// BaselineVersion is the format version of the baseline file.
const BaselineVersion = 1

// Baseline is a set of accepted finding fingerprints. It holds no values:
// fingerprints are one-way, and the masked form is kept only to help a
// reviewer recognise an entry.
type Baseline struct {
	Version int             `json:"version"`
	Entries []BaselineEntry `json:"findings"`
	set     map[string]bool
}

// BaselineEntry is one accepted finding.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	RuleID      string `json:"rule_id"`
	Path        string `json:"path"`
	Masked      string `json:"secret_masked"`
}

// Has reports whether fp is in the baseline; a nil baseline has nothing.
func (b *Baseline) Has(fp string) bool {
	if b == nil {
		return false
	}
	return b.set[fp]
}

// LoadBaseline reads a baseline file; a missing file is an empty baseline.
func LoadBaseline(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load baseline %s: %w", path, err)
	}
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("load baseline %s: not a keygate baseline (%v); regenerate it with `keygate baseline`", path, err)
	}
	if b.Version != BaselineVersion {
		return nil, fmt.Errorf("load baseline %s: version %d, want %d; regenerate it with `keygate baseline`", path, b.Version, BaselineVersion)
	}
	b.set = map[string]bool{}
	for _, e := range b.Entries {
		b.set[e.Fingerprint] = true
	}
	return &b, nil
}

// NewBaseline builds a baseline from findings, one entry per fingerprint.
func NewBaseline(findings []Finding) *Baseline {
	b := &Baseline{Version: BaselineVersion, set: map[string]bool{}}
	for _, f := range findings {
		if b.set[f.Fingerprint] {
			continue
		}
		b.set[f.Fingerprint] = true
		b.Entries = append(b.Entries, BaselineEntry{Fingerprint: f.Fingerprint, RuleID: f.RuleID, Path: f.Path, Masked: f.Masked})
	}
	sort.Slice(b.Entries, func(i, j int) bool {
		if b.Entries[i].Path != b.Entries[j].Path {
			return b.Entries[i].Path < b.Entries[j].Path
		}
		return b.Entries[i].Fingerprint < b.Entries[j].Fingerprint
	})
	if b.Entries == nil {
		b.Entries = []BaselineEntry{}
	}
	return b
}

// Write stores the baseline atomically.
func (b *Baseline) Write(path string) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(data, '\n'), 0o644)
}
