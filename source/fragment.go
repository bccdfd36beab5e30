package source

import "context"

// Fragment is one piece of content a scan reads: a working-tree file or a
// staged blob, the path it is reported at, and the lines that count.
type Fragment struct {
	// Path is what findings name (relative to the repository).
	Path string
	// File is the file on disk to read, or "" for a blob.
	File string
	// Blob is the git blob to read when File is "".
	Blob ObjectID
	// Lines, when not nil, are the only lines whose findings count (the
	// lines a commit adds).
	Lines map[int]bool
}

// Source yields the fragments of a scan, in a stable order, to one
// consumer (the shape of gitleaks' Fragments and trufflehog's Chunks). A
// yield error stops the source and is returned. History scans read blob
// versions in a chain instead (Repo.History), since each version is
// scanned against the one before it.
type Source interface {
	Fragments(ctx context.Context, yield func(Fragment) error) error
}

// Fragments yields each listed file.
func (l *FileList) Fragments(ctx context.Context, yield func(Fragment) error) error {
	for _, f := range l.Files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := yield(Fragment{Path: f.Path, File: f.Abs}); err != nil {
			return err
		}
	}
	return nil
}

// StagedChanges are what the next commit would change.
type StagedChanges []StagedChange

// Fragments yields each staged blob that holds text, with the lines the
// commit adds (all of them for a path new to the commit).
func (s StagedChanges) Fragments(ctx context.Context, yield func(Fragment) error) error {
	for _, ch := range s {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !ch.Content {
			continue
		}
		if err := yield(Fragment{Path: ch.Path, Blob: ch.Blob, Lines: ch.Added}); err != nil {
			return err
		}
	}
	return nil
}
