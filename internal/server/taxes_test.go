package server_test

import (
	"net/http"
	"testing"

	"billing/gen/api"
	"billing/internal/auth"
)

func TestProductTaxTreatment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token(e.tenant("A"), auth.RoleAdmin)
	cases := []struct {
		name         string
		body         map[string]any
		tributo      api.Tributo
		tratamiento  api.Tratamiento
		impuesto     string
		refusedField string
	}{
		{"defaults", map[string]any{"nombre": "Uniforme", "precio": 120000}, api.TributoN01, api.TratamientoGRAVADO, "19.00", ""},
		{"excluded alone is 0 %", map[string]any{"nombre": "Pensión", "precio": 850000, "tratamiento": "EXCLUIDO"}, api.TributoN01, api.TratamientoEXCLUIDO, "0.00", ""},
		{"exempt at 0", map[string]any{"nombre": "Cuaderno", "precio": 5000, "tratamiento": "EXENTO", "impuesto": 0}, api.TributoN01, api.TratamientoEXENTO, "0.00", ""},
		{"INC 8 %", map[string]any{"nombre": "Almuerzo", "precio": 15000, "tributo": "04", "impuesto": 8}, api.TributoN04, api.TratamientoGRAVADO, "8.00", ""},
		{"excluded with a rate", map[string]any{"nombre": "X", "precio": 1, "tratamiento": "EXCLUIDO", "impuesto": 19}, "", "", "", "body.impuesto"},
		{"unknown scheme", map[string]any{"nombre": "X", "precio": 1, "tributo": "03"}, "", "", "", "body.tributo"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(http.MethodPost, "/billing/products", admin, c.body)
			if c.refusedField != "" {
				if p := wantProblem(t, r, http.StatusBadRequest, "invalid_request"); !hasField(p, c.refusedField) {
					t.Fatalf("problem does not name %s: %+v", c.refusedField, p.Errors)
				}
				return
			}
			wantStatus(t, r, http.StatusCreated)
			p := decode[api.Product](t, r)
			if p.Tributo != c.tributo || p.Tratamiento != c.tratamiento || p.Impuesto.String() != c.impuesto {
				t.Fatalf("product %s %s %s", p.Tributo, p.Tratamiento, p.Impuesto)
			}
		})
	}
	// PATCH: excluding a taxed product sets its rate to 0; a rate on an
	// excluded product is refused.
	p := createProduct(t, e, admin, map[string]any{"nombre": "Transporte escolar", "precio": 200000})
	path := "/billing/products/" + p.ID.String()
	got := decode[api.Product](t, e.do(http.MethodPatch, path, admin, map[string]any{"tratamiento": "EXCLUIDO"}))
	if got.Tratamiento != api.TratamientoEXCLUIDO || got.Impuesto.String() != "0.00" {
		t.Fatalf("patched to %s %s", got.Tratamiento, got.Impuesto)
	}
	if pr := wantProblem(t, e.do(http.MethodPatch, path, admin, map[string]any{"impuesto": 19}), http.StatusBadRequest, "invalid_request"); !hasField(pr, "body.impuesto") {
		t.Fatalf("problem does not name body.impuesto: %+v", pr.Errors)
	}
	if pr := wantProblem(t, e.do(http.MethodPatch, path, admin, map[string]any{"tratamiento": "GRAVADO"}), http.StatusBadRequest, "invalid_request"); !hasField(pr, "body.impuesto") {
		t.Fatalf("taxing an excluded product without a rate: %+v", pr.Errors)
	}
	back := decode[api.Product](t, e.do(http.MethodPatch, path, admin, map[string]any{"tratamiento": "GRAVADO", "impuesto": 19}))
	if back.Tratamiento != api.TratamientoGRAVADO || back.Impuesto.String() != "19.00" {
		t.Fatalf("patched back to %s %s", back.Tratamiento, back.Impuesto)
	}
}

