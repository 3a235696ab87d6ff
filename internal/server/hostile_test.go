package server_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"billing/internal/auth"
)

// checkHostileAnswer fails on a 5xx, or on a refusal that is not problem+json.
func checkHostileAnswer(t testing.TB, what string, r response) {
	t.Helper()
	if r.Status >= 500 {
		t.Fatalf("%s: %d %.300s", what, r.Status, r.Body)
	}
	if r.Status >= 400 && r.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("%s: %d without problem+json: %.300s", what, r.Status, r.Body)
	}
}

// FuzzCreateInvoiceBody throws arbitrary bodies at the whole request path
// (validation, decoding, exact decimals, the calculator, the database):
// never a 5xx, always problem+json when refused.
func FuzzCreateInvoiceBody(f *testing.F) {
	e := newEnv(f)
	l := &ledger{e: e, tenant: e.tenant("A")}
	l.admin = e.token(l.tenant, auth.RoleAdmin)
	cust := createCustomerTB(f, e, l.admin)
	for _, seed := range []string{
		`{"customerId":"` + cust + `","numero":"FV-1","items":[{"descripcion":"x","cantidad":1,"valorUnitario":850000}]}`,
		`{"customerId":"` + cust + `","numero":"FV-2","items":[{"descripcion":"x","cantidad":0.001,"valorUnitario":9999999999999.99,"impuesto":100}]}`,
		`{"customerId":"` + cust + `","numero":"FV-3","items":[{"descripcion":"x","cantidad":1e2,"valorUnitario":1E-2}]}`,
		`{"customerId":"` + cust + `","numero":"FV-4","items":[{"descripcion":"x","cantidad":-0,"valorUnitario":1}]}`,
		`{"customerId":"` + cust + `","numero":"\u0000","items":[]}`,
		`{"items":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}`,
		`{"customerId":"` + cust + `","numero":"FV-5","items":[{"descripcion":"x","cantidad":1,"valorUnitario":1e999999999}]}`,
		`{`, `null`, `[]`, `"x"`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		local := *e
		local.t = t
		r := local.do(http.MethodPost, "/billing/invoices", l.admin, string(body))
		checkHostileAnswer(t, fmt.Sprintf("POST %.200q", body), r)
	})
}

func createCustomerTB(t testing.TB, e *env, token string) string {
	r := e.do(http.MethodPost, "/billing/customers", token, seedCustomer)
	if r.Status != http.StatusCreated {
		t.Fatalf("creating customer: %d %s", r.Status, r.Body)
	}
	return decodeTB[struct{ ID string }](t, r).ID
}

