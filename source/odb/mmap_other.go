//go:build !unix

package odb

import "os"

// mapFile does not map on this system: packs are read with ReadAt.
func mapFile(*os.File, int64) ([]byte, error) { return nil, nil }

func unmapFile([]byte) error { return nil }