// TestTaxesByScheme: lines take their product's scheme and treatment
// unless they say otherwise; tax is grouped by (scheme, rate); excluded
// lines are in no group.
func TestTaxesByScheme(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	tuition := createProduct(t, l.e, l.admin, map[string]any{"nombre": "Pensión", "precio": 850000, "tratamiento": "EXCLUIDO"})
	lunch := createProduct(t, l.e, l.admin, map[string]any{"nombre": "Almuerzo", "precio": 15000, "tributo": "04", "impuesto": 8})
	inv := createInvoice(t, l.e, l.operador, invoiceBody(l.customer.ID.String(), "FV-TAX",
		map[string]any{"productServiceId": tuition.ID.String(), "cantidad": 1},
		map[string]any{"productServiceId": lunch.ID.String(), "cantidad": 20},
		map[string]any{"descripcion": "Uniforme", "cantidad": 2, "valorUnitario": 60000},
		map[string]any{"descripcion": "Texto escolar", "cantidad": 1, "valorUnitario": 80000, "impuesto": 5},
		map[string]any{"descripcion": "Cuaderno", "cantidad": 10, "valorUnitario": 5000, "tratamiento": "EXENTO"},
		map[string]any{"productServiceId": lunch.ID.String(), "cantidad": 1, "tributo": "01", "impuesto": 19},
	))
	type group struct{ tributo, tarifa, base, valor string }
	var got []group
	for _, g := range inv.ImpuestosDetalle {
		got = append(got, group{string(g.Tributo), g.Tarifa.String(), g.Base.String(), g.Valor.String()})
	}
	want := []group{
		{"01", "0.00", "50000.00", "0.00"},
		{"01", "5.00", "80000.00", "4000.00"},
		{"01", "19.00", "135000.00", "25650.00"},
		{"04", "8.00", "300000.00", "24000.00"},
	}
	if len(got) != len(want) {
		t.Fatalf("breakdown %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("breakdown %v, want %v", got, want)
		}
	}
	if amounts(inv) != "1415000.00 / 53650.00 / 1468650.00" {
		t.Fatalf("totals %s", amounts(inv))
	}
	if it := inv.Items[0]; it.Tratamiento != api.TratamientoEXCLUIDO || it.Impuesto.String() != "0.00" {
		t.Fatalf("tuition line %s %s", it.Tratamiento, it.Impuesto)
	}
	if it := inv.Items[5]; it.Tributo != api.TributoN01 || it.Impuesto.String() != "19.00" {
		t.Fatalf("overridden line %s %s", it.Tributo, it.Impuesto)
	}
	// The read shows what was stored.
	read := decode[api.InvoiceDetail](t, l.e.do(http.MethodGet, "/billing/invoices/"+inv.ID.String(), l.admin, nil))
	if len(read.ImpuestosDetalle) != 4 || read.ImpuestosDetalle[3].Tributo != api.TributoN04 || read.Items[0].Tratamiento != api.TratamientoEXCLUIDO {
		t.Fatalf("read back %+v", read.ImpuestosDetalle)
	}
	wantProblem(t, l.e.do(http.MethodPost, "/billing/invoices", l.operador, invoiceBody(l.customer.ID.String(), "FV-BAD",
		map[string]any{"productServiceId": tuition.ID.String(), "cantidad": 1, "impuesto": 19})), http.StatusBadRequest, "invalid_request")
}

func TestCustomerIdentification(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.tenant("A"), auth.RoleOperador)
	cases := []struct {
		body  map[string]any
		want  api.TipoIdentificacion
		field string
	}{
		{map[string]any{"razonSocial": "Con DV", "nit": "800197268-4"}, "31", ""},
		{map[string]any{"razonSocial": "Padre", "nit": "1020304050"}, "13", ""},
		{map[string]any{"razonSocial": "Extranjera", "nit": "AB12345"}, "41", ""},
		{map[string]any{"razonSocial": "Empresa", "nit": "890903938", "tipoPersona": "JURIDICA"}, "31", ""},
		{map[string]any{"razonSocial": "Consumidor final", "nit": "222222222222"}, "13", ""},
		{map[string]any{"razonSocial": "Tarjeta", "nit": "1098765432", "tipoIdentificacion": "12", "tipoPersona": "NATURAL"}, "12", ""},
		{map[string]any{"razonSocial": "Empresa cédula", "nit": "860034313", "tipoPersona": "JURIDICA", "tipoIdentificacion": "13"}, "", "body.tipoIdentificacion"},
		{map[string]any{"razonSocial": "Empresa sin NIT", "nit": "AB98765", "tipoPersona": "JURIDICA"}, "", "body.tipoIdentificacion"},
		{map[string]any{"razonSocial": "NIT de letras", "nit": "XY98765", "tipoIdentificacion": "31"}, "", "body.tipoIdentificacion"},
	}
	for _, c := range cases {
		r := e.do(http.MethodPost, "/billing/customers", tok, c.body)
		if c.field != "" {
			if p := wantProblem(t, r, http.StatusBadRequest, "invalid_request"); !hasField(p, c.field) {
				t.Fatalf("%v: problem does not name %s: %+v", c.body, c.field, p.Errors)
			}
			continue
		}
		wantStatus(t, r, http.StatusCreated)
		if got := decode[api.Customer](t, r); got.TipoIdentificacion != c.want {
			t.Fatalf("%v: type %s, want %s", c.body, got.TipoIdentificacion, c.want)
		}
	}
	// A customer that becomes JURIDICA is reported as a NIT, never a cédula.
	c := createCustomer(t, e, tok, map[string]any{"razonSocial": "Ahora empresa", "nit": "52123456"})
	got := decode[api.Customer](t, e.do(http.MethodPatch, "/billing/customers/"+c.ID.String(), tok, map[string]any{"tipoPersona": "JURIDICA"}))
	if got.TipoIdentificacion != "31" || got.TipoPersona == nil || *got.TipoPersona != api.TipoPersonaJURIDICA {
		t.Fatalf("after PATCH: %s %v", got.TipoIdentificacion, got.TipoPersona)
	}
	// A passport holder cannot become a company, and a correction of the
	// number keeps an explicit type.
	pass := createCustomer(t, e, tok, map[string]any{"razonSocial": "Extranjero", "nit": "1234567", "tipoIdentificacion": "22"})
	wantProblem(t, e.do(http.MethodPatch, "/billing/customers/"+pass.ID.String(), tok, map[string]any{"tipoPersona": "JURIDICA"}), http.StatusBadRequest, "invalid_request")
	if got := decode[api.Customer](t, e.do(http.MethodPatch, "/billing/customers/"+pass.ID.String(), tok, map[string]any{"nit": "1234568"})); got.TipoIdentificacion != "22" {
		t.Fatalf("a corrected number changed the type to %s", got.TipoIdentificacion)
	}
}
