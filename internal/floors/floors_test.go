package floors

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

const module = "billing"

// floor is what one package may import: the module's packages it may name
// directly, and outside packages it must not reach.
type floor struct {
	may []string // module packages it may import directly; "*" is any
	// forbidDirect are import-path prefixes it must not import itself.
	forbidDirect []string
	// forbidDeep are import-path prefixes it must not depend on at all,
	// even through another package.
	forbidDeep []string
}

// drivers are the database drivers; database adds the standard library's
// interface to them, which only a direct import shows (google/uuid and apd
// import database/sql/driver to offer Scan and Value, so every package
// depends on it).
var (
	drivers  = []string{"github.com/jackc/", "github.com/lib/pq"}
	database = append([]string{"database/sql"}, drivers...)
)

// pure is what a floor without I/O must never reach: a database driver,
// HTTP, and generated code.
var pure = append([]string{"net/http", module + "/gen/", "github.com/labstack/echo", "github.com/getkin/kin-openapi"}, drivers...)

// floors is ARCHITECTURE.md's table. A package missing from it fails the
// test: a new package takes a floor on purpose.
var floors = map[string]floor{
	// 0: the exact decimal and the error vocabulary.
	"internal/money": {forbidDirect: database, forbidDeep: pure},
	"internal/fault": {forbidDirect: database, forbidDeep: pure},
	// 0: the outbox's job arguments (plain data).
	"internal/jobs": {forbidDirect: database, forbidDeep: pure},
	// 0: sealing secrets at rest (AES-GCM), standard library only.
	"internal/secret": {forbidDirect: database, forbidDeep: pure},
	// 1: pure rules and domain types; tokens and roles.
	"internal/billing": {may: []string{"internal/money", "internal/fault"}, forbidDirect: database, forbidDeep: pure},
	"internal/auth": {may: []string{"internal/fault"},
		forbidDeep: append([]string{module + "/gen/", "github.com/labstack/echo"}, drivers...)},
	// 2: pure DIAN rules and documents; the printed invoice.
	"internal/dian": {may: []string{"internal/billing", "internal/money", "internal/fault"}, forbidDirect: database, forbidDeep: pure},
	"internal/pdf":  {may: []string{"internal/billing", "internal/money", "internal/fault"}, forbidDirect: database, forbidDeep: pure},
	// 3: the only door to the database.
	"internal/store": {may: []string{"gen/db", "internal/billing", "internal/fault", "internal/money", "internal/secret", "internal/jobs"},
		forbidDirect: []string{"net/http", "github.com/labstack/echo"}},
	// 4: the use cases.
	"internal/ledger": {may: []string{"internal/store", "internal/billing", "internal/dian", "internal/pdf", "internal/fault", "internal/money", "internal/jobs"},
		forbidDirect: append([]string{"net/http", "github.com/labstack/echo", "github.com/getkin/kin-openapi"}, database...)},
	// 4: the outbox's workers: they act through the store, never the
	// database directly, and may call out (DIAN, SMTP, webhooks).
	// 3: DIAN's web service over HTTP (the Submitter), beside the store.
	"internal/dianws": {may: []string{"internal/dian", "internal/billing", "internal/money", "internal/fault"},
		forbidDirect: append([]string{"github.com/labstack/echo", "github.com/getkin/kin-openapi"}, database...)},
	// Mail over SMTP (go-mail): beside the store, below the outbox.
	"internal/mailer": {forbidDirect: append([]string{"github.com/labstack/echo", "github.com/getkin/kin-openapi"}, database...)},
	"internal/outbox": {may: []string{"internal/store", "internal/dianws", "internal/mailer", "internal/billing", "internal/dian", "internal/pdf", "internal/fault", "internal/money", "internal/jobs"},
		forbidDirect: append([]string{"github.com/labstack/echo", "github.com/getkin/kin-openapi"}, database...)},
	// 5: HTTP only. It reads domain types from billing (the store maps rows
	// to them, so they cannot live in ledger, one floor up).
	"internal/server": {may: []string{"gen/api", "openapi", "internal/ledger", "internal/auth", "internal/fault", "internal/money", "internal/billing"},
		forbidDirect: database},
	// 6: wiring.
	"internal/cli": {may: []string{"*"}},
	"":             {may: []string{"internal/cli"}}, // main.go
	// Side: tools, test helpers and generated or embedded files. Nothing
	// in production imports them (cli dev's pglocal and devcert, migrate's schema
	// aside).
	"internal/schema":  {may: []string{"db/migrations"}},
	"internal/pglocal": {},
	"internal/devcert": {},
	// DIAN's web service doubled: `billing dian-fake` and make run serve it.
	"internal/dianfake": {may: []string{"internal/dian", "internal/billing", "internal/money", "internal/fault"}},
	// An SMTP server that keeps what it gets: make run and the tests.
	"internal/mailcatch":  {},
	"internal/testdb":     {may: []string{"internal/pglocal", "internal/schema"}},
	"internal/resilience": {may: []string{"*"}},
	"internal/floors":     {},
	"cmd/bench":           {may: []string{"*"}},
	"db/migrations":       {},
	"openapi":             {},
	"gen/api":             {may: []string{"internal/money"}},
	"gen/db":              {may: []string{"internal/money"}},
}

