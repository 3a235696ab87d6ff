package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"billing/gen/api"
	"billing/internal/auth"
)

// dianKey is the technical key of DIAN's test range (FISCAL.md §3).
const dianKey = "fc8eac422eba16e22ffd8c6f94b3f40a6e38162c"

func ptr[T any](v T) *T { return &v }

func date(s string) *openapi_types.Date {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &openapi_types.Date{Time: t}
}

// schoolProfile is a school's fiscal profile in DIAN's test environment.
func schoolProfile() api.PutFiscalProfile {
	return api.PutFiscalProfile{
		Nit: "900123456-8", RazonSocial: "Colegio Los Andes S.A.S.", NombreComercial: ptr("Colegio Los Andes"),
		TipoPersona: api.TipoPersonaJURIDICA, Responsabilidades: []api.Responsabilidad{api.ResponsabilidadR99PN},
		Tributo: api.PartyTributoZZ, Direccion: "Calle 45 # 12-30", Municipio: "11001", Ciudad: "Bogotá D.C.",
		Departamento: "Bogotá", Email: "facturacion@colegiolosandes.edu.co", Telefono: ptr("+57 601 3456789"),
		Ambiente: api.AmbientePRUEBAS, SoftwareID: "56f2ae4e-9812-4fad-9255-08fcfcd5ccb0", SoftwarePin: ptr("pin-75315"),
	}
}

// dianTestRange is DIAN's test numbering range (SETP 990000000–995000000).
func dianTestRange() api.CreateNumberingResolution {
	return api.CreateNumberingResolution{
		TipoDocumento: api.DocumentKindFACTURA, NumeroResolucion: ptr("18760000001"), FechaResolucion: date("2019-01-19"),
		Prefijo: "SETP", Desde: 990000000, Hasta: 995000000,
		VigenciaDesde: date("2019-01-19"), VigenciaHasta: date("2030-01-19"), ClaveTecnica: ptr(dianKey),
	}
}

func TestFiscalProfile(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, b := e.tenant("A"), e.tenant("B")
	admin, viewer := e.token(a, auth.RoleAdmin), e.token(a, auth.RoleViewer)
	wantProblem(t, e.do(http.MethodGet, "/billing/fiscal-profile", viewer, nil), http.StatusNotFound, "fiscal_profile_not_found")

	refused := []struct {
		name  string
		edit  func(p *api.PutFiscalProfile)
		code  string
		field string
	}{
		{"no PIN on the first write", func(p *api.PutFiscalProfile) { p.SoftwarePin = nil }, "software_pin_required", "body.softwarePin"},
		{"wrong check digit", func(p *api.PutFiscalProfile) { p.Nit = "900123456-7" }, "nit_check_digit_invalid", "body.nit"},
		{"a passport is no NIT", func(p *api.PutFiscalProfile) { p.Nit = "AB12345" }, "invalid_request", "body.nit"},
		{"municipio not DANE", func(p *api.PutFiscalProfile) { p.Municipio = "1100" }, "invalid_request", "body.municipio"},
		{"repeated responsibility", func(p *api.PutFiscalProfile) {
			p.Responsabilidades = []api.Responsabilidad{api.ResponsabilidadO13, api.ResponsabilidadO13}
		}, "invalid_request", "body.responsabilidades"},
		{"unknown tax scheme", nil, "invalid_request", "body.tributo"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			var body any
			if c.edit != nil {
				p := schoolProfile()
				c.edit(&p)
				body = p
			} else {
				body = strings.Replace(string(mustJSON(t, schoolProfile())), `"tributo":"ZZ"`, `"tributo":"06"`, 1)
			}
			p := wantProblem(t, e.do(http.MethodPut, "/billing/fiscal-profile", admin, body), http.StatusBadRequest, c.code)
			if !hasField(p, c.field) {
				t.Fatalf("problem does not name %s: %+v", c.field, p.Errors)
			}
		})
	}
	wantProblem(t, e.do(http.MethodGet, "/billing/fiscal-profile", viewer, nil), http.StatusNotFound, "fiscal_profile_not_found")

	r := e.do(http.MethodPut, "/billing/fiscal-profile", admin, schoolProfile())
	wantStatus(t, r, http.StatusOK)
	if strings.Contains(string(r.Body), "pin-75315") || strings.Contains(string(r.Body), "softwarePin\"") {
		t.Fatalf("the PIN is readable: %s", r.Body)
	}
	got := decode[api.FiscalProfile](t, e.do(http.MethodGet, "/billing/fiscal-profile", viewer, nil))
	if got.Nit != "900123456" || got.Dv != 8 || !got.SoftwarePinSet || got.Municipio != "11001" || got.Tributo != api.PartyTributoZZ {
		t.Fatalf("profile read back as %+v", got)
	}
	// A later PUT without the PIN keeps it.
	next := schoolProfile()
	next.SoftwarePin, next.RazonSocial = nil, "Colegio Los Andes Sede Norte S.A.S."
	got = decode[api.FiscalProfile](t, e.do(http.MethodPut, "/billing/fiscal-profile", admin, next))
	if !got.SoftwarePinSet || got.RazonSocial != next.RazonSocial {
		t.Fatalf("second PUT: %+v", got)
	}
	// Another tenant has none of it.
	wantProblem(t, e.do(http.MethodGet, "/billing/fiscal-profile", e.token(b, auth.RoleAdmin), nil), http.StatusNotFound, "fiscal_profile_not_found")
}

