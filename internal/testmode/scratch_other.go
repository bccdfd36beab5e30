//go:build !linux

package testmode

// memoryScratch finds no memory-backed filesystem outside Linux: the
// tests keep the system's temporary folder.
func memoryScratch() (string, bool) { return "", false }
