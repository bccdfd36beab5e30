package content

import "fmt"

// Limits bound what opening one file's containers may cost. Each is a
// ceiling that fails closed: going past it is a *LimitError (the scan's
// status is error, exit 2), never a skip. A zero field takes its default.
type Limits struct {
	// MaxDepth is how many containers deep a file is opened (a .tar.gz
	// is two: gzip, then tar). Default 3.
	MaxDepth int
	// MaxBytes bounds the bytes all the containers of one file decompress
	// to, summed over their layers. Default 4 GiB.
	MaxBytes int64
	// MaxRatio bounds decompressed bytes per byte of the file read so far
	// (checked past the first MiB): a bomb's signature. Default 200.
	MaxRatio int64
	// MaxEntries bounds the archive members of one file, at every depth
	// together. Default 100,000.
	MaxEntries int
}

// Defaults of Limits.
const (
	DefaultMaxDepth   = 3
	DefaultMaxBytes   = 4 << 30
	DefaultMaxRatio   = 200
	DefaultMaxEntries = 100_000
)

// ratioFloor is how many bytes are decompressed before the ratio counts:
// a small file of repeated lines may compress far better than a log.
const ratioFloor = 1 << 20

// maxWindow bounds the decoder memory a stream may ask for (an xz
// dictionary, a zstd window): xz -9 and zstd -19 stay within it.
const maxWindow = 64 << 20

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = DefaultMaxRatio
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = DefaultMaxEntries
	}
	return l
}

// Limit names one of Limits' ceilings by its configuration key.
type Limit string

// The limits, named as .keygate.yaml's containers section names them.
const (
	LimitDepth   Limit = "containers.max_depth"
	LimitBytes   Limit = "containers.max_decompressed_mb"
	LimitRatio   Limit = "containers.max_ratio"
	LimitEntries Limit = "containers.max_entries"
	LimitWindow  Limit = "decoder window" // not configurable: 64 MiB
)

// LimitError says which limit a file went past, and where inside it.
type LimitError struct {
	Limit  Limit
	Max    int64
	Member string // the container member being read, "" for the file
}

func (e *LimitError) Error() string {
	var what string
	switch e.Limit {
	case LimitDepth:
		what = fmt.Sprintf("containers nested more than %d deep", e.Max)
	case LimitBytes:
		what = fmt.Sprintf("decompresses to more than %d MiB", e.Max>>20)
	case LimitRatio:
		what = fmt.Sprintf("decompresses to more than %d times its size (a decompression bomb?)", e.Max)
	case LimitEntries:
		what = fmt.Sprintf("holds more than %d archive members", e.Max)
	case LimitWindow:
		return fmt.Sprintf("%sasks for a decoder window over %d MiB: not opened", at(e.Member), e.Max>>20)
	}
	return fmt.Sprintf("%s%s: not scanned past the limit (raise %s in .keygate.yaml if it is expected)", at(e.Member), what, e.Limit)
}

func at(member string) string {
	if member == "" {
		return ""
	}
	return "member " + member + ": "
}
