package billing

import (
	"testing"
)

func BenchmarkComputeTotals3Lines(b *testing.B) {
	lines := []Line{line("1", "850000", "19"), line("3", "45000", "19"), line("0.5", "12345.67", "5")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ComputeTotals(lines, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkComputeTotals1000Lines(b *testing.B) {
	lines := repeat(1000, line("2.5", "1234.56", "19"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ComputeTotals(lines, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}
