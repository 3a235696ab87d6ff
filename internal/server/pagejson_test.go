package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"billing/gen/api"
	"billing/internal/money"
)

// FuzzInvoiceSummaryJSON holds the hand-written page encoder to
// encoding/json: for any summary, appendInvoiceSummary writes exactly what
// encoding/json writes for the generated api.InvoiceSummary.
func FuzzInvoiceSummaryJSON(f *testing.F) {
	f.Add("FV-0001", "900123456-7", "Colegio Bolívar S.A.S.", "ISSUED", "985000.00", "187150.00", "1172150.00", int64(1_764_000_000_123_456_789), 3, true, false, []byte{1, 2})
	f.Add("<a&b>", "\u2028\u2029", "\x00\x1f\"\\\b\f\n\r\t\x7f", "DRAFT", "0.00", "-0.01", "99999999999999999.99", int64(0), 0, false, true, []byte{})
	f.Add("\xff\xfe", "ñ\xc3", "emoji 🧾 bidi \u202e", "CANCELLED", "1e-2", "12.5", "3", int64(-62135596800_000_000_0), 1000, true, true, []byte{0xff})
	f.Fuzz(func(t *testing.T, numero, nit, razon, status, sub, tax, total string, nanos int64, items int, issued, cancelled bool, id []byte) {
		amount := func(s string) money.Decimal {
			d, err := money.Parse(s)
			if err != nil {
				t.Skip()
			}
			return d
		}
		at := time.Unix(0, nanos).UTC()
		if at.Year() < 0 || at.Year() > 9999 {
			t.Skip()
		}
		// Three different ids, so that writing one in another's place shows.
		var u, customer uuid.UUID
		copy(u[:], id)
		for i := range customer {
			customer[i] = u[i] ^ 0x5a
		}
		s := api.InvoiceSummary{
			ID: u, CustomerID: customer, Numero: optionalNumero(numero), Status: api.InvoiceStatus(status),
			Customer: api.CustomerRef{ID: uuid.Must(uuid.NewV7()), Nit: nit, RazonSocial: razon}, ItemCount: items,
			Subtotal: amount(sub), Impuestos: amount(tax), Total: amount(total),
			CreatedAt: at, UpdatedAt: at.Add(time.Duration(items) * time.Millisecond),
		}
		if issued {
			s.IssuedAt = &at
		}
		if cancelled {
			in := time.Date(2026, 11, 21, 1, 2, 3, 0, time.FixedZone("COT", -5*3600))
			s.CancelledAt = &in
		}
		page := []api.InvoiceSummary{s, s}
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(page); err != nil {
			t.Skip() // encoding/json refuses it too
		}
		rec := httptest.NewRecorder()
		link := `</billing/invoices?cursor=x>; rel="next"`
		if err := (invoicePage{Body: page, Headers: api.ListInvoices200ResponseHeaders{Link: &link}}).VisitListInvoicesResponse(rec); err != nil {
			t.Fatal(err)
		}
		if got := rec.Body.String(); got != want.String() {
			t.Fatalf("hand-written page differs from encoding/json:\n got %s\nwant %s", got, want.String())
		}
		if rec.Header().Get("Content-Type") != "application/json" || rec.Header().Get("Link") != link || rec.Code != 200 {
			t.Fatalf("headers %v, status %d", rec.Header(), rec.Code)
		}
	})
}

// TestInvoiceSummaryEveryField fills every field of the generated
// api.InvoiceSummary by reflection (pointers set, strings, numbers, times and
// ids all distinct) and requires the hand-written encoder to write exactly
// what encoding/json writes. A field added to the spec is filled too, so an
// encoder that forgets it fails here, whatever the fuzz target's corpus holds.
func TestInvoiceSummaryEveryField(t *testing.T) {
	var s api.InvoiceSummary
	seed := 1
	fillValue(t, reflect.ValueOf(&s).Elem(), &seed, "InvoiceSummary")
	want, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	if err := json.Unmarshal(want, &keys); err != nil {
		t.Fatal(err)
	}
	if n := reflect.TypeOf(s).NumField(); len(keys) != n {
		t.Fatalf("encoding/json wrote %d of %d fields: the filler left some empty: %s", len(keys), n, want)
	}
	got := appendInvoiceSummary(nil, &s)
	if string(got) != string(want) {
		t.Fatalf("hand-written encoder differs from encoding/json:\n got %s\nwant %s", got, want)
	}
}

// fillValue sets v, and everything under it, to non-zero values that differ
// from each other.
func fillValue(t *testing.T, v reflect.Value, seed *int, path string) {
	t.Helper()
	*seed++
	n := *seed
	switch v.Type() {
	case reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, n*1000, time.UTC).Add(time.Duration(n) * time.Hour)))
		return
	case reflect.TypeFor[money.Decimal]():
		v.Set(reflect.ValueOf(money.New(int64(n)*10001, -2)))
		return
	case reflect.TypeFor[uuid.UUID]():
		var u uuid.UUID
		for i := range u {
			u[i] = byte(n*16 + i)
		}
		v.Set(reflect.ValueOf(u))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				t.Fatalf("%s.%s: a type with unexported fields the filler does not know (%s); teach fillValue", path, f.Name, v.Type())
			}
			fillValue(t, v.Field(i), seed, path+"."+f.Name)
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillValue(t, v.Elem(), seed, path)
	case reflect.String:
		v.SetString(fmt.Sprintf("%s-%d <&>", path, n))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Map:
		// nullable.Nullable[T]: set to a value (map[true]T).
		m := reflect.MakeMap(v.Type())
		elem := reflect.New(v.Type().Elem()).Elem()
		fillValue(t, elem, seed, path)
		m.SetMapIndex(reflect.ValueOf(true), elem)
		v.Set(m)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := 0; i < 2; i++ {
			fillValue(t, v.Index(i), seed, fmt.Sprintf("%s[%d]", path, i))
		}
	default:
		t.Fatalf("%s: fillValue does not know kind %s", path, v.Kind())
	}
}

// TestEmptyInvoicePage: no rows is an empty JSON array, as encoding/json
// writes an empty slice.
func TestEmptyInvoicePage(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := (invoicePage{Body: []api.InvoiceSummary{}}).VisitListInvoicesResponse(rec); err != nil {
		t.Fatal(err)
	}
	if rec.Body.String() != "[]\n" || rec.Header().Get("Link") != "" {
		t.Fatalf("empty page: %q, Link %q", rec.Body.String(), rec.Header().Get("Link"))
	}
}

// optionalNumero leaves an empty numero out, as an e-invoicing tenant's
// draft does, so the fuzzer covers both shapes.
func optionalNumero(n string) *string {
	if n == "" {
		return nil
	}
	return &n
}
