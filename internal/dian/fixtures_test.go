package dian

import (
	"fmt"
	"testing"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/money"
)

// DIAN's test environment (FISCAL.md §3) and a software of our own.
const (
	testKey        = "fc8eac422eba16e22ffd8c6f94b3f40a6e38162c"
	testSoftwareID = "56f2ae4e-9812-4fad-9255-08fcfcd5ccb0"
	testPIN        = "12345"
	testSellerNIT  = "900123456"
	testIssueDate  = "2026-02-02"
	testIssueTime  = "08:00:00-05:00"
)

func ptr[T any](v T) *T { return &v }

func testResolution() *billing.NumberingResolution {
	r := TestRange()
	r.ID, r.Activa, r.ClaveTecnica = uuid.MustParse("0190a1b2-0000-7000-8000-000000000001"), true, ""
	return &r
}

// seller is a tenant's fiscal profile under tax scheme tributo (ZZ for a
// school that sells only excluded education, 01 when it sells taxed goods,
// 04 for a restaurant), as a Document holds it: without its PIN.
func seller(tributo string) billing.FiscalProfile {
	return billing.FiscalProfile{
		Nit:               testSellerNIT,
		RazonSocial:       "COLEGIO EJEMPLO S.A.S.",
		NombreComercial:   ptr("Colegio Ejemplo"),
		TipoPersona:       billing.PersonaJuridica,
		Responsabilidades: []string{"O-13", "O-15"},
		Tributo:           tributo,
		Direccion:         "CL 100 10 20",
		Municipio:         "11001",
		Ciudad:            "Bogotá, D.C.",
		Departamento:      "Bogotá",
		Email:             "facturacion@colegio.example",
		Telefono:          ptr("6015550100"),
		Ambiente:          billing.AmbientePruebas,
		SoftwareID:        testSoftwareID,
	}
}

func parent() billing.Customer {
	return billing.Customer{
		RazonSocial: "MARÍA PÉREZ & HIJOS", Nit: "1020304050", TipoIdentificacion: billing.IDCedula,
		Email: ptr("maria@example.com"), Direccion: ptr("KR 7 # 45-10 apto 301"),
	}
}

func company() billing.Customer {
	return billing.Customer{
		RazonSocial: "ALIMENTOS DEL VALLE S.A.", Nit: "890903938", TipoIdentificacion: billing.IDNIT,
		TipoPersona: ptr(billing.PersonaJuridica), Email: ptr("compras@alimentos.example"), Direccion: ptr("AV 6N 23-45"),
	}
}

func consumidorFinal() billing.Customer {
	return billing.Customer{RazonSocial: "CONSUMIDOR FINAL", Nit: billing.ConsumidorFinal, TipoIdentificacion: billing.IDCedula}
}

func bareCustomer() billing.Customer {
	return billing.Customer{RazonSocial: "JUAN GÓMEZ", Nit: "79555444", TipoIdentificacion: billing.IDCedula,
		TipoPersona: ptr(billing.PersonaNatural)}
}

// item is an invoice line before its subtotal is computed.
func item(desc, cantidad, valor, rate string, scheme billing.TaxScheme, t billing.TaxTreatment) billing.InvoiceLine {
	return billing.InvoiceLine{
		Descripcion: desc, Cantidad: money.Must(cantidad).Rescale(3), ValorUnitario: money.Must(valor).Rescale(2),
		Impuesto: money.Must(rate).Rescale(2), Tributo: scheme, Tratamiento: t,
	}
}

func tuition() billing.InvoiceLine {
	return item("Pensión febrero 2026 (servicio educativo excluido, ET art. 476)", "1", "1200000", "0", billing.SchemeIVA, billing.Excluido)
}

