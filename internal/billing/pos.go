package billing

import (
	"fmt"
	"math/big"
	"sort"
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

// Spread splits amount (a non-negative amount in cents) over
// non-negative weights in proportion, by largest remainder: each share is
// first its exact part cut down to the cent, then the cents left over go
// one each to the shares whose cut parts were largest (the first of
// equals). The shares add up to amount exactly and none is below zero or
// above its exact part by a cent or more. All weights zero put it all on
// the first. It is how a sale's discount reaches its lines and a delivery
// charge its tax groups.
func Spread(weights []money.Decimal, amount money.Decimal) []money.Decimal {
	shares := make([]money.Decimal, len(weights))
	if len(weights) == 0 {
		return shares
	}
	a := cents(amount.RoundCents())
	ws := make([]*big.Int, len(weights))
	sum := new(big.Int)
	for i, w := range weights {
		ws[i] = cents(w.RoundCents())
		sum.Add(sum, ws[i])
	}
	if sum.Sign() == 0 {
		for i := range shares {
			shares[i] = money.New(0, -2)
		}
		shares[0] = money.FromBigInt(a, -2)
		return shares
	}
	parts := make([]*big.Int, len(weights))
	rems := make([]*big.Int, len(weights))
	left := new(big.Int).Set(a)
	for i, w := range ws {
		parts[i], rems[i] = new(big.Int).QuoRem(new(big.Int).Mul(a, w), sum, new(big.Int))
		left.Sub(left, parts[i])
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return rems[order[x]].Cmp(rems[order[y]]) > 0 })
	for k := 0; left.Sign() > 0; k++ {
		parts[order[k%len(order)]].Add(parts[order[k%len(order)]], big.NewInt(1))
		left.Sub(left, big.NewInt(1))
	}
	for i, p := range parts {
		shares[i] = money.FromBigInt(p, -2)
	}
	return shares
}

// cents is v (at most 2 decimals) as a whole number of cents.
func cents(v money.Decimal) *big.Int {
	c, exp := v.Rescale(2).Coefficient()
	if exp != -2 {
		panic(fmt.Sprintf("%s is not at cents", v))
	}
	return c
}
