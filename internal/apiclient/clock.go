package apiclient

import "time"

// Clock is where a client reads the time its signed requests carry: nil
// reads the system clock, and tests set one to fix the signature.
type Clock func() time.Time

// Now is the clock's time.
func (c Clock) Now() time.Time {
	if c == nil {
		return time.Now()
	}
	return c()
}
