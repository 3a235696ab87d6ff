package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"billing/gen/api"
	"billing/internal/billing"
	"billing/internal/fault"
)

// GetFiscalProfile answers the tenant's fiscal profile, without its PIN.
func (s *Server) GetFiscalProfile(ctx context.Context, _ api.GetFiscalProfileRequestObject) (api.GetFiscalProfileResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.ledger.FiscalProfile(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("loading fiscal profile: %w", err)
	}
	return api.GetFiscalProfile200JSONResponse(toAPIFiscalProfile(p)), nil
}

// PutFiscalProfile creates or replaces the tenant's fiscal profile.
func (s *Server) PutFiscalProfile(ctx context.Context, req api.PutFiscalProfileRequestObject) (api.PutFiscalProfileResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	in := billing.FiscalProfile{
		Nit: b.Nit, RazonSocial: b.RazonSocial, NombreComercial: b.NombreComercial,
		TipoPersona: billing.TipoPersona(b.TipoPersona), Tributo: string(b.Tributo),
		Direccion: b.Direccion, Municipio: b.Municipio, Ciudad: b.Ciudad, Departamento: b.Departamento,
		Email: b.Email, Telefono: b.Telefono, Ambiente: billing.Ambiente(b.Ambiente), SoftwareID: b.SoftwareID,
	}
	for _, r := range b.Responsabilidades {
		in.Responsabilidades = append(in.Responsabilidades, string(r))
	}
	if b.SoftwarePin != nil {
		in.SoftwarePIN = *b.SoftwarePin
	}
	if b.EnviarAlAceptar != nil {
		in.EnviarAlAceptar = *b.EnviarAlAceptar
	}
	in.TestSetID = b.TestSetID
	p, err := s.ledger.PutFiscalProfile(ctx, a, in)
	if err != nil {
		return nil, fmt.Errorf("writing fiscal profile: %w", inBody(err))
	}
	return api.PutFiscalProfile200JSONResponse(toAPIFiscalProfile(p)), nil
}

// GetSigningCertificate answers what may be shown of the tenant's signing
// certificate.
func (s *Server) GetSigningCertificate(ctx context.Context, _ api.GetSigningCertificateRequestObject) (api.GetSigningCertificateResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.ledger.SigningCertificate(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("loading the signing certificate: %w", err)
	}
	return api.GetSigningCertificate200JSONResponse(toAPISigningCertificate(c)), nil
}

// PutSigningCertificate keeps an uploaded PKCS#12 file as the tenant's
// signing certificate.
func (s *Server) PutSigningCertificate(ctx context.Context, req api.PutSigningCertificateRequestObject) (api.PutSigningCertificateResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	p12, err := base64.StdEncoding.Strict().DecodeString(req.Body.P12)
	if err != nil {
		return nil, inBody(fault.CertificateInvalid("p12", "not standard base64 with padding"))
	}
	c, err := s.ledger.PutSigningCertificate(ctx, a, p12, req.Body.Password)
	if err != nil {
		return nil, fmt.Errorf("keeping the signing certificate: %w", inBody(err))
	}
	return api.PutSigningCertificate200JSONResponse(toAPISigningCertificate(c)), nil
}

func toAPISigningCertificate(c billing.SigningCertificate) api.SigningCertificate {
	return api.SigningCertificate{Subject: c.Subject, Issuer: c.Issuer, Serial: c.Serial, NotBefore: c.NotBefore,
		NotAfter: c.NotAfter, UploadedBy: c.UploadedBy, UploadedAt: c.UploadedAt}
}

// ListNumberingResolutions answers every resolution of the tenant.
func (s *Server) ListNumberingResolutions(ctx context.Context, _ api.ListNumberingResolutionsRequestObject) (api.ListNumberingResolutionsResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := s.ledger.Resolutions(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("listing numbering resolutions: %w", err)
	}
	out := make(api.ListNumberingResolutions200JSONResponse, len(rs))
	for i, r := range rs {
		out[i] = toAPIResolution(r)
	}
	return out, nil
}

// GetNumberingResolution answers one resolution.
func (s *Server) GetNumberingResolution(ctx context.Context, req api.GetNumberingResolutionRequestObject) (api.GetNumberingResolutionResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.ledger.Resolution(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("loading numbering resolution: %w", err)
	}
	return api.GetNumberingResolution200JSONResponse(toAPIResolution(r)), nil
}

