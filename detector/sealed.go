package detector

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// Sealed ciphertext: a secret encrypted at rest for a key the repository
// does not hold is no leak, even under a policy name, so no rule reports
// it. Each kind is recognised by its own shape, not by the name above it:
//
//   - SOPS values, `ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`;
//   - age files, armored (`-----BEGIN AGE ENCRYPTED FILE-----`) or as
//     base64 of their `age-encryption.org/v1` header;
//   - Bitnami SealedSecret `encryptedData` values: base64 of a two-byte
//     length, an RSA-OAEP wrapped session key of that length (2048, 3072
//     or 4096 bits) and the AES-GCM sealed value after it.

// ageHeader is base64 of "age-encryption.org", the start of every age file.
const ageHeader = "YWdlLWVuY3J5cHRpb24ub3Jn"

// sealed reports whether buf[start:end] is, or sits inside, ciphertext of
// one of those kinds.
func sealed(buf []byte, start, end int) bool {
	v := buf[start:end]
	if bytes.HasPrefix(v, []byte("ENC[")) || bytes.HasSuffix(buf[max(0, start-4):start], []byte("ENC[")) {
		return true
	}
	if bytes.HasPrefix(v, []byte("-----BEGIN AGE ENCRYPTED FILE-----")) || bytes.HasPrefix(v, []byte(ageHeader)) {
		return true
	}
	return sealedSecret(string(v))
}

// sealedSecret reports a Bitnami SealedSecret value by its structure.
func sealedSecret(v string) bool {
	if len(v) < 368 || strings.IndexByte("AQY", v[0]) < 0 {
		return false // base64 of 2 + 256 + 16 bytes at the least; a length byte of 1 or 2
	}
	dec, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return false
	}
	n := int(dec[0])<<8 | int(dec[1])
	// The sealed value is an AES-GCM ciphertext: at least its 16-byte tag.
	return (n == 256 || n == 384 || n == 512) && len(dec) >= 2+n+16
}
