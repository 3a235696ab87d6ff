package billing

import (
	"fmt"

	"billing/internal/fault"
	"billing/internal/money"
)

// Bounds of the numeric columns (db/migrations), checked before a value
// reaches PostgreSQL, which would otherwise round extra decimals silently or
// fail with an overflow.
var (
	maxPrice    = money.Must("9999999999999.99")    // numeric(15,2): precio, valorUnitario
	maxAmount   = money.Must("9999999999999999.99") // numeric(18,2): line and invoice totals
	minQuantity = money.Must("0.001")
	maxQuantity = money.Must("999999999.999") // numeric(12,3): cantidad
	maxRate     = money.New(100, 0)           // numeric(5,2): impuesto, a percentage
)

// DefaultTaxRate is the rate of a product created without impuesto, and of an
// invoice line with neither its own rate nor a product: Colombia's general
// VAT rate.
var DefaultTaxRate = money.New(19, 0)

// CheckPrice validates a unit price or product price: 0 to 9 999 999 999 999.99,
// at most 2 decimals.
func CheckPrice(field string, v money.Decimal) *fault.FieldError {
	return checkRange(field, v, money.Decimal{}, maxPrice, 2)
}

// CheckQuantity validates a line quantity: 0.001 to 999 999 999.999, at most
// 3 decimals.
func CheckQuantity(field string, v money.Decimal) *fault.FieldError {
	return checkRange(field, v, minQuantity, maxQuantity, 3)
}

// CheckRate validates a tax percentage: 0 to 100, at most 2 decimals.
func CheckRate(field string, v money.Decimal) *fault.FieldError {
	return checkRange(field, v, money.Decimal{}, maxRate, 2)
}

func checkRange(field string, v, lo, hi money.Decimal, scale int32) *fault.FieldError {
	switch {
	case v.Places() > scale:
		return &fault.FieldError{Field: field, Message: fmt.Sprintf("must have at most %d decimals", scale)}
	case v.Cmp(lo) < 0 || v.Cmp(hi) > 0:
		return &fault.FieldError{Field: field, Message: fmt.Sprintf("must be between %s and %s", lo.Key(), hi.Key())}
	}
	return nil
}
