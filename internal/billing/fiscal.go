package billing

import (
	"time"

	"github.com/google/uuid"
)

// TipoPersona is a party's legal person type (DIAN's AdditionalAccountID:
// 1 jurídica, 2 natural).
type TipoPersona string

// The person types.
const (
	PersonaJuridica TipoPersona = "JURIDICA"
	PersonaNatural  TipoPersona = "NATURAL"
)

// Code is DIAN's AdditionalAccountID for the person type.
func (p TipoPersona) Code() string {
	if p == PersonaJuridica {
		return "1"
	}
	return "2"
}

// Ambiente is the DIAN environment a tenant's documents are made for.
type Ambiente string

// The environments.
const (
	AmbienteProduccion Ambiente = "PRODUCCION"
	AmbientePruebas    Ambiente = "PRUEBAS"
)

// Code is DIAN's ProfileExecutionID / TipoAmbiente: 1 production, 2 test.
func (a Ambiente) Code() string {
	if a == AmbienteProduccion {
		return "1"
	}
	return "2"
}

// FiscalProfile is the tenant as DIAN knows it: the seller of its electronic
// invoices. A tenant with a profile invoices electronically.
type FiscalProfile struct {
	Nit               string // digits, without the check digit
	RazonSocial       string
	NombreComercial   *string
	TipoPersona       TipoPersona
	Responsabilidades []string // DIAN TaxLevelCode values, e.g. O-13, R-99-PN
	Tributo           string   // the party's tax scheme: 01, 04, ZA or ZZ
	Direccion         string
	Municipio         string // 5-digit DANE code; its first two digits are the department's
	Ciudad            string
	Departamento      string
	Email             string
	Telefono          *string
	Ambiente          Ambiente
	SoftwareID        string
	// SoftwarePIN is write-only: set on a write, and on the reads that build
	// documents; an API read shows only SoftwarePINSet.
	SoftwarePIN    string
	SoftwarePINSet bool
	// EnviarAlAceptar mails each invoice to its customer once DIAN accepts
	// it. A setting of the tenant, not part of any document.
	EnviarAlAceptar bool `json:"-"`
	// TestSetID is DIAN's test set (habilitación): under PRUEBAS, documents
	// go through SendTestSetAsync with it. Not part of any document.
	TestSetID *string `json:"-"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// partySchemeNames are the names of a party's tax schemes (FISCAL.md §1).
var partySchemeNames = map[string]string{
	"01": "IVA",
	"04": "INC",
	"ZA": "IVA e INC",
	"ZZ": "No aplica",
}

// PartySchemeName is the name of a party's tax scheme (the profile's
// Tributo: 01, 04, ZA or ZZ); ok is false for any other code.
func PartySchemeName(code string) (name string, ok bool) {
	name, ok = partySchemeNames[code]
	return name, ok
}

// DV is the profile NIT's check digit.
func (p FiscalProfile) DV() string {
	d, _ := NITCheckDigit(p.Nit)
	return string(rune('0' + d))
}

// DocumentKind is what a numbering resolution numbers.
type DocumentKind string

// The document kinds.
const (
	KindFactura     DocumentKind = "FACTURA"
	KindNotaCredito DocumentKind = "NOTA_CREDITO"
	KindNotaDebito  DocumentKind = "NOTA_DEBITO"
)

// NumberingResolution is a DIAN numbering authorisation: a prefix and an
// inclusive range of consecutive numbers, valid between two Colombian dates
// (inclusive), and for invoices the technical key that enters the CUFE.
type NumberingResolution struct {
	ID               uuid.UUID
	TipoDocumento    DocumentKind
	NumeroResolucion *string
	FechaResolucion  *Date
	Prefijo          string
	Desde            int64
	Hasta            int64
	VigenciaDesde    *Date
	VigenciaHasta    *Date
	// ClaveTecnica is write-only like the PIN: ClaveTecnicaSet is what an
	// API read shows.
	ClaveTecnica    string
	ClaveTecnicaSet bool
	Activa          bool
	Siguiente       int64 // the next consecutive; Hasta+1 once exhausted
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Disponibles is how many numbers remain: Hasta − Siguiente + 1.
func (r NumberingResolution) Disponibles() int64 { return r.Hasta - r.Siguiente + 1 }

// ResolutionPatch is what PATCH may change of a resolution.
type ResolutionPatch struct {
	Activa        *bool
	VigenciaHasta *Date
}

// SigningCertificate is what may be shown of a tenant's signing
// certificate: never its key.
type SigningCertificate struct {
	Subject    string
	Issuer     string
	Serial     string // decimal
	NotBefore  time.Time
	NotAfter   time.Time
	UploadedBy string
	UploadedAt time.Time
}
