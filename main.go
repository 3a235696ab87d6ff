// Command billing is the multi-tenant billing API for Colombian educational
// operators. See README.md, or run `billing help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"billing/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
