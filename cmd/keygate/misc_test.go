package main

import (
	"encoding/json"
	"regexp"
	"strconv"
)

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func itoa(n int) string { return strconv.Itoa(n) }

var durationRE = regexp.MustCompile(`, \d+ ms`)

func stripDuration(s string) string { return durationRE.ReplaceAllString(s, "") }
