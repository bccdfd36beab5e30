package main

import (
	"io"
	"os"
)

// colour reports whether output to w may be painted: a terminal, and no
// opt-out (--no-color, NO_COLOR set to anything non-empty per
// no-color.org, or TERM=dumb).
func (a *app) colour(w io.Writer) bool {
	if a.noColour || os.Getenv("NO_COLOR") != "" || dumbTerminal() {
		return false
	}
	return isTerminal(w)
}

// dumbTerminal is TERM=dumb: no escape sequences at all, so no colour and
// no progress line (it needs erase-line).
func dumbTerminal() bool { return os.Getenv("TERM") == "dumb" }

// showProgress reports whether a progress line may be drawn on w.
func showProgress(w io.Writer, quiet bool) bool {
	return !quiet && !dumbTerminal() && isTerminal(w)
}
