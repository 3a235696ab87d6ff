package store

import (
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"billing/internal/fault"
)

// PostgreSQL error codes the service expects and answers as client errors.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeUntranslatable      = "22P05" // e.g. a NUL character in text
	codeNotInRepertoire     = "22021"
	codeCheckViolation      = "23514" // a CHECK the request validation should have caught
	codeNotNullViolation    = "23502"
	codeExclusionViolation  = "23P01"
)

// constraintErrors maps the name of a constraint (as created in
// db/migrations) and the violation's code to the domain error it means.
// Uniqueness is enforced by constraints, never by check-then-insert, so this
// table is the one place a duplicate becomes a documented answer.
var constraintErrors = map[[2]string]error{
	{codeUniqueViolation, "customers_nit_key"}:             fault.ErrCustomerNitTaken,
	{codeUniqueViolation, "invoices_numero_key"}:           fault.ErrInvoiceNumeroTaken,
	{codeCheckViolation, "products_stock_tracked"}:         fault.ErrStockNotZero,
	{codeUniqueViolation, "delivery_providers_nombre_key"}: fault.ErrDeliveryProviderNameTaken,
	{codeUniqueViolation, "payment_methods_nombre_key"}:    fault.ErrPaymentMethodNameTaken,
	{codeUniqueViolation, "cash_registers_nombre_key"}:     fault.ErrCashRegisterNameTaken,
	// One open session per register and per cashier.
	{codeUniqueViolation, "cash_sessions_open_register_key"}: fault.ErrCashRegisterOpen,
	{codeUniqueViolation, "cash_sessions_open_cashier_key"}:  fault.ErrCashierSessionOpen,
	// invoices.(tenant_id, customer_id) references customers ON DELETE
	// RESTRICT under this name (added with the invoices table).
	{codeForeignKeyViolation, "invoices_customer_fk"}: fault.ErrCustomerHasInvoices,
	// Two active ranges of one tenant, kind and prefix may not overlap.
	{codeExclusionViolation, "numbering_resolutions_overlap"}: fault.ErrResolutionOverlaps,
	// The first fiscal profile written without a PIN.
	{codeCheckViolation, "fiscal_profiles_pin_once"}: fault.ErrSoftwarePinRequired,
}

// Translate turns a known constraint violation into its domain error and
// returns any other error unchanged.
func Translate(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if mapped, ok := constraintErrors[[2]string{pgErr.Code, pgErr.ConstraintName}]; ok {
			return mapped
		}
		if pgErr.Code == codeUntranslatable || pgErr.Code == codeNotInRepertoire {
			return fault.ErrInvalidText
		}
		if pgErr.Code == codeCheckViolation {
			// A backstop: the handlers check every rule first, with field
			// names; should one slip through, the client still gets a 400.
			return fault.Invalid("invalid_request", "A value breaks a rule of the ledger.")
		}
	}
	return err
}

// NoRows reports whether err says a query found no row.
func NoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// notNull reports whether err is a NOT NULL violation of column.
func notNull(err error, column string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == codeNotNullViolation && pgErr.ColumnName == column
}