// issue builds an issued electronic Document the way issuing will: totals
// by billing.ComputeTotals, then the Stamp with its CUFE over the Document
// itself, the security code and the QR.
func issue(tb testing.TB, consecutivo int64, s billing.FiscalProfile, buyer billing.Customer, lines ...billing.InvoiceLine) billing.Document {
	tb.Helper()
	calc := make([]billing.Line, len(lines))
	for i, l := range lines {
		calc[i] = billing.Line{Cantidad: l.Cantidad, ValorUnitario: l.ValorUnitario, Impuesto: l.Impuesto, Tributo: l.Tributo, Tratamiento: l.Tratamiento}
	}
	totals, err := billing.ComputeTotals(calc)
	if err != nil {
		tb.Fatalf("ComputeTotals: %v", err)
	}
	lines = append([]billing.InvoiceLine(nil), lines...)
	for i := range lines {
		lines[i].Subtotal = totals.LineSubtotals[i]
	}
	res := testResolution()
	numero := fmt.Sprintf("%s%d", res.Prefijo, consecutivo)
	doc := billing.Document{
		Seller:     s,
		Resolution: res,
		Invoice: billing.Invoice{
			Numero: numero, Status: billing.InvoiceIssued, Customer: buyer, Lines: lines,
			Subtotal: totals.Subtotal, Impuestos: totals.Impuestos, Total: totals.Total, Taxes: totals.Taxes,
			Stamp: &billing.Stamp{ResolutionID: res.ID, Consecutivo: consecutivo, IssueDate: testIssueDate, IssueTime: testIssueTime},
		},
	}
	cufe := CUFE(InvoiceCUFEFields(doc, testKey))
	doc.Invoice.Stamp.CUFE = cufe
	doc.Invoice.Stamp.QR = QRText(doc)
	doc.SoftwareSecurityCode = SoftwareSecurityCode(s.SoftwareID, testPIN, numero)
	doc.QRURL = QRURL(cufe, s.Ambiente)
	return doc
}

// xmlCase is one of the documents every XML test renders.
type xmlCase struct {
	name string
	doc  billing.Document
	// taxSchemes are the document TaxTotals' schemes, in order.
	taxSchemes []string
	// taxedLines says, per line, whether it has a TaxTotal.
	taxedLines []bool
}

func xmlCases(tb testing.TB) []xmlCase {
	return []xmlCase{
		{
			name:       "tuition excluded only",
			doc:        issue(tb, 990000001, seller("ZZ"), parent(), tuition()),
			taxedLines: []bool{false},
		},
		{
			name: "excluded and IVA 19 (mixed)",
			doc: issue(tb, 990000002, seller("01"), parent(), tuition(),
				item("Uniforme deportivo talla 10", "1", "100000", "19", billing.SchemeIVA, billing.Gravado),
				item("Texto guía de inglés", "2", "45000.50", "19", billing.SchemeIVA, billing.Gravado)),
			taxSchemes: []string{"01"},
			taxedLines: []bool{false, true, true},
		},
		{
			name:       "IVA 5",
			doc:        issue(tb, 990000003, seller("01"), company(), item("Kit escolar", "3", "12345.67", "5", billing.SchemeIVA, billing.Gravado)),
			taxSchemes: []string{"01"},
			taxedLines: []bool{true},
		},
		{
			name: "INC 8",
			doc: issue(tb, 990000004, seller("04"), company(),
				item("Almuerzo ejecutivo", "2.5", "18000", "8", billing.SchemeINC, billing.Gravado),
				item("Jugo natural", "0.333", "100.01", "8", billing.SchemeINC, billing.Gravado)),
			taxSchemes: []string{"04"},
			taxedLines: []bool{true, true},
		},
		{
			name: "consumidor final",
			doc: issue(tb, 990000005, seller("ZA"), consumidorFinal(),
				item("Cuaderno cuadriculado", "4", "3500", "19", billing.SchemeIVA, billing.Gravado),
				item("Libro de texto (exento)", "1", "60000", "0", billing.SchemeIVA, billing.Exento),
				item("Refrigerio", "1", "8000", "8", billing.SchemeINC, billing.Gravado)),
			taxSchemes: []string{"01", "04"},
			taxedLines: []bool{true, true, true},
		},
		{
			name:       "customer without email or address",
			doc:        issue(tb, 990000006, seller("ZZ"), bareCustomer(), tuition(), tuition()),
			taxedLines: []bool{false, false},
		},
	}
}
