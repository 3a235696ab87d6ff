package billing

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"billing/internal/money"
)

// PosSale is what a point-of-sale invoice's request carried beyond the
// invoice itself (POST /invoices, seed 003), kept with it and never
// changed: the cashier and session it was sold in, the table, the client
// as the cashier typed it (kept here, never written over the customer),
// how it was paid and delivered, and the orders it invoiced.
type PosSale struct {
	InvoiceID         uuid.UUID
	CashSessionID     uuid.UUID
	Cajero            string
	Mesa              *string
	Cliente           SaleClient
	PaymentMethodID   *uuid.UUID
	Pagada            bool
	ElectronicaPedida bool
	Domicilio         *SaleDelivery
	Pedidos           []uuid.UUID
	CreatedAt         time.Time
}

// SaleClient is the client of a sale as sent.
type SaleClient struct {
	Nombre   *string
	Email    *string
	Telefono *string
}

// SaleDelivery is a sale's delivery: who delivers it, the courier's id
// in that provider's system, where to, and what it cost.
type SaleDelivery struct {
	ProviderID *uuid.UUID
	Repartidor *string
	Direccion  *string
	Valor      money.Decimal
}

// posIDTypes maps the seed's identification letters to DIAN's codes
// (FISCAL.md §1).
var posIDTypes = map[string]string{
	"RC": "11", "TI": "12", "CC": "13", "TE": "21", "CE": "22", "NIT": "31",
	"PA": "41", "PP": "41", "DIE": "42", "PEP": "47", "PPT": "48", "NITE": "50", "NUIP": "91",
}

// PosIDType reads a point of sale's idType: the seed's letters (CC, NIT,
// …, any case) or DIAN's code itself; ok is false for anything else.
func PosIDType(s string) (code string, ok bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if code, ok := posIDTypes[s]; ok {
		return code, true
	}
	return s, identificationTypes[s]
}

// Spread splits amount over weights in proportion, each share rounded
// half-up to cents, with what rounding leaves over (a few cents either way)
// put on the largest weight, the first of equals, so that the shares add
// up to amount exactly. All weights zero put it all on the first. It is
// how a sale's discount reaches its lines and a delivery charge its tax
// groups.
func Spread(weights []money.Decimal, amount money.Decimal) []money.Decimal {
	shares := make([]money.Decimal, len(weights))
	if len(weights) == 0 {
		return shares
	}
	sum, largest := money.New(0, -2), 0
	for i, w := range weights {
		sum = sum.Add(w)
		if w.Cmp(weights[largest]) > 0 {
			largest = i
		}
	}
	given := money.New(0, -2)
	for i, w := range weights {
		shares[i] = money.New(0, -2)
		if sum.Sign() != 0 {
			shares[i] = amount.MulDivCents(w, sum)
		}
		given = given.Add(shares[i])
	}
	shares[largest] = shares[largest].Add(amount.RoundCents().Sub(given))
	return shares
}
