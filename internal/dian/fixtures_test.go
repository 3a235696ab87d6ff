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
// itself, the security code and the QR. The terms are the default ones
// (contado, efectivo), due on the issue date.
func issue(tb testing.TB, consecutivo int64, s billing.FiscalProfile, buyer billing.Customer, lines ...billing.InvoiceLine) billing.Document {
	tb.Helper()
	return issueInvoice(tb, invoiceSpec{consecutivo: consecutivo, seller: s, buyer: buyer, lines: lines})
}

// invoiceSpec is what issueInvoice builds a Document from.
type invoiceSpec struct {
	consecutivo int64
	seller      billing.FiscalProfile
	buyer       billing.Customer
	// lines are before their totals; a line discount is a percentage
	// (Descuento, see discounted) or an amount (ValorDescuento alone, see
	// discountedBy).
	lines              []billing.InvoiceLine
	terms              billing.PaymentTerms // zero: billing.DefaultPaymentTerms
	descuentos, cargos []billing.Adjustment
	// stored is an invoice stored before terms, due dates and discounts
	// (which it must not have): zero Terms, no FechaVencimiento, zero-valued
	// ValorBruto, ValorDescuento, TotalDescuentos and TotalCargos.
	stored bool
}

// discounted gives the line a discount of pct percent.
func discounted(l billing.InvoiceLine, pct string) billing.InvoiceLine {
	l.Descuento = ptr(money.Must(pct).Rescale(2))
	return l
}

// discountedBy gives the line a discount of an amount.
func discountedBy(l billing.InvoiceLine, amount string) billing.InvoiceLine {
	l.ValorDescuento = money.Must(amount).Rescale(2)
	return l
}

func adjustment(concepto, valor string) billing.Adjustment {
	return billing.Adjustment{Concepto: concepto, Valor: money.Must(valor).Rescale(2)}
}

// lineID is the ID of an invoice's line i, fixed so that documents are.
func lineID(consecutivo int64, i int) uuid.UUID {
	return uuid.MustParse(fmt.Sprintf("0190a1b2-0000-7000-8001-%012d", consecutivo%1e8*1000+int64(i)))
}

func issueInvoice(tb testing.TB, spec invoiceSpec) billing.Document {
	tb.Helper()
	lines := append([]billing.InvoiceLine(nil), spec.lines...)
	calc := make([]billing.Line, len(lines))
	for i, l := range lines {
		calc[i] = billing.Line{Cantidad: l.Cantidad, ValorUnitario: l.ValorUnitario, Impuesto: l.Impuesto, Tributo: l.Tributo,
			Tratamiento: l.Tratamiento, Descuento: l.Descuento}
		if l.Descuento == nil && l.ValorDescuento.Sign() > 0 {
			calc[i].DescuentoValor = ptr(l.ValorDescuento)
		}
	}
	var descuentos, cargos []money.Decimal
	for _, a := range spec.descuentos {
		descuentos = append(descuentos, a.Valor)
	}
	for _, a := range spec.cargos {
		cargos = append(cargos, a.Valor)
	}
	totals, err := billing.ComputeTotals(calc, descuentos, cargos)
	if err != nil {
		tb.Fatalf("ComputeTotals: %v", err)
	}
	for i := range lines {
		lines[i].ID = lineID(spec.consecutivo, i)
		lines[i].ValorBruto, lines[i].ValorDescuento, lines[i].Subtotal = totals.LineGross[i], totals.LineDiscounts[i], totals.LineSubtotals[i]
	}
	res := testResolution()
	numero := fmt.Sprintf("%s%d", res.Prefijo, spec.consecutivo)
	inv := billing.Invoice{
		Numero: numero, Status: billing.InvoiceIssued, Customer: spec.buyer, Lines: lines,
		Subtotal: totals.Subtotal, Impuestos: totals.Impuestos, Total: totals.Total, Taxes: totals.Taxes,
		Descuentos: spec.descuentos, Cargos: spec.cargos, TotalDescuentos: totals.TotalDescuentos, TotalCargos: totals.TotalCargos,
		Stamp: &billing.Stamp{ResolutionID: res.ID, Consecutivo: spec.consecutivo, IssueDate: testIssueDate, IssueTime: testIssueTime},
	}
	if spec.stored {
		inv.TotalDescuentos, inv.TotalCargos = money.Decimal{}, money.Decimal{}
		for i := range inv.Lines {
			inv.Lines[i].ValorBruto, inv.Lines[i].ValorDescuento = money.Decimal{}, money.Decimal{}
		}
	} else {
		inv.Terms = spec.terms
		if inv.Terms == (billing.PaymentTerms{}) {
			inv.Terms = billing.DefaultPaymentTerms
		}
		issued, err := billing.ParseDate(testIssueDate)
		if err != nil {
			tb.Fatal(err)
		}
		inv.FechaVencimiento = ptr(inv.Terms.DueDate(issued))
	}
	doc := billing.Document{Seller: spec.seller, Resolution: res, Invoice: inv}
	cufe := CUFE(InvoiceCUFEFields(doc, testKey))
	doc.Invoice.Stamp.CUFE = cufe
	doc.Invoice.Stamp.QR = QRText(doc)
	doc.SoftwareSecurityCode = SoftwareSecurityCode(spec.seller.SoftwareID, testPIN, numero)
	doc.QRURL = QRURL(cufe, spec.seller.Ambiente)
	return doc
}

