package money

import (
	"encoding/json"
	"testing"
)

// FuzzDecimalJSON: any input either fails to decode or round-trips exactly,
// and never panics.
func FuzzDecimalJSON(f *testing.F) {
	for _, seed := range []string{"0", "985000", "1172150.00", "0.001", "-1", "1e3", "1E-7", "12345678901234567890.123456789", `"1"`, "null", "[]", "1.", ".5", "00", "-0.0"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var d Decimal
		if err := json.Unmarshal(in, &d); err != nil {
			return
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("marshal %s: %v", in, err)
		}
		var back Decimal
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("re-decoding %s (from %s): %v", out, in, err)
		}
		if back.Cmp(d) != 0 || back.String() != d.String() {
			t.Fatalf("%s → %s → %s", in, d, back)
		}
		if c := FromBigInt(d.Coefficient()); c.String() != d.String() {
			t.Fatalf("coefficient round trip of %s gave %s", d, c)
		}
	})
}
