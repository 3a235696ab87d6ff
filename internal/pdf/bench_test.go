package pdf

import "testing"

// BenchmarkInvoice renders the school's electronic invoice (two lines, the
// QR) and a 120-line one; B/pdf is the size of one PDF.
func BenchmarkInvoice(b *testing.B) {
	for _, bc := range []struct {
		name  string
		lines []testLine
	}{
		{"2 lines", schoolLines},
		{"120 lines", manyLines(120)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			doc := electronicDoc(b, bc.lines)
			b.ReportAllocs()
			var size int
			for b.Loop() {
				out, err := Invoice(doc)
				if err != nil {
					b.Fatal(err)
				}
				size = len(out)
			}
			b.ReportMetric(float64(size), "B/pdf")
		})
	}
}