// withDiscountsAndCharges is an invoice with every kind of adjustment: an
// excluded tuition, a uniform at 19 % with a 10 % discount, books at 19 %
// with a discount of an amount, a lunch under INC; a tip (a charge outside
// every base) and a siblings' discount, on credit at 30 days by bank
// transfer.
func withDiscountsAndCharges(tb testing.TB, consecutivo int64) billing.Document {
	return issueInvoice(tb, invoiceSpec{
		consecutivo: consecutivo, seller: seller("ZA"), buyer: parent(),
		lines: []billing.InvoiceLine{
			tuition(),
			discounted(item("Uniforme deportivo talla 10", "2", "100000", "19", billing.SchemeIVA, billing.Gravado), "10"),
			discountedBy(item("Texto guía de inglés", "3", "45000.50", "19", billing.SchemeIVA, billing.Gravado), "1500.50"),
			item("Almuerzo", "1", "20000", "8", billing.SchemeINC, billing.Gravado),
		},
		terms:      billing.PaymentTerms{Forma: billing.Credito, DiasCredito: 30, MedioPago: "42"},
		cargos:     []billing.Adjustment{adjustment("Propina voluntaria", "2000")},
		descuentos: []billing.Adjustment{adjustment("Descuento por hermanos", "50000")},
	})
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
		{
			name:       "line discounts, a tip and a document discount, on credit",
			doc:        withDiscountsAndCharges(tb, 990000008),
			taxSchemes: []string{"01", "04"},
			taxedLines: []bool{false, true, true, true},
		},
		{
			name: "stored before payment terms (no due date)",
			doc: issueInvoice(tb, invoiceSpec{consecutivo: 990000009, seller: seller("01"), buyer: company(), stored: true,
				lines: []billing.InvoiceLine{item("Kit escolar", "1", "50000", "19", billing.SchemeIVA, billing.Gravado)}}),
			taxSchemes: []string{"01"},
			taxedLines: []bool{true},
		},
	}
}

// The credit notes' issue date and time, a week after the invoices'.
const (
	testNoteDate = "2026-02-10"
	testNoteTime = "09:30:00-05:00"
)

// noteResolution is a tenant's NOTA_CREDITO numbering: consecutive numbers
// of its own, without a DIAN range or a technical key (FISCAL.md §3).
func noteResolution() billing.NumberingResolution {
	return billing.NumberingResolution{ID: uuid.MustParse("0190a1b2-0000-7000-8000-000000000002"),
		TipoDocumento: billing.KindNotaCredito, Prefijo: "NC", Desde: 1, Hasta: 99999999, Activa: true}
}

// groupsOf is an invoice's tax groups with nothing credited yet.
func groupsOf(inv billing.Invoice) []billing.CreditedGroup {
	groups := make([]billing.CreditedGroup, len(inv.Taxes))
	for i, g := range inv.Taxes {
		groups[i] = billing.CreditedGroup{TaxGroup: g, BaseAcreditada: money.New(0, -2), ValorAcreditado: money.New(0, -2)}
	}
	return groups
}

// units credits q units of the invoice's line i.
func units(inv billing.Document, i int, q string) billing.CreditRequest {
	return billing.CreditRequest{ItemID: inv.Invoice.Lines[i].ID, Cantidad: ptr(money.Must(q))}
}

// value credits an amount of the invoice's line i (concepts 3–6).
func value(inv billing.Document, i int, v string) billing.CreditRequest {
	return billing.CreditRequest{ItemID: inv.Invoice.Lines[i].ID, Valor: ptr(money.Must(v))}
}

