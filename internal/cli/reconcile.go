package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"billing/internal/fault"
)

// runReconcile recomputes the maintained dashboard figures from the ledger,
// for one tenant or all, and says which were off.
func runReconcile(ctx context.Context, a *app, args []string) error {
	fs := a.flags("reconcile")
	dsn := a.dbFlag(fs)
	only := fs.String("tenant", "", "only this tenant (default: every tenant)")
	if err := parse(fs, args); err != nil {
		return err
	}
	var tenants []uuid.UUID
	if *only != "" {
		id, err := uuid.Parse(*only)
		if err != nil {
			return configErrorf("--tenant must be a tenant ID (a UUID)")
		}
		tenants = append(tenants, id)
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
	if len(tenants) == 0 {
		all, err := st.Tenants(ctx)
		if err != nil {
			return fmt.Errorf("listing tenants: %w", err)
		}
		for _, t := range all {
			tenants = append(tenants, t.ID)
		}
	}
	for _, id := range tenants {
		before, after, err := st.Reconcile(ctx, id)
		if errors.Is(err, fault.ErrTenantNotFound) {
			return fmt.Errorf("no tenant %s", id)
		}
		if err != nil {
			return fmt.Errorf("reconciling tenant %s: %w", id, err)
		}
		verdict := "ok"
		if !before.Equal(after) {
			verdict = fmt.Sprintf("fixed: was %d active customers, %d issued, %d drafts, %s",
				before.ClientesActivos, before.FacturasEmitidas, before.FacturasBorrador, before.IngresosEstimados)
		}
		fmt.Fprintf(a.stdout, "%s\t%d active customers, %d issued, %d drafts, %s issued total\t%s\n",
			id, after.ClientesActivos, after.FacturasEmitidas, after.FacturasBorrador, after.IngresosEstimados, verdict)
	}
	return nil
}
