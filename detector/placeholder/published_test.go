package placeholder

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tyler-smith/go-bip39"
)

// secp256k1, for deriving the development accounts below (BIP-32's
// non-hardened steps need a parent's public key).
var (
	secpP  = hexInt("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F")
	secpN  = hexInt("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141")
	secpGx = hexInt("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798")
	secpGy = hexInt("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8")
)

func hexInt(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic(s)
	}
	return n
}

type point struct{ x, y *big.Int }

// add is affine point addition (nil is the point at infinity).
func add(a, b *point) *point {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	var num, den *big.Int
	if a.x.Cmp(b.x) == 0 {
		if a.y.Cmp(b.y) != 0 || a.y.Sign() == 0 {
			return nil
		}
		num = new(big.Int).Mul(big.NewInt(3), new(big.Int).Mul(a.x, a.x))
		den = new(big.Int).Lsh(a.y, 1)
	} else {
		num = new(big.Int).Sub(b.y, a.y)
		den = new(big.Int).Sub(b.x, a.x)
	}
	l := new(big.Int).Mul(num, new(big.Int).ModInverse(new(big.Int).Mod(den, secpP), secpP))
	l.Mod(l, secpP)
	x := new(big.Int).Sub(new(big.Int).Sub(new(big.Int).Mul(l, l), a.x), b.x)
	x.Mod(x, secpP)
	y := new(big.Int).Sub(new(big.Int).Mul(l, new(big.Int).Sub(a.x, x)), a.y)
	return &point{x, y.Mod(y, secpP)}
}

func pubKey(k []byte) []byte {
	var r *point
	q := &point{secpGx, secpGy}
	n := new(big.Int).SetBytes(k)
	for i := 0; i < n.BitLen(); i++ {
		if n.Bit(i) == 1 {
			r = add(r, q)
		}
		q = add(q, q)
	}
	out := make([]byte, 33)
	out[0] = 2 + byte(r.y.Bit(0))
	r.x.FillBytes(out[1:])
	return out
}

// child is BIP-32's private child key derivation.
func child(k, c []byte, i uint32) ([]byte, []byte) {
	data := append([]byte{0}, k...)
	if i < 1<<31 {
		data = pubKey(k)
	}
	m := hmac.New(sha512.New, c)
	m.Write(binary.BigEndian.AppendUint32(data, i))
	sum := m.Sum(nil)
	ki := new(big.Int).Add(new(big.Int).SetBytes(sum[:32]), new(big.Int).SetBytes(k))
	out := make([]byte, 32)
	ki.Mod(ki, secpN).FillBytes(out)
	return out, sum[32:]
}

// The published keys are exactly the first twenty accounts of the
// development mnemonic, derived here at m/44'/60'/0'/0/i; each is a
// placeholder with or without 0x, in either case. A key one digit away
// is not.
func TestPublishedKeysAreTheDevelopmentAccounts(t *testing.T) {
	seed := bip39.NewSeed("test test test test test test test test test test test junk", "")
	m := hmac.New(sha512.New, []byte("Bitcoin seed"))
	m.Write(seed)
	sum := m.Sum(nil)
	k, c := sum[:32], sum[32:]
	for _, i := range []uint32{44 | 1<<31, 60 | 1<<31, 1 << 31, 0} {
		k, c = child(k, c, i)
	}
	s, err := New(nil)
	require.NoError(t, err)
	want := map[string]bool{}
	for i := range uint32(20) {
		key, _ := child(k, c, i)
		hexKey := fmt.Sprintf("%x", key)
		want[hexKey] = true
		assert.True(t, s.Is("0x"+hexKey), "account %d", i)
		assert.True(t, s.Is(hexKey), "account %d without 0x", i)
		assert.True(t, s.Is(fmt.Sprintf("0x%X", key)), "account %d upper case", i)
	}
	assert.Equal(t, want, publishedKeys)
	assert.Equal(t, "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", func() string {
		key, _ := child(k, c, 0)
		return fmt.Sprintf("%x", key)
	}(), "account 0 is the one every hardhat tutorial shows")
	assert.False(t, s.Is("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff81"))
}

// Documented examples are placeholders as written, the same characters
// in another case or with one changed are not: Binance's API examples
// (the HMAC pair, an example signature, the RSA example's API key) and
// NuGet's example passwords.
func TestPublishedExamples(t *testing.T) {
	s, err := New(nil)
	require.NoError(t, err)
	for _, v := range []string{
		"vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
		"NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j",
		"c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71",
		"CAvIjXy3F44yW6Pou5k8Dy1swsYDWJZLeoK2r8G4cFDnE9nosRppc2eKc1T8TRTQ",
		"33f!!lloppa",
		"hal+9ooo_da!sY",
	} {
		assert.True(t, s.Is(v), v)
	}
	for _, v := range []string{
		"VMPUZE6MV9SD5VNHK4HLWFSOR6AKE2ZVSW0MUIGWCIPY6UTICO14Y7JU91DUEH8A",
		"hal+9ooo_da!sZ",
	} {
		assert.False(t, s.Is(v), v)
	}
}
