package apiclient

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// A client's signed timestamp comes from its clock when one is set, and
// from the system clock otherwise.
func TestClock(t *testing.T) {
	fixed := time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC)
	assert.Equal(t, fixed, Clock(func() time.Time { return fixed }).Now())
	before := time.Now()
	got := Clock(nil).Now()
	assert.False(t, got.Before(before), "a nil clock reads the system clock")
	assert.WithinDuration(t, time.Now(), got, time.Minute)
}
