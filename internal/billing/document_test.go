package billing

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestDocumentJSONNames pins the names a Document is stored under: every
// issued invoice keeps its document as this JSON (invoice_stamps.document),
// and its printed form is drawn from it. Renaming a field of these types
// would silently blank it in every stored document; give the field a json
// tag with its old name instead, and extend this list only for new fields.
func TestDocumentJSONNames(t *testing.T) {
	d := Document{Resolution: &NumberingResolution{}, Invoice: Invoice{Stamp: &Stamp{}, Lines: []InvoiceLine{{}}, Taxes: []TaxGroup{{}}}}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var got []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				got = append(got, prefix+k)
				walk(prefix+k+".", e)
			}
		case []any:
			for _, e := range x {
				walk(prefix, e)
			}
		}
	}
	walk("", v)
	sort.Strings(got)
	want := strings.Fields(`Invoice Invoice.CancelledAt Invoice.CreatedAt
		Invoice.Customer Invoice.Customer.CreatedAt Invoice.Customer.Direccion Invoice.Customer.Email Invoice.Customer.ID
		Invoice.Customer.Nit Invoice.Customer.RazonSocial Invoice.Customer.Status Invoice.Customer.Telefono
		Invoice.Customer.TipoIdentificacion Invoice.Customer.TipoPersona Invoice.Customer.UpdatedAt Invoice.ID Invoice.Impuestos
		Invoice.IssuedAt Invoice.Lines Invoice.Lines.Cantidad Invoice.Lines.Descripcion Invoice.Lines.Impuesto
		Invoice.Lines.ProductID Invoice.Lines.Subtotal Invoice.Lines.Tratamiento Invoice.Lines.Tributo Invoice.Lines.ValorUnitario
		Invoice.Numero Invoice.Stamp Invoice.Stamp.CUFE Invoice.Stamp.Consecutivo Invoice.Stamp.IssueDate Invoice.Stamp.IssueTime
		Invoice.Stamp.QR Invoice.Stamp.ResolutionID Invoice.Status Invoice.Subtotal Invoice.Taxes Invoice.Taxes.Base
		Invoice.Taxes.Tarifa Invoice.Taxes.Tributo Invoice.Taxes.Valor Invoice.Total Invoice.UpdatedAt QRURL Resolution
		Resolution.Activa Resolution.ClaveTecnica Resolution.ClaveTecnicaSet Resolution.CreatedAt Resolution.Desde
		Resolution.FechaResolucion Resolution.Hasta Resolution.ID Resolution.NumeroResolucion Resolution.Prefijo
		Resolution.Siguiente Resolution.TipoDocumento Resolution.UpdatedAt Resolution.VigenciaDesde Resolution.VigenciaHasta
		Seller Seller.Ambiente Seller.Ciudad Seller.CreatedAt Seller.Departamento Seller.Direccion Seller.Email Seller.Municipio
		Seller.Nit Seller.NombreComercial Seller.RazonSocial Seller.Responsabilidades Seller.SoftwareID Seller.SoftwarePIN
		Seller.SoftwarePINSet Seller.Telefono Seller.TipoPersona Seller.Tributo Seller.UpdatedAt SoftwareSecurityCode`)
	// Added with payment terms, discounts and credit notes: documents
	// stored before read them as zero (default terms, no discounts).
	want = append(want, strings.Fields(`Invoice.Acreditado Invoice.Cargos Invoice.Descuentos Invoice.FechaVencimiento
		Invoice.Lines.CantidadAcreditada Invoice.Lines.Descuento Invoice.Lines.ID Invoice.Lines.ValorAcreditado
		Invoice.Lines.ValorBruto Invoice.Lines.ValorDescuento Invoice.Pagado Invoice.Terms Invoice.Terms.DiasCredito
		Invoice.Terms.Forma Invoice.Terms.MedioPago Invoice.TotalCargos Invoice.TotalDescuentos`)...)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Fatalf("a stored document's names changed:\ngot  %v\nwant %v", got, want)
	}
}
