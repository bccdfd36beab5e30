package rules

import (
	"encoding/hex"
	"hash/crc32"
	"io"
	"io/fs"
)

//go:generate go run ./internal/genpack
//go:generate go run ../detector/internal/gentables ../detector

// The default pack is generated ahead of time (default_gen.go, written by
// `go generate ./rules`, which also writes the automaton of its keywords,
// detector/keywords_gen.go, and its patterns' line filters,
// detector/filters_gen.go): parsing and validating 300 rules' YAML at every
// start cost a one-file commit hook more than its scan. The generated pack
// is used only while each embedded source still has the size and CRC-32C
// it was generated from; an edited file that was not regenerated is
// parsed from its YAML instead, so a stale file is slower, never wrong (and
// TestGeneratedPackIsFresh fails on it).

// generatedSource is one file the generated pack was built from: its name
// within rules/, size and CRC-32C.
type generatedSource struct {
	Name string
	Size int
	CRC  uint32
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// generatedDefault returns the generated pack when fsys holds exactly the
// sources it was generated from, else nil.
func generatedDefault(fsys fs.FS) *Pack {
	names, err := fs.Glob(fsys, "families/*.yaml")
	if err != nil || len(names)+1 != len(generatedSources) {
		return nil
	}
	buf := make([]byte, 32<<10)
	for i, src := range generatedSources {
		want := "default.yaml"
		if i > 0 {
			want = names[i-1]
		}
		if src.Name != want {
			return nil
		}
		size, crc, err := sizeAndCRC(fsys, want, buf)
		if err != nil || src.Size != size || src.CRC != crc {
			return nil
		}
	}
	p := generatedPack
	digest, err := hex.DecodeString(p.SHA256)
	if err != nil {
		return nil
	}
	p.digest = digest
	return &p
}

// ParseDefault parses and validates the default pack from its YAML in fsys
// (rules/'s directory: default.yaml and families/*.yaml) as Default does
// when the generated pack is stale. It is exported for the generator, and
// returns the pack in the generated form: without the digest, which
// Default derives from SHA256.
func ParseDefault(fsys fs.FS) (*Pack, error) {
	p, err := assemble(fsys)
	if err != nil {
		return nil, err
	}
	p.digest = nil
	return p, nil
}

// sizeAndCRC returns the size and CRC-32C of file name in fsys, read
// through buf (reading each whole file cost more than checking it).
func sizeAndCRC(fsys fs.FS, name string, buf []byte) (int, uint32, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	size, crc := 0, uint32(0)
	for {
		n, err := f.Read(buf)
		size += n
		crc = crc32.Update(crc, castagnoli, buf[:n])
		if err == io.EOF {
			return size, crc, nil
		}
		if err != nil {
			return 0, 0, err
		}
	}
}
