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
	n, err := migrate(ctx, a, url)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "applied %d migration(s); the schema is current\n", n)
	return nil
}

// migrate applies the migrations and warns about customers that share a
// NIT (`billing migrate`, and `billing dev` before it serves).
func migrate(ctx context.Context, a *app, url string) (int, error) {
	n, err := schema.Migrate(ctx, url)
	if err != nil {
		return 0, err
	}
	return n, reportSharedNITs(ctx, a, url)
}

// reportSharedNITs warns about every NIT that several customers of a tenant
// share (migration 00007 leaves them as they were written).
func reportSharedNITs(ctx context.Context, a *app, url string) error {
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
