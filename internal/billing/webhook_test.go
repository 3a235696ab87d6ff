package billing

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"billing/internal/fault"
)

func TestWebhookSignature(t *testing.T) {
	// Computed independently: HMAC-SHA256("whsec_test", "1767225600." + body).
	got := WebhookSignature("whsec_test", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), []byte(`{"id":"x"}`))
	want := "t=1767225600,v1=f2a0e9cc79f6a8d5063bc6718561e872509983827740ea4ee5622da1c7e8d2b4"
	if got != want {
		t.Fatalf("WebhookSignature = %s, want %s", got, want)
	}
}

func TestCheckWebhookURL(t *testing.T) {
	for _, c := range []struct {
		url      string
		loopback bool // allowLoopback
		ok       bool
	}{
		{"https://erp.colegio.edu.co/hooks", false, true},
		{"https://203.0.113.9/hooks", false, true}, // documentation range, but public unicast to netip
		{"https://[2001:4860::8888]/x", false, true},
		{"http://erp.colegio.edu.co/hooks", false, false},
		{"ftp://erp.colegio.edu.co/", false, false},
		{"https://user:pw@erp.colegio.edu.co/", false, false},
		{"https://erp.colegio.edu.co/#frag", false, false},
		{"/relative", false, false},
		{"https://10.1.2.3/", false, false},
		{"https://192.168.0.10/", false, false},
		{"https://172.16.5.5/", false, false},
		{"https://169.254.169.254/latest/meta-data", false, false},
		{"https://100.64.0.1/", false, false},
		{"https://0.0.0.0/", false, false},
		{"https://[::1]/", false, false},
		{"https://[fd00::1]/", false, false},
		{"https://[::ffff:10.0.0.1]/", false, false},
		{"https://127.0.0.1/", false, false},
		{"http://127.0.0.1:8080/hook", false, false},
		{"http://localhost:8080/hook", false, false},
		{"http://127.0.0.1:8080/hook", true, true},
		{"https://localhost/hook", true, true},
		{"http://10.0.0.1/hook", true, false}, // loopback only, not private
	} {
		_, err := CheckWebhookURL(c.url, c.loopback)
		var f *fault.Error
		switch {
		case c.ok && err != nil:
			t.Errorf("%s (loopback %v): refused: %v", c.url, c.loopback, err)
		case !c.ok && (!errors.As(err, &f) || f.Code != "webhook_url_not_allowed" || f.Fields[0].Field != "url"):
			t.Errorf("%s (loopback %v): %v, want webhook_url_not_allowed on url", c.url, c.loopback, err)
		}
	}
}

func TestWebhookAddrAllowed(t *testing.T) {
	for _, c := range []struct {
		addr     string
		loopback bool
		want     bool
	}{
		{"8.8.8.8", false, true}, {"127.0.0.1", false, false}, {"127.0.0.1", true, true}, {"::1", true, true},
		{"10.0.0.1", true, false}, {"198.18.0.1", false, false}, {"224.0.0.1", false, false}, {"fe80::1", false, false},
	} {
		if got := WebhookAddrAllowed(netip.MustParseAddr(c.addr), c.loopback); got != c.want {
			t.Errorf("WebhookAddrAllowed(%s, %v) = %v", c.addr, c.loopback, got)
		}
	}
}
