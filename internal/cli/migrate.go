package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

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
	shared, err := schema.SharedNITs(ctx, url)
	if err != nil {
		return err
	}
	for _, s := range shared {
		fmt.Fprintf(a.stderr, "warning: tenant %s has %d customers with NIT %s (%s); merge or correct them: until then they keep the NIT as written\n",
			s.Tenant, len(s.Customers), s.NIT, joinIDs(s.Customers))
	}
	return nil
}

func joinIDs(ids []uuid.UUID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.String()
	}
	return strings.Join(s, ", ")
}
