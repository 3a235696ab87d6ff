package dian

import (
	"fmt"
	"strconv"
	"strings"

	"billing/internal/billing"
)

// DIAN as an agency and as a party (FISCAL.md §1, §5).
const (
	dianAgencyID      = "195"
	dianAgencyName    = "CO, DIAN (Dirección de Impuestos y Aduanas Nacionales)"
	dianNIT           = "800197268"
	dianNITCheckDigit = "4"
	countryCO         = "CO"
	countryNameCO     = "Colombia"
)

// Fiscal responsibilities and party tax schemes.
const (
	// responsabilidadNinguna is TaxLevelCode R-99-PN, "no aplica – otros":
	// a buyer's always (the ledger does not record a customer's), and a
	// seller's when its profile lists none.
	responsabilidadNinguna = "R-99-PN"
	schemeNoAplica         = "ZZ"
	// TaxLevelCode's listName is the party's régimen, as DIAN's samples
	// write it: 48 responsable de IVA, 49 no responsable.
	regimenIVA   = "48"
	regimenNoIVA = "49"
)

// regimen is the TaxLevelCode listName of a party under tax scheme s.
func regimen(s string) string {
	if s == "01" || s == "ZA" {
		return regimenIVA
	}
	return regimenNoIVA
}

// dianID is an identification number under DIAN's agency: schemeName the
// identification type, schemeID the check digit ("" when none applies).
func dianID(number, tipo, dv string) identifier {
	return identifier{SchemeAgencyID: dianAgencyID, SchemeAgencyName: dianAgencyName, SchemeID: dv, SchemeName: tipo, Value: number}
}

func digit(d int) string { return strconv.Itoa(d) }

// supplierParty is the seller as its fiscal profile describes it; prefix is
// the numbering prefix of the document, its CorporateRegistrationScheme
// (left out when the range has none, as a note's may not).
func supplierParty(s billing.FiscalProfile, prefix string) (accountingParty, error) {
	dv, ok := billing.NITCheckDigit(s.Nit)
	if !ok {
		return accountingParty{}, fmt.Errorf("%w: the seller's NIT %q is not a NIT of digits", ErrIncomplete, s.Nit)
	}
	schemeName, ok := billing.PartySchemeName(s.Tributo)
	if !ok {
		return accountingParty{}, fmt.Errorf("%w: the seller's tax scheme %q is none of 01, 04, ZA, ZZ", ErrIncomplete, s.Tributo)
	}
	addr, err := sellerAddress(s)
	if err != nil {
		return accountingParty{}, err
	}
	name := s.RazonSocial
	if s.NombreComercial != nil && *s.NombreComercial != "" {
		name = *s.NombreComercial
	}
	levels := responsabilidadNinguna
	if len(s.Responsabilidades) > 0 {
		levels = strings.Join(s.Responsabilidades, ";")
	}
	id := dianID(s.Nit, billing.IDNIT, digit(dv))
	p := party{
		Name:     &name,
		Location: addr,
		TaxScheme: partyTaxScheme{
			RegistrationName:    s.RazonSocial,
			CompanyID:           id,
			TaxLevelCode:        code{ListName: regimen(s.Tributo), Value: levels},
			RegistrationAddress: addr,
			TaxScheme:           taxScheme{ID: s.Tributo, Name: schemeName},
		},
		LegalEntity: partyLegalEntity{RegistrationName: s.RazonSocial, CompanyID: id},
	}
	if prefix != "" {
		p.LegalEntity.CorporateRegistrationScheme = &prefix
	}
	if c := (contact{Telephone: deref(s.Telefono), ElectronicMail: s.Email}); c != (contact{}) {
		p.Contact = &c
	}
	return accountingParty{AdditionalAccountID: s.TipoPersona.Code(), Party: p}, nil
}

// sellerAddress is the seller's Colombian address, located by its DANE
// municipality code (whose first two digits are the department's).
func sellerAddress(s billing.FiscalProfile) (*address, error) {
	if len(s.Municipio) != 5 || strings.IndexFunc(s.Municipio, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return nil, fmt.Errorf("%w: the seller's municipio %q is not a 5-digit DANE code", ErrIncomplete, s.Municipio)
	}
	a := &address{
		ID:                   s.Municipio,
		CityName:             s.Ciudad,
		CountrySubentity:     s.Departamento,
		CountrySubentityCode: s.Municipio[:2],
		Country:              colombia,
	}
	if s.Direccion != "" {
		a.Line = &s.Direccion
	}
	return a, nil
}

var colombia = country{IdentificationCode: countryCO, Name: text{LanguageID: "es", Value: countryNameCO}}

// customerParty is the buyer as the invoice froze it. A buyer with no
// person type is a natural person (AdditionalAccountID 2), as a parent
// paying tuition or the consumidor final is.
//
// What the customer record lacks is left out rather than guessed: it holds
// a free-text address, without a DANE municipality, city or department, so
// PhysicalLocation carries only the address line and the country (CO; the
// record holds no country either), and PartyTaxScheme has no
// RegistrationAddress. The buyer's responsibilities are not recorded
// either: TaxLevelCode is R-99-PN and the tax scheme ZZ (no aplica).
func customerParty(b billing.Customer) (accountingParty, error) {
	persona := billing.PersonaNatural
	if b.TipoPersona != nil {
		persona = *b.TipoPersona
	}
	if b.Nit == "" {
		return accountingParty{}, fmt.Errorf("%w: the buyer has no identification number", ErrIncomplete)
	}
	tipo := b.TipoIdentificacion
	if tipo == "" {
		// A customer written before types were recorded: settle it the way a
		// write would, from the number's form and the person type.
		tipo, _ = billing.IdentificationType(nil, b.Nit, b.Nit, b.TipoPersona)
	}
	var dv string
	if tipo == billing.IDNIT {
		d, ok := billing.NITCheckDigit(b.Nit)
		if !ok {
			return accountingParty{}, fmt.Errorf("%w: the buyer's NIT %q is not a NIT of digits", ErrIncomplete, b.Nit)
		}
		dv = digit(d)
	}
	id := dianID(b.Nit, tipo, dv)
	var p party
	if persona == billing.PersonaJuridica {
		name := b.RazonSocial
		p.Name = &name
	} else {
		// DIAN identifies a natural person by PartyIdentification too, as
		// its samples show.
		p.Identification = &identifier{SchemeID: dv, SchemeName: tipo, Value: b.Nit}
	}
	if b.Direccion != nil && strings.TrimSpace(*b.Direccion) != "" {
		p.Location = &address{Line: b.Direccion, Country: colombia}
	}
	p.TaxScheme = partyTaxScheme{
		RegistrationName: b.RazonSocial,
		CompanyID:        id,
		TaxLevelCode:     code{ListName: regimen(schemeNoAplica), Value: responsabilidadNinguna},
		TaxScheme:        taxScheme{ID: schemeNoAplica, Name: noAplicaName},
	}
	p.LegalEntity = partyLegalEntity{RegistrationName: b.RazonSocial, CompanyID: id}
	if b.Email != nil && *b.Email != "" {
		p.Contact = &contact{ElectronicMail: *b.Email}
	}
	return accountingParty{AdditionalAccountID: persona.Code(), Party: p}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// noAplicaName is the name of tax scheme ZZ, a buyer's.
var noAplicaName, _ = billing.PartySchemeName(schemeNoAplica)
