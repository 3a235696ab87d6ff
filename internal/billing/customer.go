package billing

import (
	"time"

	"github.com/google/uuid"
)

// Customer is a tenant's customer with its fiscal identity. Nit is the
// identification number as NormalizeNIT keys it; its check digit, where one
// applies (an all-digit number), is NITCheckDigit(Nit).
type Customer struct {
	ID          uuid.UUID
	RazonSocial string
	Nit         string
	Email       *string
	Telefono    *string
	Direccion   *string
	// TipoIdentificacion is DIAN's identification type code (13 cédula,
	// 31 NIT, …), settled when the customer is written (see
	// IdentificationType); TipoPersona is nil when never given.
	TipoIdentificacion string
	TipoPersona        *TipoPersona
	Status             CustomerStatus
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// CustomerPage asks for one page of customers in (RazonSocial, ID) order:
// the rows after the given position, at most Limit, optionally only those
// whose razón social (case-insensitively) or nit contains Search, or whose
// nit contains NITSearch.
type CustomerPage struct {
	Search           string
	NITSearch        string
	AfterRazonSocial string
	AfterID          uuid.UUID
	Limit            int
}
