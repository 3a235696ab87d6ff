package cli

import (
	"context"
	"fmt"

	"billing/internal/schema"
)

func runMigrate(ctx context.Context, a *app, args []string) error {
	fs := a.flags("migrate")
	dsn := a.dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	url, err := databaseURL(*dsn)
	if err != nil {
		return err
	}
	n, err := schema.Migrate(ctx, url)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "applied %d migration(s); the schema is current\n", n)
	return nil
}
