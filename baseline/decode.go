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
// turn and the number of the "findings" key it is under (from 1): as with
// encoding/json, only the last one's entries count. It returns the file's
// version and the number of the last "findings" key.
func decode(r io.Reader, fn func(list int, e Entry)) (version, lists int, err error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	if err := delim(dec, '{'); err != nil {
		return 0, 0, err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return 0, 0, err
		}
		key, _ := t.(string)
		switch {
		case strings.EqualFold(key, "version"):
			if err := dec.Decode(&version); err != nil {
				return 0, 0, err
			}
		case strings.EqualFold(key, "findings"):
			lists++
			n := lists
			if err := findings(dec, func(e Entry) { fn(n, e) }); err != nil {
				return 0, 0, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return 0, 0, err
			}
		}
	}
	if err := delim(dec, '}'); err != nil {
		return 0, 0, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return 0, 0, errors.New("invalid character after top-level value")
	}
	return version, lists, nil
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
