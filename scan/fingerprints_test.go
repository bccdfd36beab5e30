package scan

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/keygate/keygate/detector"
)

// A history's fingerprints, computed ahead on the workers, are each the
// one detector.Fingerprint gives, duplicates once; with the scan cancelled
// the rest are computed when asked for.
func TestFingerprintsFilledAhead(t *testing.T) {
	var keys [][3]string
	for i := range 40 {
		keys = append(keys, [3]string{"bitget-api-key", fmt.Sprintf("bots/bot%d.env", i%7), fmt.Sprintf("bg_%032x", i%11)})
	}
	for _, workers := range []int{1, 2, 4} {
		m := fingerprints{}
		m.fill(context.Background(), Options{Workers: workers}, keys)
		assert.Len(t, m, len(uniqueKeys(keys)), "each key once")
		for _, k := range keys {
			assert.Equal(t, detector.Fingerprint(k[0], k[1], k[2]), m[k], "workers %d", workers)
			assert.Equal(t, m[k], m.get(k[0], k[1], k[2]))
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := fingerprints{}
	m.fill(ctx, Options{Workers: 2}, keys)
	for _, k := range keys {
		assert.Equal(t, detector.Fingerprint(k[0], k[1], k[2]), m.get(k[0], k[1], k[2]))
	}
}

func uniqueKeys(keys [][3]string) map[[3]string]bool {
	u := map[[3]string]bool{}
	for _, k := range keys {
		u[k] = true
	}
	return u
}
