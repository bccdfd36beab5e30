// Package mnemonic checks BIP-39 English mnemonics: whether a word is on
// the English list, and whether a phrase is a mnemonic whose checksum
// holds.
//
// It answers exactly as github.com/tyler-smith/go-bip39's IsMnemonicValid
// does with its default (English) list; the tests fuzz one against the
// other in both directions and check the list against go-bip39's and the
// BIP's own checksum of english.txt. go-bip39 is no longer imported here
// because importing it builds the lists of nine languages and a reverse
// map at start: 0.9 ms of every run's start, about 7% of a one-file
// staged commit's wall time, for a check most commits never make. Here
// the list is read on first use.
package mnemonic

import (
	"crypto/sha256"
	_ "embed"
	"strings"
	"sync"
)

// english is the BIP-39 English list, one word a line, as the BIP
// publishes it (CRC-32 c1dbd296).
//
//go:embed english.txt
var english string

// index maps each English word to its 11-bit value, built on first use.
var index = sync.OnceValue(func() map[string]uint16 {
	m := make(map[string]uint16, 2048)
	for i, w := range strings.Split(strings.TrimSuffix(english, "\n"), "\n") {
		m[w] = uint16(i)
	}
	return m
})

// Word reports whether w, as written (lowercase), is on the English list.
func Word(w string) bool {
	_, ok := index()[w]
	return ok
}

// Valid reports whether phrase is a BIP-39 English mnemonic: 12, 15, 18,
// 21 or 24 words of the list, separated by white space, whose last
// n/3 bits are the first n/3 bits of the SHA-256 of the entropy the
// other bits spell.
func Valid(phrase string) bool {
	words := strings.Fields(phrase)
	n := len(words)
	if n < 12 || n > 24 || n%3 != 0 {
		return false
	}
	// The words' 11-bit values, most significant first, make 11n bits:
	// 32n/3 of entropy (4n/3 bytes), then n/3 of checksum (at most 8).
	var bits [33]byte // 24 words: 264 bits
	at := 0
	m := index()
	for _, w := range words {
		v, ok := m[w]
		if !ok {
			return false
		}
		for b := 10; b >= 0; b-- {
			if v>>b&1 == 1 {
				bits[at/8] |= 0x80 >> (at % 8)
			}
			at++
		}
	}
	entropy := bits[:4*n/3]
	cs := n / 3
	got := bits[4*n/3] >> (8 - cs)
	sum := sha256.Sum256(entropy)
	return sum[0]>>(8-cs) == got
}