// creditNote issues note NC<consecutivo> of concept c against the invoice
// (whose lines and groups carry what earlier notes took) the way issuing
// will: the figures by billing.ComputeCredit, then the CUDE over the
// document itself, the QR, the security code and the lookup URL.
func creditNote(tb testing.TB, inv billing.Document, groups []billing.CreditedGroup, consecutivo int64, c billing.CreditConcept,
	motivo string, reqs ...billing.CreditRequest) billing.CreditNoteDocument {
	tb.Helper()
	credit, err := billing.ComputeCredit(c, inv.Invoice, groups, reqs)
	if err != nil {
		tb.Fatalf("ComputeCredit: %v", err)
	}
	res := noteResolution()
	numero := Numero(res.Prefijo, consecutivo)
	doc := billing.CreditNoteDocument{
		Seller:     inv.Seller,
		Resolution: res,
		Note: billing.CreditNote{
			ID: uuid.MustParse(fmt.Sprintf("0190a1b2-0000-7000-8002-%012d", consecutivo)), InvoiceID: inv.Invoice.ID,
			Numero: numero, ResolutionID: res.ID, Consecutivo: consecutivo, Concepto: c, Motivo: motivo,
			IssueDate: testNoteDate, IssueTime: testNoteTime, Credit: credit, Actor: "tesoreria@colegio.example",
		},
		Invoice: billing.InvoiceReference{ID: inv.Invoice.ID, Numero: inv.Invoice.Numero, CUFE: inv.Invoice.Stamp.CUFE,
			IssueDate: inv.Invoice.Stamp.IssueDate},
		Buyer: inv.Invoice.Customer,
	}
	doc.Note.CUDE = CUFE(CreditNoteCUDEFields(doc, testPIN))
	doc.Note.QR = CreditNoteQRText(doc)
	doc.SoftwareSecurityCode = SoftwareSecurityCode(inv.Seller.SoftwareID, testPIN, numero)
	doc.QRURL = QRURL(doc.Note.CUDE, inv.Seller.Ambiente)
	return doc
}

// credited records a note on its invoice and the invoice's groups as the
// ledger does, for the note that follows it.
func credited(inv billing.Document, groups []billing.CreditedGroup, note billing.CreditNote) (billing.Document, []billing.CreditedGroup) {
	inv.Invoice.Lines = append([]billing.InvoiceLine(nil), inv.Invoice.Lines...)
	for _, nl := range note.Lines {
		l := &inv.Invoice.Lines[nl.Position-1]
		l.CantidadAcreditada = l.CantidadAcreditada.Add(nl.Cantidad).Rescale(3)
		l.ValorAcreditado = l.ValorAcreditado.Add(nl.Subtotal).Rescale(2)
	}
	inv.Invoice.Acreditado = inv.Invoice.Acreditado.Add(note.Total).Rescale(2)
	groups = append([]billing.CreditedGroup(nil), groups...)
	for _, t := range note.Taxes {
		for i := range groups {
			if schemeOf(groups[i].Tributo) == schemeOf(t.Tributo) && groups[i].Tarifa.Cmp(t.Tarifa) == 0 {
				groups[i].BaseAcreditada = groups[i].BaseAcreditada.Add(t.Base)
				groups[i].ValorAcreditado = groups[i].ValorAcreditado.Add(t.Valor)
			}
		}
	}
	return inv, groups
}

// noteCase is one of the credit notes every note test renders.
type noteCase struct {
	name string
	doc  billing.CreditNoteDocument
	// taxSchemes are the document TaxTotals' schemes, in order.
	taxSchemes []string
	// monetary is LegalMonetaryTotal as written.
	monetary readMonetary
	// allowances are the document-level AllowanceCharges' indicator,
	// reason and amount ("true Cargos de la factura 2000.00").
	allowances []string
	// lines are, per line, CreditedQuantity, PriceAmount,
	// LineExtensionAmount, the line TaxTotal's amount ("" for none) and its
	// AllowanceCharge's amount ("" for none).
	lines [][5]string
}

