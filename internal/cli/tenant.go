package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
)

func runTenant(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return configErrorf("tenant needs a subcommand: create --name NAME | list | activate ID | deactivate ID")
	}
	fs := a.flags("tenant " + args[0])
	dsn := a.dbFlag(fs)
	var name *string
	if args[0] == "create" {
		name = fs.String("name", "", "the tenant's name (required)")
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	var id uuid.UUID
	switch args[0] {
	case "create":
		if strings.TrimSpace(*name) == "" || len(strings.TrimSpace(*name)) > 200 {
			return configErrorf("tenant create needs --name with 1 to 200 characters")
		}
	case "list":
	case "activate", "deactivate":
		if fs.NArg() != 1 {
			return configErrorf("tenant %s needs exactly one tenant ID", args[0])
		}
		var err error
		if id, err = uuid.Parse(fs.Arg(0)); err != nil {
			return configErrorf("%q is not a tenant ID (a UUID)", fs.Arg(0))
		}
	default:
		return configErrorf("unknown tenant subcommand %q: create | list | activate | deactivate", args[0])
	}
	url, err := databaseURL(*dsn)
	if err != nil {
		return err
	}
	st, err := openPlainStore(ctx, a, url)
	if err != nil {
		return err
	}
	defer st.Close()
	switch args[0] {
	case "create":
		t, err := st.CreateTenant(ctx, strings.TrimSpace(*name))
		if err != nil {
			return fmt.Errorf("creating tenant: %w", err)
		}
		// The id alone, so scripts can capture it: ID=$(billing tenant create --name X)
		fmt.Fprintln(a.stdout, t.ID)
	case "list":
		ts, err := st.Tenants(ctx)
		if err != nil {
			return fmt.Errorf("listing tenants: %w", err)
		}
		w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tSTATUS\tCREATED\tNAME")
		for _, t := range ts {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", t.ID, t.Status, t.CreatedAt.UTC().Format(time.RFC3339), t.Name)
		}
		return w.Flush()
	case "activate", "deactivate":
		status := billing.TenantActive
		if args[0] == "deactivate" {
			status = billing.TenantInactive
		}
		t, err := st.SetTenantStatus(ctx, id, status)
		if errors.Is(err, fault.ErrTenantNotFound) {
			return fmt.Errorf("no tenant %s", id)
		}
		if err != nil {
			return fmt.Errorf("setting tenant status: %w", err)
		}
		fmt.Fprintf(a.stdout, "tenant %s is %s\n", t.ID, t.Status)
	}
	return nil
}
