package baseline

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// decode reads a baseline file in a stream, as encoding/json would read it
// into a File (keys matched without regard to case, other keys ignored,
// nothing after the object), calling fn with each entry of "findings" in
// turn; it returns the file's version.
func decode(r io.Reader, fn func(Entry)) (int, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	if err := delim(dec, '{'); err != nil {
		return 0, err
	}
	version := 0
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return 0, err
		}
		key, _ := t.(string)
		switch {
		case strings.EqualFold(key, "version"):
			if err := dec.Decode(&version); err != nil {
				return 0, err
			}
		case strings.EqualFold(key, "findings"):
			if err := findings(dec, fn); err != nil {
				return 0, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return 0, err
			}
		}
	}
	if err := delim(dec, '}'); err != nil {
		return 0, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return 0, errors.New("invalid character after top-level value")
	}
	return version, nil
}

// findings reads the array of entries (or null).
func findings(dec *json.Decoder, fn func(Entry)) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if t == nil {
		return nil
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("findings: want an array, got %v", t)
	}
	for dec.More() {
		var e Entry
		if err := dec.Decode(&e); err != nil {
			return err
		}
		fn(e)
	}
	return delim(dec, ']')
}

func delim(dec *json.Decoder, want json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, got %v", want, t)
	}
	return nil
}