func TestNumberingResolutions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, b := e.tenant("A"), e.tenant("B")
	admin, viewer := e.token(a, auth.RoleAdmin), e.token(a, auth.RoleViewer)

	r := e.do(http.MethodPost, "/billing/numbering-resolutions", admin, dianTestRange())
	wantStatus(t, r, http.StatusCreated)
	if strings.Contains(string(r.Body), dianKey) {
		t.Fatalf("the technical key is readable: %s", r.Body)
	}
	res := decode[api.NumberingResolution](t, r)
	if !res.Activa || res.Siguiente != 990000000 || res.Disponibles != 5000001 || !res.ClaveTecnicaSet || res.VigenciaHasta.String() != "2030-01-19" {
		t.Fatalf("created %+v", res)
	}

	refused := []struct {
		name        string
		edit        func(r *api.CreateNumberingResolution)
		status      int
		code, field string
	}{
		{"prefix too long", func(r *api.CreateNumberingResolution) { r.Prefijo = "SETPX" }, 400, "prefix_invalid", "body.prefijo"},
		{"prefix with a dash", func(r *api.CreateNumberingResolution) { r.Prefijo = "FE-" }, 400, "prefix_invalid", "body.prefijo"},
		{"range backwards", func(r *api.CreateNumberingResolution) { r.Prefijo, r.Desde, r.Hasta = "A", 10, 9 }, 400, "resolution_range_invalid", "body.hasta"},
		{"dates backwards", func(r *api.CreateNumberingResolution) { r.Prefijo, r.VigenciaHasta = "A", date("2018-01-01") }, 400, "resolution_dates_invalid", "body.vigenciaHasta"},
		{"no technical key", func(r *api.CreateNumberingResolution) { r.Prefijo, r.ClaveTecnica = "A", nil }, 400, "technical_key_required", "body.claveTecnica"},
		{"short technical key", func(r *api.CreateNumberingResolution) { r.Prefijo, r.ClaveTecnica = "A", ptr("abc") }, 400, "technical_key_required", "body.claveTecnica"},
		{"invoice range without resolution", func(r *api.CreateNumberingResolution) { r.Prefijo, r.NumeroResolucion = "A", nil }, 400, "invalid_request", "body.numeroResolucion"},
		{"a note has no key", func(r *api.CreateNumberingResolution) { r.Prefijo, r.TipoDocumento = "NC", api.DocumentKindNOTACREDITO }, 400, "technical_key_not_allowed", "body.claveTecnica"},
		{"overlaps the active range", func(r *api.CreateNumberingResolution) { r.Desde, r.Hasta = 994999999, 996000000 }, 409, "resolution_overlaps", ""},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			body := dianTestRange()
			c.edit(&body)
			p := wantProblem(t, e.do(http.MethodPost, "/billing/numbering-resolutions", admin, body), c.status, c.code)
			if c.field != "" && !hasField(p, c.field) {
				t.Fatalf("problem does not name %s: %+v", c.field, p.Errors)
			}
		})
	}

	// Accepted: the same range elsewhere (another prefix, another kind,
	// another tenant), a note range without resolution or key, an already
	// expired range.
	accepted := []struct {
		tenant string
		body   func() api.CreateNumberingResolution
	}{
		{"A", func() api.CreateNumberingResolution { r := dianTestRange(); r.Prefijo = "FE"; return r }},
		{"A", func() api.CreateNumberingResolution {
			return api.CreateNumberingResolution{TipoDocumento: api.DocumentKindNOTACREDITO, Prefijo: "SETP", Desde: 1, Hasta: 999999}
		}},
		{"A", func() api.CreateNumberingResolution {
			r := dianTestRange()
			r.Prefijo, r.VigenciaDesde, r.VigenciaHasta = "OLD", date("2019-01-19"), date("2020-01-19")
			return r
		}},
		{"B", dianTestRange},
	}
	for _, c := range accepted {
		tok := admin
		if c.tenant == "B" {
			tok = e.token(b, auth.RoleAdmin)
		}
		wantStatus(t, e.do(http.MethodPost, "/billing/numbering-resolutions", tok, c.body()), http.StatusCreated)
	}
	if list := decode[[]api.NumberingResolution](t, e.do(http.MethodGet, "/billing/numbering-resolutions", viewer, nil)); len(list) != 4 || list[0].ID != res.ID {
		t.Fatalf("tenant A lists %d resolutions (want 4, oldest first)", len(list))
	}

	// PATCH: the end may move to any date not before the start, past ones
	// included; deactivating frees the range for another.
	path := "/billing/numbering-resolutions/" + res.ID.String()
	p := wantProblem(t, e.do(http.MethodPatch, path, admin, api.UpdateNumberingResolution{VigenciaHasta: date("2019-01-18")}), 400, "resolution_dates_invalid")
	if !hasField(p, "body.vigenciaHasta") {
		t.Fatalf("problem does not name the field: %+v", p.Errors)
	}
	ended := decode[api.NumberingResolution](t, e.do(http.MethodPatch, path, admin, api.UpdateNumberingResolution{VigenciaHasta: date("2020-06-30")}))
	if ended.VigenciaHasta.String() != "2020-06-30" || !ended.Activa {
		t.Fatalf("after PATCH: %+v", ended)
	}
	off := decode[api.NumberingResolution](t, e.do(http.MethodPatch, path, admin, api.UpdateNumberingResolution{Activa: ptr(false)}))
	if off.Activa {
		t.Fatal("still active")
	}
	overlapping := dianTestRange()
	overlapping.Desde, overlapping.Hasta = 994999999, 996000000
	other := decode[api.NumberingResolution](t, e.do(http.MethodPost, "/billing/numbering-resolutions", admin, overlapping))
	// Activating the first again now overlaps the second.
	wantProblem(t, e.do(http.MethodPatch, path, admin, api.UpdateNumberingResolution{Activa: ptr(true)}), http.StatusConflict, "resolution_overlaps")
	if got := decode[api.NumberingResolution](t, e.do(http.MethodGet, "/billing/numbering-resolutions/"+other.ID.String(), viewer, nil)); !got.Activa {
		t.Fatal("the refused activation changed the other range")
	}
	// Another tenant's resolution is not found.
	wantProblem(t, e.do(http.MethodGet, path, e.token(b, auth.RoleViewer), nil), http.StatusNotFound, "numbering_resolution_not_found")
	wantProblem(t, e.do(http.MethodPatch, path, e.token(b, auth.RoleAdmin), api.UpdateNumberingResolution{Activa: ptr(true)}), http.StatusNotFound, "numbering_resolution_not_found")
}

