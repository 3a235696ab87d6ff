// Package migrations embeds the goose migrations so that the binary can
// migrate a database with no files beside it. The same directory is sqlc's
// schema, so the generated queries and the real schema cannot drift.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
