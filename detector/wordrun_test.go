package detector

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

const twelve = "dream unaware confirm swarm cloud thing sun bargain swift major oval motion"

func TestWordRuns(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"double-quoted", `p = "` + twelve + `";`, []string{twelve}},
		{"single-quoted", `f('` + twelve + `')`, []string{twelve}},
		{"backquoted", "x := `" + twelve + "`", []string{twelve}},
		{"assigned to the line's end", "WORDS=" + twelve + "\nNEXT=1", []string{twelve}},
		{"yaml value", "words: " + twelve, []string{" " + twelve}},
		{"crlf", "WORDS=" + twelve + "\r\n", []string{twelve}},
		{"two on a line", `["` + twelve + `", "` + twelve + `"]`, []string{twelve, twelve}},
		{"in a sentence", "note: remember " + twelve + ", it is the demo", nil},
		{"after a list marker", "- " + twelve, nil},
		{"capitalised", `p = "Dream unaware confirm swarm cloud thing sun bargain swift major oval motion"`, nil},
		{"too short", `p = "one two six ten red sun bag cat dog pig cow"`, nil},
		{"eleven words, long ones", `p = "` + strings.Repeat("abcdefgh ", 10) + `abcdefgh"`, nil},
		{"at the very start", twelve + `"`, nil},
		{"a tab after =", "WORDS=\t" + twelve + "\n", []string{twelve}},
		{"tabs before the line's end", "words: " + twelve + "\t\t\n", []string{" " + twelve}},
		{"quoted prose", `msg = "the bot stops when the exchange answers with too many errors in one hour"`, nil},
		{"one word off the list", `p = "dream unaware confirm swarm cloud thing sun bargain swift major oval motions"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			wordRuns([]byte(tt.text), func(s, e int) { got = append(got, tt.text[s:e]) })
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestBIP39Whole(t *testing.T) {
	tests := []struct {
		name, words string
		want        bool
	}{
		{"12 words", twelve, true},
		{"24 words", "laugh crumble combine chicken gadget method example season airport warm usual model saddle quantum zebra enroll unhappy left fatigue ride noodle argue between make", true},
		{"a word too many", twelve + " river", false},
		{"a word too few", strings.TrimSuffix(twelve, " motion"), false},
		{"checksum fails", "dwarf common panda maid dumb bag medal phone scrap close income false", false},
		{"test vector of one word", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", false},
		{"not list words", "the quick brown fox jumps over the lazy dog and the cat", false},
		{"ganache default", "myth like bonus scare over problem client lizard pioneer submit female collect", false},
		{"reference vector", "hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, bip39WholeOK(tt.words))
		})
	}
}

// Through the whole pack: a bare mnemonic is found as the whole of a
// value, even holding a list word that reads as a placeholder (example);
// the same words inside a sentence are not.
func TestBareMnemonic(t *testing.T) {
	d := defaultDetector(t)
	withExample := "shift example bridge coral velvet ocean hammer lunar pilot meadow tribe accident"
	tests := []struct {
		name, text string
		want       []string
	}{
		{"quoted", `const PHRASE = "` + twelve + `";`, []string{"wallet-mnemonic-bare"}},
		{"a list word like a placeholder", `k = '` + withExample + `'`, []string{"wallet-mnemonic-bare"}},
		{"under a wallet word", `MNEMONIC="` + twelve + `"`, []string{"wallet-mnemonic"}},
		{"a tab after the colon", "k:\t" + twelve, []string{"wallet-mnemonic-bare"}},
		{"in a sentence", `msg = "my words are ` + twelve + `"`, nil},
		{"one word more", `p = "` + twelve + ` river"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := d.Scan([]byte(tt.text+"\n"), "bot.js")
			assert.NoError(t, err)
			var got []string
			for _, f := range fs {
				got = append(got, f.RuleID)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