// TestHostileInput sends a few thousand malformed, oversized, wrongly typed,
// deeply nested and unicode-heavy bodies, headers and query strings to every
// endpoint: never a 5xx, problem+json on every refusal, and the tenant's
// data unchanged.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant := e.tenant("A")
	f := newFixture(t, e, tenant)
	admin := e.token(tenant, auth.RoleAdmin)
	before := snapshot(t, e, tenant, f)
	rng := rand.New(rand.NewPCG(1, 2))

	junkStrings := []string{
		"", " ", "\u0000", "\u202e\u200b", strings.Repeat("ñ", 5000), strings.Repeat("🧾", 300), "' OR 1=1 --",
		"%", "_", "\\", "\"", "null", "<script>", strings.Repeat("a", 70000), "Ω≈ç√∫˜µ≤≥÷", "\xff\xfe",
	}
	junkValues := []string{
		`null`, `true`, `-1`, `0`, `1e309`, `-1e309`, `1e-400`, `123456789012345678901234567890`, `0.0000001`,
		`"1"`, `[]`, `{}`, `[null]`, `{"a":{"b":{"c":{}}}}`, `"` + strings.Repeat("x", 1000) + `"`,
		strings.Repeat("[", 20000) + strings.Repeat("]", 20000), `"\ud800"`, `1.5e3`, `-0`,
	}
	fields := []string{"razonSocial", "nit", "email", "status", "nombre", "precio", "impuesto", "activo",
		"customerId", "numero", "items", "cantidad", "valorUnitario", "productServiceId", "descripcion", "total"}
	randomBody := func() string {
		switch rng.IntN(6) {
		case 0: // truncated or broken JSON
			b := `{"` + fields[rng.IntN(len(fields))] + `":` + junkValues[rng.IntN(len(junkValues))]
			return b[:rng.IntN(len(b)+1)]
		case 1: // a junk value at the top
			return junkValues[rng.IntN(len(junkValues))]
		case 2: // an object of junk fields, with an unknown one so it can never be valid
			var parts []string
			for i := 0; i < 1+rng.IntN(4); i++ {
				v := junkValues[rng.IntN(len(junkValues))]
				if rng.IntN(2) == 0 {
					v = fmt.Sprintf("%q", junkStrings[rng.IntN(len(junkStrings))])
				}
				parts = append(parts, fmt.Sprintf("%q:%s", fields[rng.IntN(len(fields))], v))
			}
			parts = append(parts, `"zz_unknown":1`)
			return "{" + strings.Join(parts, ",") + "}"
		case 3: // items of junk
			return fmt.Sprintf(`{"customerId":%q,"numero":%q,"items":[{"cantidad":%s,"valorUnitario":%s,"descripcion":%q,"zz":1}]}`,
				f.customer, junkStrings[rng.IntN(len(junkStrings))], junkValues[rng.IntN(len(junkValues))],
				junkValues[rng.IntN(len(junkValues))], junkStrings[rng.IntN(len(junkStrings))])
		case 4: // invalid UTF-8 and control bytes
			return "{\"nombre\":\"\xc3\x28\x00\",\"precio\":1,\"zz\":1}"
		default: // not JSON at all
			return junkStrings[rng.IntN(len(junkStrings))]
		}
	}
	// Bodies shaped right, so they pass the schema and reach the handlers,
	// but always wrong there: a quantity with too many decimals, or a NIT
	// whose check digit is off, with odd but schema-valid text elsewhere.
	oddTexts := []string{"x", "\u00a0", "\u3000", "\u202e\u200b", "Ω≈ç√∫˜µ≤≥÷", "🧾🧾", "' OR 1=1 --", "%_\\", "<script>"}
	fourDecimals := []string{`1.0005`, `2.1234`, `0.0015`, `999.9999`, `1.00005e1`}
	prices := []string{`0`, `1`, `0.5`, `45000`, `9999999999999.99`, `1e3`}
	deepBody := func(path string) string {
		odd := func() string { return `"` + oddTexts[rng.IntN(len(oddTexts))] + `"` }
		switch path {
		case "/billing/invoices":
			return fmt.Sprintf(`{"customerId":%q,"numero":"FV-%d","items":[{"descripcion":%s,"cantidad":%s,"valorUnitario":%s}]}`,
				f.customer, rng.IntN(1000), odd(), fourDecimals[rng.IntN(len(fourDecimals))], prices[rng.IntN(len(prices))])
		case "/billing/customers":
			return fmt.Sprintf(`{"razonSocial":%s,"nit":"900123456-%d"}`, odd(), rng.IntN(8))
		}
		return randomBody()
	}
	randomQuery := func() string {
		keys := []string{"search", "limit", "cursor", "status", "zz"}
		q := url.Values{}
		for i := 0; i < 1+rng.IntN(3); i++ {
			v := junkStrings[rng.IntN(len(junkStrings))]
			if rng.IntN(3) == 0 {
				v = junkValues[rng.IntN(len(junkValues))]
			}
			q.Add(keys[rng.IntN(len(keys))], v)
		}
		return q.Encode()
	}
	tokens := []string{admin, "", "x", strings.Repeat("A", 5000), admin[:len(admin)-3] + "abc", "Bearer " + admin}
	targets := []struct{ method, path string }{}
	for _, op := range operations {
		targets = append(targets, struct{ method, path string }{op.method, op.path(f)})
	}
	targets = append(targets,
		struct{ method, path string }{http.MethodGet, "/billing/customers/" + url.PathEscape(strings.Repeat("ñ", 50))},
		struct{ method, path string }{http.MethodGet, "/billing/invoices/00000000-0000-0000-0000-000000000000"},
		struct{ method, path string }{http.MethodPatch, "/billing/invoices/" + f.invoice + "/status"},
	)

	const rounds = 3000
	reachedHandlers := 0 // refusals only a handler (not the schema) can give
	for i := 0; i < rounds; i++ {
		tg := targets[rng.IntN(len(targets))]
		path := tg.path
		if rng.IntN(3) == 0 {
			path += "?" + randomQuery()
		}
		var body any
		switch {
		case tg.method == http.MethodPost && rng.IntN(2) == 0:
			body = deepBody(tg.path)
		case tg.method != http.MethodGet && tg.method != http.MethodDelete || rng.IntN(5) == 0:
			body = randomBody()
		}
		tok := admin
		if rng.IntN(8) == 0 {
			tok = tokens[rng.IntN(len(tokens))]
		}
		headers := []string{}
		if rng.IntN(6) == 0 {
			headers = append(headers, "Idempotency-Key", junkStrings[rng.IntN(len(junkStrings))])
		}
		if rng.IntN(6) == 0 {
			headers = append(headers, "X-Request-Id", junkStrings[rng.IntN(len(junkStrings))])
		}
		if tg.method == http.MethodDelete {
			// The fixture's customer has an invoice, so a DELETE can only be
			// refused; keep it, but never with a valid empty body.
			body = nil
		}
		r := e.do(tg.method, path, tok, body, headers...)
		what := fmt.Sprintf("#%d %s %.200s", i, tg.method, path)
		checkHostileAnswer(t, what, r)
		// A junk POST or PUT is always refused; a PATCH of junk such as {}
		// may be a valid no-op, which the final snapshot checks.
		if strings.Contains(string(r.Body), `"nit_check_digit_invalid"`) || strings.Contains(string(r.Body), `"body.items.0.cantidad","message":"must have`) ||
			strings.Contains(string(r.Body), `"message":"must not be blank"`) {
			reachedHandlers++
		}
		if r.Status < 300 && (tg.method == http.MethodPost || tg.method == http.MethodPut) {
			t.Fatalf("%s accepted junk %.200v: %d %.300s", what, body, r.Status, r.Body)
		}
	}
	if after := snapshot(t, e, tenant, f); after != before {
		t.Fatalf("hostile input changed the tenant's data")
	}
	if reachedHandlers < 20 {
		t.Fatalf("only %d hostile requests got past the schema to a handler", reachedHandlers)
	}
	t.Logf("%d of %d hostile requests reached a handler", reachedHandlers, rounds)
}
