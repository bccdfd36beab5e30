// Command keygate keeps exchange credentials out of git, docs, reports and
// logs, and rotates them safely. This package is CLI wiring only.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	delayFirstGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	stopProfile := startProfile()
	code := run(ctx, os.Args[1:], streams{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stopProfile()
	stop()
	os.Exit(code)
}
