package schema

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// SharedNIT is a NIT that two or more customers of one tenant share once
// check digits are left out: what migration 00007 left for a person to merge
// or correct.
type SharedNIT struct {
	Tenant    uuid.UUID
	NIT       string      // the identity as the ledger keys it (digits without the check digit)
	Customers []uuid.UUID // every customer with that NIT, written with or without it
}

// sharedNITs lists, for the tenant in the transaction's scope, the
// identities (billing_nit_key, migration 00007's rule) that more than one
// customer has: those the migration had to leave as they were written.
const sharedNITs = `
SELECT billing_nit_key(nit) AS key, array_agg(id ORDER BY id)
FROM customers
WHERE tenant_id = $1
GROUP BY key
HAVING count(*) > 1`

// SharedNITs finds the customers that share a NIT within their tenant, in
// every tenant. Migrate's callers report them: the ledger keys a customer by
// its NIT's digits, and two such customers cannot be merged without a
// person's say.
func SharedNITs(ctx context.Context, dsn string) ([]SharedNIT, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("connecting: %w", err)
	}
	defer conn.Close(ctx)
	var tenants []uuid.UUID
	rows, err := conn.Query(ctx, "SELECT id FROM tenants ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("listing tenants: %w", err)
	}
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		tenants = append(tenants, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing tenants: %w", err)
	}
	var out []SharedNIT
	for _, t := range tenants {
		// Scoped as the service scopes a transaction, so row-level security
		// lets a non-superuser owner read the tenant's customers.
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", t.String()); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, sharedNITs, t)
			if err != nil {
				return err
			}
			for rows.Next() {
				s := SharedNIT{Tenant: t}
				if err := rows.Scan(&s.NIT, &s.Customers); err != nil {
					return err
				}
				out = append(out, s)
			}
			return rows.Err()
		})
		if err != nil {
			return nil, fmt.Errorf("finding shared NITs of tenant %s: %w", t, err)
		}
	}
	return out, nil
}
