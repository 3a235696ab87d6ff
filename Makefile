# The two commands that matter: `make run` and `make test` (see README.md).
SHELL := /bin/bash
GO    ?= go
# The generators are pinned in tools/go.mod, apart from the service's own
# dependency graph.
TOOL  := $(GO) tool -modfile=tools/go.mod

.PHONY: run build generate test check-generated vet fmt-check sqlc-vet unit clean

## run: start the service on a private PostgreSQL under .data/ (or $DATABASE_URL)
run: build
	./bin/billing dev

## build: write the binary to bin/billing
build:
	$(GO) build -o bin/billing .

## generate: regenerate gen/api (oapi-codegen) and gen/db (sqlc)
generate:
	$(TOOL) oapi-codegen -config oapi-codegen.yaml openapi/openapi.yaml
	$(TOOL) sqlc generate

## test: everything CI checks
test: check-generated fmt-check vet sqlc-vet unit

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

unit:
	$(GO) test -count=1 ./...

clean:
	rm -rf bin