// TestResolutionHoldingAUsedNumero: a range that would give a numero the
// tenant already used with that prefix is refused.
func TestResolutionHoldingAUsedNumero(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	createInvoice(t, l.e, l.admin, l.seedInvoice("SETP990000123"))
	wantProblem(t, l.e.do(http.MethodPost, "/billing/numbering-resolutions", l.admin, dianTestRange()), http.StatusConflict, "resolution_overlaps")
	r := dianTestRange()
	r.Desde = 990000124
	wantStatus(t, l.e.do(http.MethodPost, "/billing/numbering-resolutions", l.admin, r), http.StatusCreated)
	// And the other way round: a numero the active range is yet to give is
	// refused; one outside it (or with another prefix) is not.
	p := wantProblem(t, l.e.do(http.MethodPost, "/billing/invoices", l.operador, l.seedInvoice("SETP990000200")), http.StatusBadRequest, "numero_reserved_by_resolution")
	if !hasField(p, "body.numero") {
		t.Fatalf("problem does not name body.numero: %+v", p.Errors)
	}
	for _, n := range []string{"SETP990000122", "SETQ990000200", "SETP99000020X"} {
		createInvoice(t, l.e, l.operador, l.seedInvoice(n))
	}
}

func hasField(p api.Problem, field string) bool {
	if p.Errors == nil {
		return false
	}
	for _, f := range *p.Errors {
		if f.Field == field {
			return true
		}
	}
	return false
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
