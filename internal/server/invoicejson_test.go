package server

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/oapi-codegen/nullable"

	"billing/gen/api"
)

// TestInvoiceJSONEveryField requires the hand-written invoice encoders to
// write exactly what the generated responses' json.Encoder writes: every
// field filled by reflection (so a field the spec adds is filled too, and an
// encoder that forgets it fails here), the zero values (nil lists are null,
// unset nullables ""), and nullables set to null beside empty lists.
func TestInvoiceJSONEveryField(t *testing.T) {
	var inv api.Invoice
	var detail api.InvoiceDetail
	seed := 1
	fillValue(t, reflect.ValueOf(&inv).Elem(), &seed, "Invoice")
	fillValue(t, reflect.ValueOf(&detail).Elem(), &seed, "InvoiceDetail")
	nulls := api.InvoiceDetail{Cufe: nullable.NewNullNullable[string](), Qr: nullable.NewNullNullable[string](),
		Cargos: []api.Adjustment{}, Descuentos: []api.Adjustment{}, Items: []api.InvoiceItem{}, ImpuestosDetalle: []api.TaxDetail{},
		Einvoice: &api.EInvoiceStatus{Estado: "PENDIENTE"}}
	tests := []struct {
		name   string
		v      any
		got    []byte
		fields int // top-level keys encoding/json must write, or 0 when some are omitted
	}{
		{"invoice, every field", inv, invoiceJSON(&inv), reflect.TypeOf(inv).NumField()},
		{"detail, every field", detail, invoiceDetailJSON(&detail), reflect.TypeOf(detail).NumField()},
		{"invoice, zero", api.Invoice{}, invoiceJSON(&api.Invoice{}), 0},
		{"detail, zero", api.InvoiceDetail{}, invoiceDetailJSON(&api.InvoiceDetail{}), 0},
		{"detail, nulls and empty lists", nulls, invoiceDetailJSON(&nulls), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want bytes.Buffer
			if err := json.NewEncoder(&want).Encode(tt.v); err != nil {
				t.Fatal(err)
			}
			if tt.fields > 0 {
				var keys map[string]any
				if err := json.Unmarshal(want.Bytes(), &keys); err != nil {
					t.Fatal(err)
				}
				if len(keys) != tt.fields {
					t.Fatalf("encoding/json wrote %d of %d fields: the filler left some empty: %s", len(keys), tt.fields, want.Bytes())
				}
			}
			if string(tt.got) != want.String() {
				t.Fatalf("hand-written encoder differs from encoding/json:\n got %s\nwant %s", tt.got, want.Bytes())
			}
		})
	}
}

// TestDashboardJSON: the hand-written dashboard is encoding/json's, every
// field filled and all zero.
func TestDashboardJSON(t *testing.T) {
	var full api.Dashboard
	seed := 1
	fillValue(t, reflect.ValueOf(&full).Elem(), &seed, "Dashboard")
	for _, d := range []api.Dashboard{full, {}} {
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(d); err != nil {
			t.Fatal(err)
		}
		if got := dashboardJSON(&d); string(got) != want.String() {
			t.Fatalf("hand-written dashboard differs from encoding/json:\n got %s\nwant %s", got, want.Bytes())
		}
	}
}
