package billing

import "fmt"

// Bounds of the numeric columns (db/migrations), checked before a value
// reaches PostgreSQL, which would otherwise round extra decimals silently or
// fail with an overflow.
var (
	maxPrice    = MustDecimal("9999999999999.99")    // numeric(15,2): precio, valorUnitario
	maxAmount   = MustDecimal("9999999999999999.99") // numeric(18,2): line and invoice totals
	minQuantity = MustDecimal("0.001")
	maxQuantity = MustDecimal("999999999.999") // numeric(12,3): cantidad
	maxRate     = NewDecimal(100, 0)           // numeric(5,2): impuesto, a percentage
)

// DefaultTaxRate is the rate of a product created without impuesto, and of an
// invoice line with neither its own rate nor a product: Colombia's general
// VAT rate.
var DefaultTaxRate = NewDecimal(19, 0)

// decimals is the number of decimals a value needs: 1.50 needs 1, so a
// trailing zero never makes a valid amount invalid.
func decimals(v Decimal) int32 {
	return v.reduced().Scale()
}

// CheckPrice validates a unit price or product price: 0 to 9 999 999 999 999.99,
// at most 2 decimals.
func CheckPrice(field string, v Decimal) *FieldError {
	return checkRange(field, v, Decimal{}, maxPrice, 2)
}

// CheckQuantity validates a line quantity: 0.001 to 999 999 999.999, at most
// 3 decimals.
func CheckQuantity(field string, v Decimal) *FieldError {
	return checkRange(field, v, minQuantity, maxQuantity, 3)
}

// CheckRate validates a tax percentage: 0 to 100, at most 2 decimals.
func CheckRate(field string, v Decimal) *FieldError {
	return checkRange(field, v, Decimal{}, maxRate, 2)
}

func checkRange(field string, v, lo, hi Decimal, scale int32) *FieldError {
	switch {
	case decimals(v) > scale:
		return &FieldError{Field: field, Message: fmt.Sprintf("must have at most %d decimals", scale)}
	case v.Cmp(lo) < 0 || v.Cmp(hi) > 0:
		return &FieldError{Field: field, Message: fmt.Sprintf("must be between %s and %s", lo.Key(), hi.Key())}
	}
	return nil
}
