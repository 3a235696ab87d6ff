package store

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"billing/internal/fault"
)

func TestTranslate(t *testing.T) {
	other := errors.New("boom")
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"duplicate nit", &pgconn.PgError{Code: "23505", ConstraintName: "customers_nit_key"}, fault.ErrCustomerNitTaken},
		{"wrapped duplicate nit", fmt.Errorf("creating: %w", &pgconn.PgError{Code: "23505", ConstraintName: "customers_nit_key"}), fault.ErrCustomerNitTaken},
		{"customer with invoices", &pgconn.PgError{Code: "23503", ConstraintName: "invoices_customer_fk"}, fault.ErrCustomerHasInvoices},
		{"NUL in text", &pgconn.PgError{Code: "22P05"}, fault.ErrInvalidText},
		{"check violation", &pgconn.PgError{Code: "23514", ConstraintName: "customers_razon_social_check"}, fault.Invalid("invalid_request", "")},
		{"unknown constraint stays internal", &pgconn.PgError{Code: "23505", ConstraintName: "other_key"}, nil},
		{"right name, wrong code", &pgconn.PgError{Code: "23503", ConstraintName: "customers_nit_key"}, nil},
		{"not a database error", other, other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Translate(tt.err)
			if tt.want == nil {
				var be *fault.Error
				if errors.As(got, &be) {
					t.Fatalf("translated to %v", got)
				}
				return
			}
			if !errors.Is(got, tt.want) {
				t.Fatalf("Translate = %v, want %v", got, tt.want)
			}
		})
	}
	if !NoRows(fmt.Errorf("x: %w", pgx.ErrNoRows)) || NoRows(other) {
		t.Fatal("NoRows")
	}
}