// CreateNumberingResolution records a numbering authorisation.
func (s *Server) CreateNumberingResolution(ctx context.Context, req api.CreateNumberingResolutionRequestObject) (api.CreateNumberingResolutionResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	in := billing.NumberingResolution{
		TipoDocumento: billing.DocumentKind(b.TipoDocumento), NumeroResolucion: b.NumeroResolucion,
		FechaResolucion: fromAPIDate(b.FechaResolucion), Prefijo: b.Prefijo, Desde: b.Desde, Hasta: b.Hasta,
		VigenciaDesde: fromAPIDate(b.VigenciaDesde), VigenciaHasta: fromAPIDate(b.VigenciaHasta),
	}
	if b.ClaveTecnica != nil {
		in.ClaveTecnica = *b.ClaveTecnica
	}
	r, err := s.ledger.CreateResolution(ctx, a, in)
	if err != nil {
		return nil, fmt.Errorf("creating numbering resolution: %w", inBody(err))
	}
	return api.CreateNumberingResolution201JSONResponse(toAPIResolution(r)), nil
}

// UpdateNumberingResolution activates, deactivates or ends a resolution.
func (s *Server) UpdateNumberingResolution(ctx context.Context, req api.UpdateNumberingResolutionRequestObject) (api.UpdateNumberingResolutionResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.ledger.PatchResolution(ctx, a, req.ID, billing.ResolutionPatch{
		Activa: req.Body.Activa, VigenciaHasta: fromAPIDate(req.Body.VigenciaHasta)})
	if err != nil {
		return nil, fmt.Errorf("updating numbering resolution: %w", inBody(err))
	}
	return api.UpdateNumberingResolution200JSONResponse(toAPIResolution(r)), nil
}

// GetInvoiceXML serves the UBL document stored at issue, byte for byte.
func (s *Server) GetInvoiceXML(ctx context.Context, req api.GetInvoiceXMLRequestObject) (api.GetInvoiceXMLResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	doc, err := s.ledger.InvoiceXML(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("loading invoice document: %w", err)
	}
	return api.GetInvoiceXML200ApplicationXMLResponse{Body: bytes.NewReader(doc), ContentLength: int64(len(doc))}, nil
}

// GetInvoicePdf serves the printed invoice.
func (s *Server) GetInvoicePdf(ctx context.Context, req api.GetInvoicePdfRequestObject) (api.GetInvoicePdfResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	doc, err := s.ledger.InvoicePDF(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("rendering invoice: %w", err)
	}
	return api.GetInvoicePdf200ApplicationPdfResponse{Body: bytes.NewReader(doc), ContentLength: int64(len(doc))}, nil
}

func toAPIFiscalProfile(p billing.FiscalProfile) api.FiscalProfile {
	dv, _ := billing.NITCheckDigit(p.Nit)
	out := api.FiscalProfile{
		Nit: p.Nit, Dv: dv, RazonSocial: p.RazonSocial, NombreComercial: p.NombreComercial,
		TipoPersona: api.TipoPersona(p.TipoPersona), Responsabilidades: make([]api.Responsabilidad, len(p.Responsabilidades)),
		Tributo: api.PartyTributo(p.Tributo), Direccion: p.Direccion, Municipio: p.Municipio, Ciudad: p.Ciudad,
		Departamento: p.Departamento, Email: p.Email, Telefono: p.Telefono, Ambiente: api.Ambiente(p.Ambiente),
		SoftwareID: p.SoftwareID, SoftwarePinSet: p.SoftwarePINSet, EnviarAlAceptar: p.EnviarAlAceptar, TestSetID: p.TestSetID,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
	for i, r := range p.Responsabilidades {
		out.Responsabilidades[i] = api.Responsabilidad(r)
	}
	return out
}

func toAPIResolution(r billing.NumberingResolution) api.NumberingResolution {
	return api.NumberingResolution{
		ID: r.ID, TipoDocumento: api.DocumentKind(r.TipoDocumento), NumeroResolucion: r.NumeroResolucion,
		FechaResolucion: toAPIDate(r.FechaResolucion), Prefijo: r.Prefijo, Desde: r.Desde, Hasta: r.Hasta,
		VigenciaDesde: toAPIDate(r.VigenciaDesde), VigenciaHasta: toAPIDate(r.VigenciaHasta),
		ClaveTecnicaSet: r.ClaveTecnicaSet, Activa: r.Activa, Siguiente: r.Siguiente, Disponibles: r.Disponibles(),
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func fromAPIDate(d *openapi_types.Date) *billing.Date {
	if d == nil {
		return nil
	}
	v := billing.DateFromTime(d.Time)
	return &v
}

func toAPIDate(d *billing.Date) *openapi_types.Date {
	if d == nil {
		return nil
	}
	return &openapi_types.Date{Time: d.Time()}
}