// noteCases are a note of every concept, 1 to 6, against an invoice with
// line discounts, an excluded line, a tip and a document discount (the
// sixth closing it after the first), and an anulación of a restaurant's
// invoice with a tip only.
func noteCases(tb testing.TB) []noteCase {
	inv := withDiscountsAndCharges(tb, 990000050)
	groups := groupsOf(inv.Invoice)
	devolucion := creditNote(tb, inv, groups, 1, billing.ConceptDevolucion, "Devolución de un uniforme talla 10", units(inv, 1, "1"))
	afterFirst, afterGroups := credited(inv, groups, devolucion.Note)
	restaurant := issueInvoice(tb, invoiceSpec{consecutivo: 990000051, seller: seller("04"), buyer: company(),
		lines:  []billing.InvoiceLine{item("Almuerzo ejecutivo", "2.5", "18000", "8", billing.SchemeINC, billing.Gravado)},
		cargos: []billing.Adjustment{adjustment("Propina voluntaria", "4500")}})
	return []noteCase{
		{
			name: "1 devolución parcial of a discounted line", doc: devolucion, taxSchemes: []string{"01"},
			monetary: readMonetary{LineExtension: "90000.00", TaxExclusive: "90000.00", TaxInclusive: "107100.00",
				AllowanceTotal: "0.00", ChargeTotal: "0.00", Payable: "107100.00"},
			// One uniform of 100 000 less its 10 % discount.
			lines: [][5]string{{"1.000", "100000.00", "90000.00", "17100.00", "10000.00"}},
		},
		{
			name:       "2 anulación: closes with the tip and the discount",
			doc:        creditNote(tb, inv, groups, 2, billing.ConceptAnulacion, "Anulación: factura emitida al acudiente equivocado"),
			taxSchemes: []string{"01", "04"},
			monetary: readMonetary{LineExtension: "1533501.00", TaxExclusive: "333501.00", TaxInclusive: "1594666.19",
				AllowanceTotal: "50000.00", ChargeTotal: "2000.00", Payable: "1546666.19"},
			allowances: []string{"true Cargos de la factura 2000.00", "false Descuentos de la factura 50000.00"},
			lines: [][5]string{
				{"1.000", "1200000.00", "1200000.00", "", ""},
				{"2.000", "100000.00", "180000.00", "34200.00", "20000.00"},
				{"3.000", "45000.50", "133501.00", "25365.19", "1500.50"},
				{"1.000", "20000.00", "20000.00", "1600.00", ""},
			},
		},
		{
			name: "3 rebaja of an excluded line's value",
			doc:  creditNote(tb, inv, groups, 3, billing.ConceptRebaja, "Beca parcial de febrero", value(inv, 0, "100000")),
			monetary: readMonetary{LineExtension: "100000.00", TaxExclusive: "0.00", TaxInclusive: "100000.00",
				AllowanceTotal: "0.00", ChargeTotal: "0.00", Payable: "100000.00"},
			lines: [][5]string{{"1.000", "100000.00", "100000.00", "", ""}},
		},
		{
			name:       "4 ajuste de precio of a taxed line's value",
			doc:        creditNote(tb, inv, groups, 4, billing.ConceptAjustePrecio, "Precio del texto corregido", value(inv, 2, "10000")),
			taxSchemes: []string{"01"},
			monetary: readMonetary{LineExtension: "10000.00", TaxExclusive: "10000.00", TaxInclusive: "11900.00",
				AllowanceTotal: "0.00", ChargeTotal: "0.00", Payable: "11900.00"},
			lines: [][5]string{{"1.000", "10000.00", "10000.00", "1900.00", ""}},
		},
		{
			name:       "5 pronto pago on two schemes, no motivo",
			doc:        creditNote(tb, inv, groups, 5, billing.ConceptProntoPago, "", value(inv, 1, "9000"), value(inv, 3, "1000")),
			taxSchemes: []string{"01", "04"},
			monetary: readMonetary{LineExtension: "10000.00", TaxExclusive: "10000.00", TaxInclusive: "11790.00",
				AllowanceTotal: "0.00", ChargeTotal: "0.00", Payable: "11790.00"},
			lines: [][5]string{{"1.000", "9000.00", "9000.00", "1710.00", ""}, {"1.000", "1000.00", "1000.00", "80.00", ""}},
		},
		{
			name: "6 volumen: the rest, closing after the devolución",
			doc: creditNote(tb, afterFirst, afterGroups, 6, billing.ConceptVolumen, "Descuento por volumen: cierre de la factura",
				units(afterFirst, 0, "1"), units(afterFirst, 1, "1"), units(afterFirst, 2, "3"), units(afterFirst, 3, "1")),
			taxSchemes: []string{"01", "04"},
			// The invoice less the first note: 1 533 501 − 90 000, IVA
			// 59 565.19 − 17 100, the tip and the discount whole.
			monetary: readMonetary{LineExtension: "1443501.00", TaxExclusive: "243501.00", TaxInclusive: "1487566.19",
				AllowanceTotal: "50000.00", ChargeTotal: "2000.00", Payable: "1439566.19"},
			allowances: []string{"true Cargos de la factura 2000.00", "false Descuentos de la factura 50000.00"},
			lines: [][5]string{
				{"1.000", "1200000.00", "1200000.00", "", ""},
				{"1.000", "100000.00", "90000.00", "17100.00", "10000.00"},
				{"3.000", "45000.50", "133501.00", "25365.19", "1500.50"},
				{"1.000", "20000.00", "20000.00", "1600.00", ""},
			},
		},
		{
			name:       "2 anulación of a restaurant's invoice with a tip only",
			doc:        creditNote(tb, restaurant, groupsOf(restaurant.Invoice), 7, billing.ConceptAnulacion, "Anulación de la cuenta de la mesa 4"),
			taxSchemes: []string{"04"},
			monetary: readMonetary{LineExtension: "45000.00", TaxExclusive: "45000.00", TaxInclusive: "48600.00",
				AllowanceTotal: "0.00", ChargeTotal: "4500.00", Payable: "53100.00"},
			allowances: []string{"true Cargos de la factura 4500.00"},
			lines:      [][5]string{{"2.500", "18000.00", "45000.00", "3600.00", ""}},
		},
	}
}
