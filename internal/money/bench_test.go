package money

import (
	"encoding/json"
	"testing"
)

func BenchmarkDecimalUnmarshalJSON(b *testing.B) {
	in := []byte("9999999999999.99")
	b.ReportAllocs()
	for b.Loop() {
		var d Decimal
		if err := json.Unmarshal(in, &d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecimalMarshalJSON(b *testing.B) {
	d := Must("1172150.00")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(d); err != nil {
			b.Fatal(err)
		}
	}
}
