package rules

import (
	"path/filepath"
	"strings"
	"sync"
)

// A Decoder reads a rule pack written in another tool's format (gitleaks'
// TOML, say) into a Pack. It sets each rule's File and Line to the place
// in data that defined it, and returns errors naming name:line; the
// result is then validated by Converted.
type Decoder func(name string, data []byte) (*Pack, error)

var (
	formatsMu sync.RWMutex
	formats   = map[string]Decoder{}
)

// RegisterFormat makes Load read files whose extension is ext (".toml")
// with decode, as image.RegisterFormat does for image formats: the package
// of a format registers itself, so rules stays free of its parser. The
// keygate binary links rules/gitleaks, which registers ".toml".
func RegisterFormat(ext string, decode Decoder) {
	formatsMu.Lock()
	defer formatsMu.Unlock()
	formats[strings.ToLower(ext)] = decode
}

// formatFor returns the decoder registered for path's extension, if any.
func formatFor(path string) Decoder {
	formatsMu.RLock()
	defer formatsMu.RUnlock()
	return formats[strings.ToLower(filepath.Ext(path))]
}

// Converted validates a pack a Decoder built from data and records data
// as its source. Errors name the rules' File and Line. Such a rule needs
// no examples (gitleaks packs carry none); everything else is checked as
// in a YAML pack.
func Converted(name string, data []byte, p *Pack) (*Pack, error) {
	p.converted = true
	if err := p.validate(name, 1); err != nil {
		return nil, err
	}
	p.addSource(name, data)
	return p, nil
}
