package source

import (
	"fmt"
	"strings"
)

// RangeEnds resolves a range "A..B" to full commit ids: base is A, the
// commit whose policy (configuration, rule packs, baseline, ignore files)
// judges the range, and head is B, the change being judged. It is the one
// place a range's ends are resolved for the trust rules, so a typed
// revision set can feed it later.
func (r *Repo) RangeEnds(rangeSpec string) (base, head string, err error) {
	a, b, ok := strings.Cut(rangeSpec, "..")
	if !ok || a == "" || b == "" || strings.HasPrefix(b, ".") {
		return "", "", fmt.Errorf("%w %q: want BASE..HEAD (two dots), e.g. origin/main..HEAD", ErrBadRange, rangeSpec)
	}
	bh, err := r.resolve(a)
	if err != nil {
		return "", "", err
	}
	hh, err := r.resolve(b)
	if err != nil {
		return "", "", err
	}
	return bh.String(), hh.String(), nil
}
