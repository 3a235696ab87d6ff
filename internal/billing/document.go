package billing

import (
	"strings"

	"billing/internal/fault"
)

// Document is everything a printed or electronic invoice shows, frozen when
// the invoice is issued: the seller (the tenant's fiscal profile, without
// its PIN; for a plain invoice only RazonSocial, the tenant's name), the
// numbering resolution (nil for a plain invoice; without its technical
// key), and the invoice with its buyer (Invoice.Customer, whole, as it was),
// lines, totals, tax breakdown and Stamp.
type Document struct {
	Seller     FiscalProfile
	Resolution *NumberingResolution
	Invoice    Invoice
	// SoftwareSecurityCode is SHA-384(SoftwareID + PIN + number), for the
	// XML's DIAN extensions.
	SoftwareSecurityCode string
	// QRURL is DIAN's lookup address of the CUFE (sts:QRCode).
	QRURL string
}

// Electronic reports whether d is an electronic invoice (issued under a
// resolution, with a CUFE), as opposed to a plain printed invoice.
func (d Document) Electronic() bool { return d.Invoice.Stamp != nil && d.Resolution != nil }

// Identification types (DIAN's schemeName on a party's ID) the rules name.
const (
	IDCedula    = "13"
	IDNIT       = "31"
	IDPasaporte = "41"
)

// ConsumidorFinal is DIAN's identification of an unidentified buyer.
const ConsumidorFinal = "222222222222"

// identificationTypes are DIAN's codes (FISCAL.md §1).
var identificationTypes = map[string]bool{
	"11": true, "12": true, "13": true, "21": true, "22": true, "31": true, "41": true,
	"42": true, "47": true, "48": true, "50": true, "91": true,
}

// IdentificationType settles a customer's DIAN identification type on a
// create: the type itself when given; otherwise 31 (NIT) when the number was
// written with its check digit or the customer is JURIDICA, 41 (passport)
// for a number with letters, and 13 (cédula) else. nit is the number as
// NormalizeNIT keeps it. A JURIDICA customer is never a cédula (only 31 or
// 50), and a NIT (31) is all digits: either refusal is a field error.
func IdentificationType(sent *string, rawNit, nit string, persona *TipoPersona) (string, *fault.FieldError) {
	kind := IDCedula
	raw := strings.TrimSpace(rawNit)
	switch {
	case sent != nil:
		if !identificationTypes[*sent] {
			return "", &fault.FieldError{Field: "tipoIdentificacion", Message: "must be a DIAN identification type code (11, 12, 13, 21, 22, 31, 41, 42, 47, 48, 50, 91)"}
		}
		kind = *sent
	case isJuridica(persona) || strings.Contains(raw, "-"):
		kind = IDNIT
	case strings.IndexFunc(raw, func(r rune) bool { return (r < '0' || r > '9') && r != '.' }) >= 0:
		kind = IDPasaporte
	}
	return kind, CheckIdentification(kind, nit, persona)
}

// CheckIdentification refuses an identification type that contradicts the
// number or the person type: a JURIDICA customer identified otherwise than
// by a NIT (31) or a foreign NIT (50), or a NIT that is not all digits (at
// most 15, so that it has a check digit).
func CheckIdentification(kind, nit string, persona *TipoPersona) *fault.FieldError {
	if isJuridica(persona) && kind != IDNIT && kind != "50" {
		return &fault.FieldError{Field: "tipoIdentificacion", Message: "a JURIDICA customer is identified by a NIT (31) or a foreign NIT (50)"}
	}
	if _, digits := NITCheckDigit(nit); kind == IDNIT && !digits {
		return &fault.FieldError{Field: "tipoIdentificacion", Message: "a NIT (31) is a number of at most 15 digits; this nit is not one"}
	}
	return nil
}

func isJuridica(p *TipoPersona) bool { return p != nil && *p == PersonaJuridica }
