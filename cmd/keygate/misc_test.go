package main

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

var durationRE = regexp.MustCompile(`, \d+ ms`)

func stripDuration(s string) string { return durationRE.ReplaceAllString(s, "") }

// runWithPeakRSS runs cmd and returns its peak resident memory in KB, read
// from VmHWM in /proc while it runs. rusage's Maxrss would not do: a child
// started with vfork inherits the test process's high-water mark at exec.
func runWithPeakRSS(cmd *exec.Cmd) (int64, error) {
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var peak int64
	status := "/proc/" + strconv.Itoa(cmd.Process.Pid) + "/status"
	sample := func() {
		data, err := os.ReadFile(status)
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				peak = max(peak, kb)
			}
		}
	}
	// A first sample at once: a run that refuses its input early can end
	// before the first tick.
	sample()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return peak, err
		case <-tick.C:
			sample()
		}
	}
}
