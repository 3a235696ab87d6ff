# The two commands that matter: `make run` and `make test` (see README.md).
SHELL := /bin/bash
GO    ?= go
# The Go generators are pinned in tools/go.mod, apart from the service's own
# dependency graph; the Node tools in package.json / package-lock.json.
TOOL  := $(GO) tool -modfile=tools/go.mod
NPX   := npx --no-install
# npm ci writes this file; it is the stamp of an installed node_modules.
NODE_DEPS := node_modules/.package-lock.json

.PHONY: run build bench generate test check-generated fmt-check vet sqlc-vet lint unit pooler fuzz-short ts-smoke api-compat node-deps clean

## run: start the service on a private PostgreSQL under .data/ (or $DATABASE_URL)
run: build
	./bin/billing dev

## build: write the binary to bin/billing
build:
	$(GO) build -o bin/billing .

## bench: the service against pgbench on the same SQL (see docs/performance.md); the table goes to
## docs/bench-results.md from a full run (1 000 000 invoices), to bin/bench-results.md from a smaller one
## (BENCH_PROFILE=dir also writes the service's CPU profile of each operation there; BENCH_POOLER=1 puts the service
## behind PgBouncer in transaction mode; BENCH_CUSTOMERS sets the customers seeded)
BENCH_INVOICES ?= 1000000
BENCH_DURATION ?= 10s
BENCH_PROFILE ?=
BENCH_CUSTOMERS ?= 100000
BENCH_POOLER ?=
bench: build
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& { apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; }; } \
		|| { echo "make bench needs wrk (apt-get install wrk)"; exit 1; }
	$(GO) run ./cmd/bench -invoices $(BENCH_INVOICES) -customers $(BENCH_CUSTOMERS) -d $(BENCH_DURATION) -out $(if $(filter 1000000,$(BENCH_INVOICES)),docs,bin)/bench-results.md $(if $(BENCH_PROFILE),-profile $(BENCH_PROFILE)) $(if $(BENCH_POOLER),-pooler)

## generate: regenerate gen/api (oapi-codegen), gen/db (sqlc) and gen/ts (openapi-typescript)
generate: $(NODE_DEPS)
	$(TOOL) oapi-codegen -config oapi-codegen.yaml openapi/openapi.yaml
	# sqlc leaves the files of removed queries behind: start clean.
	rm -f gen/db/*.go
	$(TOOL) sqlc generate
	$(NPX) openapi-typescript openapi/openapi.yaml -o gen/ts/src/schema.ts
	# The client's dist/ is committed (a folder dependency gets no build step).
	rm -rf gen/ts/dist
	$(NPX) tsc -p gen/ts/tsconfig.json

## test: everything CI checks
test: check-generated fmt-check vet sqlc-vet lint unit pooler fuzz-short ts-smoke api-compat

## check-generated: fail when gen/ is not what the spec and queries produce
check-generated: generate
	@if [ -n "$$(git status --porcelain -- gen)" ]; then \
		echo "gen/ is stale: run 'make generate' and commit the result"; \
		git status --porcelain -- gen; git --no-pager diff --stat -- gen; exit 1; \
	fi

fmt-check:
	@bad=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^gen/')); \
	if [ -n "$$bad" ]; then echo "gofmt would change:"; echo "$$bad"; exit 1; fi

vet:
	$(GO) vet ./...

sqlc-vet:
	$(TOOL) sqlc vet

## lint: the spec against redocly.yaml (zero errors)
lint: $(NODE_DEPS)
	$(NPX) redocly lint --config redocly.yaml openapi/openapi.yaml

unit:
	$(GO) test -count=1 ./...

## pooler: the HTTP, race and row-level-security suites a second time, and the two-instance test, the
## service behind a PgBouncer in transaction pooling mode that the tests start in front of their cluster
## (TEST_PG_POOLER; needs pgbouncer)
pooler:
	TEST_PG_POOLER=transaction $(GO) test -count=1 ./internal/server ./internal/store
	TEST_PG_POOLER=transaction $(GO) test -count=1 -run TestTwoInstancesOneDatabase ./internal/resilience

## fuzz-short: a few seconds of each fuzz target (longer: make fuzz-short FUZZTIME=5m FUZZCOUNT=5m);
## each must execute at least FUZZMIN inputs (scripts/fuzz.sh). The two targets of internal/server are
## given a count of inputs rather than seconds: FuzzCreateInvoiceBody starts a private PostgreSQL per fuzz
## worker before its first input, and both run a few hundred inputs a second (the fuzzer's coverage
## counters span Echo, kin-openapi and the generated server), so a slow start cannot eat their budget.
FUZZTIME ?= 5s
FUZZCOUNT ?= 2000x
fuzz-short:
	GO=$(GO) scripts/fuzz.sh FuzzDecimalJSON ./internal/money $(FUZZTIME)
	GO=$(GO) scripts/fuzz.sh FuzzComputeTotals ./internal/billing $(FUZZTIME)
	GO=$(GO) scripts/fuzz.sh FuzzDecimalFromBinary ./internal/store $(FUZZTIME)
	GO=$(GO) scripts/fuzz.sh FuzzAppendDecimalBinary ./internal/store $(FUZZTIME)
	GO=$(GO) scripts/fuzz.sh FuzzCreateInvoiceBody ./internal/server $(FUZZCOUNT)
	GO=$(GO) scripts/fuzz.sh FuzzInvoiceSummaryJSON ./internal/server $(FUZZCOUNT)

## ts-smoke: type-check two consumers of the TypeScript client (the workspace's, and a scratch project
## under /tmp that installs gen/ts as README.md says), then run a whole flow against a live service.
## The client's dist/ is built by make generate and held to the commit by check-generated.
ts-smoke: build $(NODE_DEPS)
	$(NPX) tsc -p test/ts-smoke/tsconfig.json
	scripts/ts-smoke.sh bin/billing

## api-compat: fail on a breaking change to the spec against the previous commit
api-compat: $(NODE_DEPS)
	scripts/api-compat.sh

node-deps: $(NODE_DEPS)
$(NODE_DEPS): package.json package-lock.json gen/ts/package.json test/ts-smoke/package.json
	npm ci --no-audit --no-fund

clean:
	rm -rf bin test/ts-smoke/dist
