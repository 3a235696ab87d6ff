package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// queries are the service's named statements, read from sqlc's query files
// (db/queries/*.sql), so that a pgbench script runs the SQL the service runs
// rather than a copy of it that drifts.
type queries map[string]string

// nameLine starts a query in sqlc's format: `-- name: GetInvoiceDetail :many`.
var nameLine = regexp.MustCompile(`^--\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s+:[a-z]+\s*$`)

// readQueries reads every named query of the .sql files in dir. A query's
// text runs from its name line to the next name line or the end of its file;
// its comments, blank lines and final semicolon are left out. Text before a
// file's first name line (a header comment) belongs to no query.
func readQueries(dir string) (queries, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no .sql files in %s", dir)
	}
	q := queries{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if err := q.parse(filepath.Base(f), string(b)); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// parse adds the named queries of one file's text to q.
func (q queries) parse(file, text string) error {
	name := ""
	var body []string
	flush := func() error {
		if name == "" {
			return nil
		}
		if _, dup := q[name]; dup {
			return fmt.Errorf("%s: query %s is named twice", file, name)
		}
		sql := strings.TrimSpace(stripComments(strings.Join(body, "\n")))
		sql = strings.TrimSpace(strings.TrimSuffix(sql, ";"))
		if sql == "" {
			return fmt.Errorf("%s: query %s has no SQL", file, name)
		}
		q[name] = sql
		return nil
	}
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if m := nameLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			if err := flush(); err != nil {
				return err
			}
			name, body = m[1], nil
			continue
		}
		if name != "" {
			body = append(body, line)
		}
	}
	return flush()
}

// get is the SQL of the named query.
func (q queries) get(name string) (string, error) {
	sql, ok := q[name]
	if !ok {
		return "", fmt.Errorf("no query named %s in the query files", name)
	}
	return sql, nil
}

// segment is a stretch of SQL text: code, a quoted string or identifier
// (kept as it is), or a comment.
type segment struct {
	text string
	kind segmentKind
}

type segmentKind int

const (
	code segmentKind = iota
	quoted
	comment
)

// scanSQL cuts sql into code, quoted text ('…' and "…", doubled quotes
// inside them included) and comments (-- to the end of the line, and
// /* … */). Dollar-quoted strings are not recognised; no query uses them.
func scanSQL(sql string) []segment {
	var out []segment
	add := func(text string, kind segmentKind) {
		if text == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].kind == kind {
			out[n-1].text += text
			return
		}
		out = append(out, segment{text, kind})
	}
	for i := 0; i < len(sql); {
		switch {
		case strings.HasPrefix(sql[i:], "--"):
			end := strings.IndexByte(sql[i:], '\n')
			if end < 0 {
				end = len(sql) - i
			}
			add(sql[i:i+end], comment)
			i += end
		case strings.HasPrefix(sql[i:], "/*"):
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				end = len(sql) - i - 2
			} else {
				end += 2
			}
			add(sql[i:i+2+end], comment)
			i += 2 + end
		case sql[i] == '\'' || sql[i] == '"':
			q := sql[i]
			j := i + 1
			for j < len(sql) {
				if sql[j] == q {
					if j+1 < len(sql) && sql[j+1] == q { // a doubled quote
						j += 2
						continue
					}
					j++
					break
				}
				j++
			}
			add(sql[i:j], quoted)
			i = j
		default:
			j := i + 1
			for j < len(sql) && !strings.ContainsRune("-/'\"", rune(sql[j])) {
				j++
			}
			add(sql[i:j], code)
			i = j
		}
	}
	return out
}

// stripComments removes sql's comments, the trailing blanks they leave
// and the lines left empty.
func stripComments(sql string) string {
	var b strings.Builder
	for _, s := range scanSQL(sql) {
		if s.kind != comment {
			b.WriteString(s.text)
		}
	}
	var lines []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l = strings.TrimRight(l, " \t"); strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// sqlcArg is an argument in sqlc's notation: @name, sqlc.arg(name),
// sqlc.narg(name); sqlcEmbed is sqlc.embed(table).
var (
	sqlcArg   = regexp.MustCompile(`@([A-Za-z_][A-Za-z0-9_]*)|sqlc\.n?arg\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)`)
	sqlcEmbed = regexp.MustCompile(`sqlc\.embed\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)`)
)

// bind turns a named query into a pgbench statement: each of sqlc's
// arguments becomes the text args gives it (a pgbench variable such as
// ":tenant", or an SQL expression), and sqlc.embed(t) becomes t.* (the
// columns sqlc expands it to). An argument without a value, or a value for
// no argument, is an error, so a query that gains or renames a parameter
// stops the bench instead of running different SQL than the service.
func bind(name, sql string, args map[string]string) (string, error) {
	used := map[string]bool{}
	var missing []string
	var b strings.Builder
	for _, s := range scanSQL(sql) {
		if s.kind != code {
			b.WriteString(s.text)
			continue
		}
		t := sqlcEmbed.ReplaceAllString(s.text, "$1.*")
		t = sqlcArg.ReplaceAllStringFunc(t, func(m string) string {
			sub := sqlcArg.FindStringSubmatch(m)
			arg := sub[1] + sub[2]
			v, ok := args[arg]
			if !ok {
				if !slices.Contains(missing, arg) {
					missing = append(missing, arg)
				}
				return m
			}
			used[arg] = true
			return v
		})
		b.WriteString(t)
	}
	if len(missing) > 0 {
		return "", fmt.Errorf("%s: no value for its argument(s) %s", name, strings.Join(missing, ", "))
	}
	for arg := range args {
		if !used[arg] {
			return "", fmt.Errorf("%s has no argument %s", name, arg)
		}
	}
	return b.String(), nil
}
