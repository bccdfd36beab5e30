package source

import (
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signatureSeeds are author and committer lines as git writes them, and
// the ways they go wrong.
var signatureSeeds = []string{
	"Jane Doe <jane@example.com> 1700000000 +0100",
	"Jane Doe <jane@example.com> 1700000000 -0730",
	"  Spaced   <s@x> 1 +0000",
	"<only@mail> 42 +0000",
	"No Mail 1700000000 +0000",
	"Bad <a@b> notanumber +0000",
	"Bad <a@b> 1700000000",
	"Bad <a@b> 1700000000 +01",
	"Bad <a@b>",
	"Bad <a@b> ",
	"Bad <a@b>  1700000000 +0000",
	"Neg <a@b> -5 +0000",
	"Plus <a@b> +5 +0000",
	"Big <a@b> 9223372036854775807 +0000",
	"Over <a@b> 9223372036854775808 +0000",
	"Min <a@b> -9223372036854775808 +0000",
	"Under <a@b> -9223372036854775809 +0000",
	"Swapped >a@b< 1 +0000",
	"Two <a@b> <c@d> 7 +0000",
	"",
}

// signature reads what go-git's Signature.Decode reads of a line: the
// name, and the time as the same instant; a field Decode leaves alone is
// one signature says it did not read.
func TestSignatureReadsAsGoGit(t *testing.T) {
	for _, line := range signatureSeeds {
		checkSignature(t, []byte(line))
	}
}

func FuzzSignature(f *testing.F) {
	for _, s := range signatureSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkSignature)
}

func checkSignature(t *testing.T, line []byte) {
	sentinel := time.Unix(-1, 0)
	want := object.Signature{Name: "sentinel", When: sentinel}
	want.Decode(line)
	name, when, hasName, hasWhen := signature(line)
	if hasName {
		require.Equal(t, want.Name, name, "%q", line)
	} else {
		require.Equal(t, "sentinel", want.Name, "%q: Decode read a name", line)
	}
	if hasWhen {
		require.True(t, want.When.Equal(when), "%q: %v, Decode %v", line, when, want.When)
	} else {
		require.True(t, want.When.Equal(sentinel), "%q: Decode read a time", line)
	}
}

// A commit's author is read as Decode reads it into one signature, line
// after line: a later author line that has no name keeps the earlier one.
func TestParseCommitReadsTheAuthorAsDecodeDoes(t *testing.T) {
	c, err := parseCommit([]byte("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n" +
		"parent 4B825DC642CB6EB9A060E54BF8D69288FBEE4904\n" +
		"author Jane <j@x> 1700000000 +0100\nauthor broken\n" +
		"committer Joe <o@x> 1700000100 +0000\n\nmessage\n"))
	require.NoError(t, err)
	assert.Equal(t, "Jane", c.authorName)
	assert.Equal(t, time.Unix(1700000000, 0).UTC(), c.authored.UTC())
	assert.Equal(t, time.Unix(1700000100, 0).UTC(), c.committed.UTC())
	require.Len(t, c.parents, 1, "an upper-case id is read, as before")
	for _, bad := range []string{"tree 4b825dc642cb6eb9a060e54bf8d69288fbee490g\n", "tree 4b825dc6\n", "parent zz\n"} {
		_, err := parseCommit([]byte(bad))
		assert.Error(t, err, bad)
	}
}
