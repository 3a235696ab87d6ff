package ledger

import (
	"context"
	"regexp"
	"strings"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/store"
)

// municipioPattern is a DANE municipality code: 5 digits, the first two the
// department's.
var municipioPattern = regexp.MustCompile(`^[0-9]{5}$`)

// responsabilidades are DIAN's fiscal responsibility codes (TaxLevelCode)
// a profile may list (FISCAL.md §1).
var responsabilidades = map[string]bool{"O-13": true, "O-15": true, "O-23": true, "O-47": true, "R-99-PN": true}

// FiscalProfile reads the actor's tenant's fiscal profile (without its PIN).
func (l *Ledger) FiscalProfile(ctx context.Context, a Actor) (billing.FiscalProfile, error) {
	return l.store.FiscalProfile(ctx, a.Tenant)
}

// PutFiscalProfile creates or replaces the tenant's fiscal profile; from the
// first one on, the tenant invoices electronically. The NIT may carry its
// check digit, which must be DIAN's; it is kept as digits. An empty
// SoftwarePIN keeps the stored one (the first profile needs one).
func (l *Ledger) PutFiscalProfile(ctx context.Context, a Actor, p billing.FiscalProfile) (billing.FiscalProfile, error) {
	nit, err := billing.NormalizeNIT(p.Nit)
	if err != nil {
		return billing.FiscalProfile{}, err
	}
	var checks []*fault.FieldError
	if _, digits := billing.NITCheckDigit(nit); !digits {
		checks = append(checks, &fault.FieldError{Field: "nit", Message: "must be a NIT of digits, such as 900123456-8"})
	}
	checks = append(checks,
		requiredText("razonSocial", p.RazonSocial), requiredText("direccion", p.Direccion),
		requiredText("ciudad", p.Ciudad), requiredText("departamento", p.Departamento),
		requiredText("email", p.Email), requiredText("softwareId", p.SoftwareID))
	if !municipioPattern.MatchString(p.Municipio) {
		checks = append(checks, &fault.FieldError{Field: "municipio", Message: "must be a 5-digit DANE municipality code, such as 11001"})
	}
	seen := map[string]bool{}
	for _, r := range p.Responsabilidades {
		if !responsabilidades[r] || seen[r] {
			checks = append(checks, &fault.FieldError{Field: "responsabilidades",
				Message: "must list distinct DIAN responsibility codes: O-13, O-15, O-23, O-47, R-99-PN"})
			break
		}
		seen[r] = true
	}
	if p.SoftwarePIN != "" && strings.TrimSpace(p.SoftwarePIN) == "" {
		checks = append(checks, &fault.FieldError{Field: "softwarePin", Message: "must not be blank"})
	}
	if err := fault.Fields(checks...); err != nil {
		return billing.FiscalProfile{}, err
	}
	p.Nit = nit
	p.RazonSocial, p.Direccion = strings.TrimSpace(p.RazonSocial), strings.TrimSpace(p.Direccion)
	p.Ciudad, p.Departamento = strings.TrimSpace(p.Ciudad), strings.TrimSpace(p.Departamento)
	p.Email, p.SoftwareID = strings.TrimSpace(p.Email), strings.TrimSpace(p.SoftwareID)
	p.SoftwarePIN = strings.TrimSpace(p.SoftwarePIN) // it enters a hash: a stray space would spoil every document
	p.NombreComercial, p.Telefono = optionalText(p.NombreComercial), optionalText(p.Telefono)
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.FiscalProfile, error) {
		return tx.PutFiscalProfile(ctx, p)
	})
}
