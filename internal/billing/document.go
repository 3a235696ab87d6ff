package billing

import (
	"strings"

	"billing/internal/fault"
)

// Document is everything a printed or electronic invoice shows, frozen when
// the invoice is issued: the seller (the tenant's fiscal profile, without
// its PIN; for a plain invoice only RazonSocial, the tenant's name), the
// buyer as it was, the numbering resolution (nil for a plain invoice;
// without its technical key), and the invoice with its lines, totals, tax
// breakdown and Stamp.
type Document struct {
	Seller     FiscalProfile
	Buyer      Customer
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

// IdentificationType settles a customer's DIAN identification type from what
// was sent: the type itself when given (a JURIDICA customer is never a
// cédula: a field error on tipoIdentificacion); otherwise 31 (NIT) when the number
// was written with its check digit or the customer is JURIDICA, 41
// (passport) for a number with letters, and 13 (cédula) else.
func IdentificationType(sent *string, rawNit string, persona *TipoPersona) (string, *fault.FieldError) {
	juridica := persona != nil && *persona == PersonaJuridica
	if sent != nil {
		switch {
		case !identificationTypes[*sent]:
			return "", &fault.FieldError{Field: "tipoIdentificacion", Message: "must be a DIAN identification type code (11, 12, 13, 21, 22, 31, 41, 42, 47, 48, 50, 91)"}
		case juridica && *sent != IDNIT && *sent != "50":
			return "", &fault.FieldError{Field: "tipoIdentificacion", Message: "a JURIDICA customer is identified by a NIT (31) or a foreign NIT (50)"}
		}
		return *sent, nil
	}
	raw := strings.TrimSpace(rawNit)
	switch {
	case juridica || strings.Contains(raw, "-"):
		return IDNIT, nil
	case strings.IndexFunc(raw, func(r rune) bool { return (r < '0' || r > '9') && r != '.' }) >= 0:
		return IDPasaporte, nil
	}
	return IDCedula, nil
}
