package config

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/keygate/keygate/content"
	"github.com/keygate/keygate/internal/yamlfile"
)

// Containers bounds what a scan spends opening compressed files and
// archives (gzip, bzip2, xz, zstd, zip, tar). Every limit fails closed:
// a file past one is an error (status error, exit 2) naming the limit,
// never skipped.
type Containers struct {
	// MaxDepth is how many containers deep a file is opened (a .tar.gz is
	// two deep).
	MaxDepth int `yaml:"max_depth"`
	// MaxDecompressedMB bounds what one file decompresses to, in MiB,
	// every layer counted.
	MaxDecompressedMB int `yaml:"max_decompressed_mb"`
	// MaxRatio bounds the decompressed bytes per byte of the file (past
	// its first MiB): a decompression bomb's signature.
	MaxRatio int `yaml:"max_ratio"`
	// MaxEntries bounds the archive members of one file, all depths.
	MaxEntries int `yaml:"max_entries"`
}

// DefaultContainers are content's defaults.
func DefaultContainers() Containers {
	return Containers{MaxDepth: content.DefaultMaxDepth, MaxDecompressedMB: content.DefaultMaxBytes >> 20,
		MaxRatio: content.DefaultMaxRatio, MaxEntries: content.DefaultMaxEntries}
}

// Limits are the scan's container limits.
func (c Containers) Limits() content.Limits {
	return content.Limits{MaxDepth: c.MaxDepth, MaxBytes: int64(c.MaxDecompressedMB) << 20,
		MaxRatio: int64(c.MaxRatio), MaxEntries: c.MaxEntries}
}

func (c Containers) validate(file string, doc *yaml.Node) []error {
	var errs []error
	d := DefaultContainers()
	for _, f := range []struct {
		key       string
		value, df int
	}{{"max_depth", c.MaxDepth, d.MaxDepth}, {"max_decompressed_mb", c.MaxDecompressedMB, d.MaxDecompressedMB},
		{"max_ratio", c.MaxRatio, d.MaxRatio}, {"max_entries", c.MaxEntries, d.MaxEntries}} {
		if f.value <= 0 {
			errs = append(errs, &yamlfile.Error{File: file, Line: yamlfile.Line(doc, "containers", f.key),
				Msg: fmt.Sprintf("containers.%s: must be a positive number (default %d)", f.key, f.df)})
		}
	}
	return errs
}