// onlyImportedBy: a module package that only the listed packages may import.
var onlyImportedBy = map[string][]string{
	"gen/db":  {"internal/store", "cmd/bench"},
	"gen/api": {"internal/server"},
}

// external packages that only the listed packages may import directly.
var externalOnlyIn = map[string][]string{
	"github.com/labstack/echo": {"internal/server", "gen/api"},
}

type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
	Standard   bool
	Module     *struct{ Path string }
}

func TestFloors(t *testing.T) {
	pkgs := modulePackages(t)
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages of the module", len(pkgs))
	}
	for _, p := range pkgs {
		name := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		f, ok := floors[name]
		if !ok {
			t.Errorf("%s has no floor: add it to the floors table (and to ARCHITECTURE.md's)", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			if inner, ok := inModule(imp); ok {
				if !slices.Contains(f.may, "*") && !slices.Contains(f.may, inner) {
					t.Errorf("%s imports %s, which its floor does not allow", p.ImportPath, imp)
				}
				if allowed, ok := onlyImportedBy[inner]; ok && !slices.Contains(allowed, name) {
					t.Errorf("%s imports %s: only %v may", p.ImportPath, imp, allowed)
				}
			}
			for prefix, allowed := range externalOnlyIn {
				if strings.HasPrefix(imp, prefix) && !slices.Contains(allowed, name) {
					t.Errorf("%s imports %s: only %v may", p.ImportPath, imp, allowed)
				}
			}
			if prefix := matching(imp, f.forbidDirect); prefix != "" {
				t.Errorf("%s imports %s (no %s on its floor)", p.ImportPath, imp, prefix)
			}
		}
		for _, dep := range p.Deps {
			if prefix := matching(dep, f.forbidDeep); prefix != "" {
				t.Errorf("%s depends on %s (no %s on its floor, even indirectly)", p.ImportPath, dep, prefix)
			}
		}
	}
}

// TestFloorsTableIsLive: every package the table names exists, so a rename
// cannot leave a rule that holds nothing.
func TestFloorsTableIsLive(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range modulePackages(t) {
		seen[strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")] = true
	}
	var missing []string
	for name := range floors {
		if !seen[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("the floors table names packages that do not exist: %v", missing)
	}
}

// modulePackages lists the module's packages with their direct imports and
// all their dependencies, production code only (no _test.go files).
func modulePackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,Deps,Standard,Module", module+"/...")
	cmd.Dir = ".."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("reading go list: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func inModule(path string) (string, bool) {
	if path == module {
		return "", true
	}
	rest, ok := strings.CutPrefix(path, module+"/")
	return rest, ok
}

func matching(path string, prefixes []string) string {
	for _, p := range prefixes {
		if path == strings.TrimSuffix(p, "/") || strings.HasPrefix(path, p) || strings.HasPrefix(path, p+"/") {
			return p
		}
	}
	return ""
}
