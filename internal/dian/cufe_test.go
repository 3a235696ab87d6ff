package dian

import (
	"strings"
	"testing"

	"billing/internal/billing"
	"billing/internal/money"
)

func TestCUFEAnnexVectors(t *testing.T) {
	tests := []struct {
		name string
		f    CUFEFields
		want string
	}{
		{
			name: "CUFE, Anexo 1.9 §11.2.1",
			f: CUFEFields{
				NumFac: "323200000129", FecFac: "2019-01-16", HorFac: "10:53:10-05:00",
				ValFac: money.Must("1500000.00"), ValIVA: money.Must("285000.00"), ValINC: money.Must("0.00"), ValICA: money.Must("0.00"),
				ValTot: money.Must("1785000.00"), NitOFE: "700085371", NumAdq: "800199436",
				Key: "693ff6f2a553c3646a063436fd4dd9ded0311471", TipoAmbiente: "1",
			},
			want: "8bb918b19ba22a694f1da11c643b5e9de39adf60311cf179179e9b33381030bcd4c3c3f156c506ed5908f9276f5bd9b4",
		},
		{
			name: "CUDE, software PIN as the key",
			f: CUFEFields{
				NumFac: "8110007871", FecFac: "2019-01-12", HorFac: "07:00:00-05:00",
				ValFac: money.Must("5000.00"), ValIVA: money.Must("950.00"), ValINC: money.Must("0"), ValICA: money.Decimal{},
				ValTot: money.Must("5950.00"), NitOFE: "900373076", NumAdq: "8355990", Key: "12301", TipoAmbiente: "1",
			},
			want: "907e4444decc9e59c160a2fb3b6659b33dc5b632a5008922b9a62f83f757b1c448e47f5867f2b50dbdb96f48c7681168",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CUFE(tt.f); got != tt.want {
				t.Errorf("CUFE = %s\nwant   %s\nhashed %q", got, tt.want, tt.f.String())
			}
		})
	}
}

func TestSoftwareSecurityCode(t *testing.T) {
	const want = "ef061d791ea17f22a34df2d5d18726509bcbe69139a7527a7e3d94c5d534899d5ff886f5a360c0fe87a71d600b67e3eb"
	if got := SoftwareSecurityCode("abc", "12345", "SETP990000001"); got != want {
		t.Errorf("SoftwareSecurityCode = %s, want %s", got, want)
	}
}

func TestCUFEFieldsStringTruncates(t *testing.T) {
	base := func(valFac, valIVA, valTot string) CUFEFields {
		return CUFEFields{
			NumFac: "SETP990000001", FecFac: "2026-02-02", HorFac: "08:00:00-05:00",
			ValFac: money.Must(valFac), ValIVA: money.Must(valIVA), ValTot: money.Must(valTot),
			NitOFE: "900123456", NumAdq: "1020304050", Key: "k", TipoAmbiente: "2",
		}
	}
	const head, tail = "SETP9900000012026-02-0208:00:00-05:00", "9001234561020304050k2"
	tests := []struct {
		name string
		f    CUFEFields
		want string // between head and tail
	}{
		{"half a cent is dropped, not rounded", base("1785000.005", "0", "1785000.005"), "1785000.00010.00040.00030.001785000.00"},
		{"0.999 truncates to 0.99", base("0.999", "0.999", "1.998"), "0.99010.99040.00030.001.99"},
		{"an integer gets two decimals", base("10", "1.9", "11.9"), "10.00011.90040.00030.0011.90"},
		{"two decimals stay as they are", base("1500000.00", "285000.00", "1785000.00"), "1500000.0001285000.00040.00030.001785000.00"},
		{"zero values of absent taxes", CUFEFields{NumFac: "SETP990000001", FecFac: "2026-02-02", HorFac: "08:00:00-05:00",
			NitOFE: "900123456", NumAdq: "1020304050", Key: "k", TipoAmbiente: "2"}, "0.00010.00040.00030.000.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := tt.f.String(), head+tt.want+tail; got != want {
				t.Errorf("String() = %q\nwant       %q", got, want)
			}
		})
	}
}

func TestInvoiceCUFEFields(t *testing.T) {
	mixed := issue(t, 990000010, seller("ZA"), company(),
		tuition(),
		item("Uniforme", "1", "100000", "19", billing.SchemeIVA, billing.Gravado),
		item("Agenda", "2", "10000", "5", billing.SchemeIVA, billing.Gravado),
		item("Almuerzo", "1", "20000", "8", billing.SchemeINC, billing.Gravado))
	got := InvoiceCUFEFields(mixed, testKey)
	want := CUFEFields{
		NumFac: "SETP990000010", FecFac: testIssueDate, HorFac: testIssueTime,
		ValFac: money.Must("1340000.00"), ValIVA: money.Must("20000.00"), ValINC: money.Must("1600.00"), ValICA: money.Must("0.00"),
		ValTot: money.Must("1361600.00"), NitOFE: testSellerNIT, NumAdq: "890903938", Key: testKey, TipoAmbiente: "2",
	}
	if got.String() != want.String() {
		t.Errorf("InvoiceCUFEFields:\n got %s\nwant %s", got, want)
	}
	if mixed.Invoice.Stamp.CUFE != CUFE(want) {
		t.Errorf("the document's CUFE is not the CUFE of its fields")
	}

	production := mixed
	production.Seller.Ambiente = billing.AmbienteProduccion
	if f := InvoiceCUFEFields(production, testKey); f.TipoAmbiente != "1" {
		t.Errorf("TipoAmbiente in production = %q, want 1", f.TipoAmbiente)
	}

	unstamped := mixed
	unstamped.Invoice.Stamp = nil
	if f := InvoiceCUFEFields(unstamped, testKey); f.FecFac != "" || f.HorFac != "" || !strings.HasPrefix(f.String(), "SETP990000010"+"1340000.00") {
		t.Errorf("without a stamp: %q", f.String())
	}
}

func BenchmarkCUFE(b *testing.B) {
	f := CUFEFields{
		NumFac: "SETP990000001", FecFac: testIssueDate, HorFac: testIssueTime,
		ValFac: money.Must("1300000.00"), ValIVA: money.Must("19000.00"), ValINC: money.Must("0.00"), ValICA: money.Must("0.00"),
		ValTot: money.Must("1319000.00"), NitOFE: testSellerNIT, NumAdq: "1020304050", Key: testKey, TipoAmbiente: "2",
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = CUFE(f)
	}
}
