package mnemonic

import (
	"hash/crc32"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bip39 "github.com/tyler-smith/go-bip39"
	"github.com/tyler-smith/go-bip39/wordlists"
)

// TestList: the embedded list is the BIP's english.txt (its published
// CRC-32) and go-bip39's English list, word for word.
func TestList(t *testing.T) {
	assert.Equal(t, uint32(0xc1dbd296), crc32.ChecksumIEEE([]byte(english)))
	words := strings.Split(strings.TrimSuffix(english, "\n"), "\n")
	require.Equal(t, wordlists.English, words)
	for _, w := range wordlists.English {
		assert.True(t, Word(w), w)
	}
	for _, w := range []string{"", "Abandon", "abandonn", "zoo ", "catalogue", "bitcoin"} {
		assert.False(t, Word(w), w)
	}
}

func TestValid(t *testing.T) {
	const m12 = "catalog design inner special elephant pig afraid tag happy book rebuild moment"
	const m24 = "attract case scissors humor jungle promote decade camp effort crater royal cattle message smile razor general bracket genius surge hold pact asset rabbit jewel"
	tests := []struct {
		name, phrase string
		want         bool
	}{
		{"12 words", m12, true},
		{"24 words", m24, true},
		{"tabs and runs of spaces", strings.ReplaceAll(m12, " ", " \t "), true},
		{"leading and trailing space", "\n " + m12 + " \r\n", true},
		{"last word changed", strings.Replace(m12, "moment", "rebuild", 1), false},
		{"two words swapped", strings.Replace(m12, "design inner", "inner design", 1), false},
		{"a word off the list", strings.Replace(m12, "catalog", "catalogue", 1), false},
		{"capitalised", strings.Replace(m12, "catalog", "Catalog", 1), false},
		{"11 words", strings.TrimSuffix(m12, " moment"), false},
		{"13 words", m12 + " moment", false},
		{"27 words", m24 + " abandon abandon about", false},
		{"empty", "", false},
		{"all zero entropy", strings.Repeat("abandon ", 11) + "about", true},
		{"all zero entropy, 24", strings.Repeat("abandon ", 23) + "art", true},
		{"all ones entropy", strings.Repeat("zoo ", 11) + "wrong", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Valid(tt.phrase))
			assert.Equal(t, bip39.IsMnemonicValid(tt.phrase), Valid(tt.phrase), "go-bip39 answers otherwise")
		})
	}
}

// TestValidEveryLength: go-bip39's own mnemonics of every entropy size
// are valid here, and each with its last word replaced by every other
// word is valid here exactly when go-bip39 says so (one last word in 2^k
// carries a right k-bit checksum).
func TestValidEveryLength(t *testing.T) {
	for _, bits := range []int{128, 160, 192, 224, 256} {
		entropy := make([]byte, bits/8)
		for i := range entropy {
			entropy[i] = byte(i*37 + bits)
		}
		phrase, err := bip39.NewMnemonic(entropy)
		require.NoError(t, err)
		require.True(t, Valid(phrase), phrase)
		words := strings.Fields(phrase)
		valid := 0
		for _, w := range wordlists.English {
			words[len(words)-1] = w
			p := strings.Join(words, " ")
			got := Valid(p)
			require.Equal(t, bip39.IsMnemonicValid(p), got, p)
			if got {
				valid++
			}
		}
		// The last word holds 11-k bits of entropy and k of checksum.
		assert.Equal(t, 1<<(11-len(words)/3), valid, "%d words", len(words))
	}
}

// FuzzValid checks Valid against go-bip39 in both directions: phrases
// built from the fuzzer's bytes as word numbers (so most words are on the
// list and some phrases are valid), with a byte that may replace one word
// by another string, and raw strings.
func FuzzValid(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3}, "", uint8(0))
	f.Add([]byte("catalog design inner special"), "zoo", uint8(3))
	f.Add([]byte{255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255}, "Zoo", uint8(12))
	f.Fuzz(func(t *testing.T, data []byte, word string, at uint8) {
		if bip39.IsMnemonicValid(string(data)) != Valid(string(data)) {
			t.Fatalf("raw %q: go-bip39 %v, here %v", data, bip39.IsMnemonicValid(string(data)), Valid(string(data)))
		}
		// Entropy from data: a mnemonic go-bip39 makes must be valid here.
		if n := len(data) / 4 * 4; n >= 16 && n <= 32 {
			phrase, err := bip39.NewMnemonic(data[:n])
			if err == nil && !Valid(phrase) {
				t.Fatalf("go-bip39's own mnemonic %q is not valid here", phrase)
			}
		}
		var words []string
		for i := 0; i+1 < len(data) && len(words) < 27; i += 2 {
			words = append(words, wordlists.English[(int(data[i])<<8|int(data[i+1]))%2048])
		}
		if len(words) > 0 && at != 0 {
			words[int(at)%len(words)] = word
		}
		p := strings.Join(words, " ")
		if want, got := bip39.IsMnemonicValid(p), Valid(p); want != got {
			t.Fatalf("%q: go-bip39 %v, here %v", p, want, got)
		}
	})
}
