package scan

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/internal/glob"
	"github.com/keygate/keygate/source"
)

// scopeErrors name each scope .keygate.yaml sets that matched no file (a
// typo, an indentation slip that merged two scopes) with the line that
// sets it: the hygiene scan's evidence must cover what the configuration
// says it covers. A default scope that matches nothing (a repository
// without reports/ yet) is a warning. A walk with errors says nothing
// here: its errors already fail the scan.
func scopeErrors(req Request, w *source.FileList) (errs, warnings []string) {
	if len(w.Errors) > 0 {
		return nil, nil
	}
	type scope struct {
		glob, field string
		i           int
	}
	var scopes []scope
	for i, g := range req.Config.Scopes {
		scopes = append(scopes, scope{g, "scopes", i})
	}
	if req.IncludeLogs {
		for i, g := range req.Config.LogScopes {
			scopes = append(scopes, scope{g, "log_scopes", i})
		}
	}
	for _, s := range scopes {
		if walkMatches(s.glob, w) {
			continue
		}
		if line, ok := req.Config.Line(s.field, s.i); ok {
			file := req.Config.File
			if rel, err := filepath.Rel(req.Root, file); err == nil && !strings.HasPrefix(rel, "..") {
				file = filepath.ToSlash(rel)
			}
			errs = append(errs, fmt.Sprintf("scope %q (%s:%d, %s) matched no file: fix the glob or remove it", s.glob, file, line, s.field))
		} else {
			warnings = append(warnings, fmt.Sprintf("scope %q matched no file", s.glob))
		}
	}
	return errs, warnings
}

func walkMatches(pattern string, w *source.FileList) bool {
	one := []string{pattern}
	for _, f := range w.Files {
		if glob.Any(one, f.Path) {
			return true
		}
	}
	for _, s := range w.Skipped {
		if glob.Any(one, s.Path) {
			return true
		}
	}
	return false
}

// applySkips lists the walk errors that .keygate.yaml's skip: names (a
// folder it may not list) as skipped with the configured reason. skip:
// excuses a file the scan cannot read; it never stops one from being read
// (a change that adds an entry cannot hide a key in a text file).
func applySkips(c *config.Config, w *source.FileList) {
	kept := w.Errors[:0]
	for _, e := range w.Errors {
		if p, ok := source.ErrorPath(e); ok {
			if rule, ok := c.Skipped(p); ok {
				w.Skipped = append(w.Skipped, source.Skip{Path: p, Reason: "skip: " + rule.Reason + " (" + strings.TrimPrefix(e.Error(), p+": ") + ")", Configured: true})
				continue
			}
		}
		kept = append(kept, e)
	}
	w.Errors = kept
}

// excuseUnreadable moves the errors of files skip: names (a file this
// user may not open) to the skipped list with the configured reason, and
// returns their paths (the inputs digest cannot read them either).
func excuseUnreadable(c *config.Config, w *source.FileList, r *Result) (paths []string) {
	if len(r.Errors) == 0 {
		return nil
	}
	kept := r.Errors[:0]
	for _, e := range r.Errors {
		excused := false
		for _, f := range w.Files {
			if rest, ok := strings.CutPrefix(e, f.Path+": "); ok {
				if rule, ok := c.Skipped(f.Path); ok {
					r.Skipped = append(r.Skipped, source.Skip{Path: f.Path, Reason: "skip: " + rule.Reason + " (" + rest + ")", Configured: true})
					excused = true
					paths = append(paths, f.Path)
				}
				break
			}
		}
		if !excused {
			kept = append(kept, e)
		}
	}
	r.Errors = kept
	return paths
}

// unreadErrors marks the skipped files of a hygiene scan that skip: names
// (when the scan found them unreadable: binary, a link it does not
// follow) and returns an error for every other one: in the hygiene scan
// nothing in scope is left unread without saying why.
func unreadErrors(c *config.Config, r *Result) []string {
	var errs []string
	for i, s := range r.Skipped {
		if s.Configured {
			continue
		}
		if rule, ok := c.Skipped(s.Path); ok {
			r.Skipped[i] = source.Skip{Path: s.Path, Reason: "skip: " + rule.Reason + " (" + s.Reason + ")", Configured: true}
			continue
		}
		errs = append(errs, fmt.Sprintf("%s: in scope but not read: %s; make it readable, or name it under skip: in %s with a reason", s.Path, s.Reason, config.FileName))
	}
	return errs
}

// nothingScanned says why a path scan read no file.
func nothingScanned(r *Result, scopes []string) string {
	if len(r.Skipped) == 0 {
		if len(scopes) > 0 {
			return "no file was scanned: the scopes (" + strings.Join(scopes, ", ") + ") match no file"
		}
		return "no file was scanned: the paths hold no file"
	}
	var why []string
	for i, s := range r.Skipped {
		if i == 3 {
			why = append(why, fmt.Sprintf("and %d more", len(r.Skipped)-i))
			break
		}
		why = append(why, s.Path+": "+s.Reason)
	}
	return "no file was scanned: " + strings.Join(why, "; ")
}

// noCommits says why a history scan read no commit.
func noCommits(rangeSpec string) string {
	if rangeSpec != "" {
		return fmt.Sprintf("no commit was scanned: the range %s holds no commit (BASE..HEAD lists what HEAD has and BASE lacks: is it reversed, or already merged?)", rangeSpec)
	}
	return "no commit was scanned: the repository has no commits"
}
