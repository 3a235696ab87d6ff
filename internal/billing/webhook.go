package billing

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"billing/internal/fault"
)

// WebhookEvent is a type of event a webhook endpoint may subscribe to.
type WebhookEvent string

const (
	EventInvoiceIssued    WebhookEvent = "invoice.issued"
	EventPaymentRecorded  WebhookEvent = "payment.recorded"
	EventPaymentReversed  WebhookEvent = "payment.reversed"
	EventCreditNoteIssued WebhookEvent = "credit_note.issued"
	EventInvoiceAccepted  WebhookEvent = "invoice.accepted"
	EventInvoiceRejected  WebhookEvent = "invoice.rejected"
)

// WebhookEndpoint is a tenant's receiver of events. Secret is set only
// when it was just made (creation, rotation): it is never read back.
type WebhookEndpoint struct {
	ID        uuid.UUID
	URL       string
	Eventos   []WebhookEvent
	Activo    bool
	CreatedAt time.Time
	Secret    string
}

// WebhookAttempt is one attempt to deliver an event to an endpoint.
type WebhookAttempt struct {
	ID         uuid.UUID
	EventID    uuid.UUID
	EventType  WebhookEvent
	Attempt    int
	StatusCode *int    // the receiver's answer; nil when none came
	Error      *string // why the attempt failed; nil when it succeeded
	Duration   time.Duration
	CreatedAt  time.Time
}

// WebhookSignature is the Billing-Signature header of a delivery sent at
// t: the Unix time, and the hex HMAC-SHA256 of "<t>.<body>" keyed with the
// UTF-8 bytes of the endpoint's secret as it was shown (Stripe's scheme).
func WebhookSignature(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// CheckWebhookURL refuses a webhook URL that is not https:// to a public
// host (400 webhook_url_not_allowed on url). A host written as an address
// is judged here; a name is judged by whoever resolves it (at registration
// and again at every delivery, against DNS rebinding), with
// WebhookAddrAllowed. With allowLoopback, http:// and https:// to a
// loopback host are allowed too (development and tests).
func CheckWebhookURL(raw string, allowLoopback bool) (*url.URL, error) {
	refuse := func(why string) error {
		return fault.Invalid("webhook_url_not_allowed", "Webhooks are sent only to https:// URLs of public hosts.",
			fault.FieldError{Field: "url", Message: why})
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, refuse("not an absolute URL")
	}
	if u.User != nil {
		return nil, refuse("must not carry credentials")
	}
	if u.Fragment != "" {
		return nil, refuse("must not have a fragment")
	}
	host := u.Hostname()
	loopback := host == "localhost" || strings.HasSuffix(host, ".localhost")
	if a, err := netip.ParseAddr(host); err == nil {
		loopback = a.Unmap().IsLoopback()
		if !loopback && !WebhookAddrAllowed(a, false) {
			return nil, refuse("its address is not public")
		}
	}
	switch {
	case loopback && !allowLoopback:
		return nil, refuse("its host is this machine")
	case loopback && (u.Scheme == "http" || u.Scheme == "https"):
	case u.Scheme != "https":
		return nil, refuse("must use https://")
	}
	return u, nil
}

// nonPublic are the IPv4 ranges that are neither private nor loopback by
// netip's predicates and still reach no public host: this network, shared
// address space (carrier-grade NAT), IETF protocol assignments, benchmarking
// and the reserved block.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
}

// WebhookAddrAllowed reports whether a delivery may connect to a: a public
// unicast address, or a loopback one when allowLoopback.
func WebhookAddrAllowed(a netip.Addr, allowLoopback bool) bool {
	a = a.Unmap()
	if a.IsLoopback() {
		return allowLoopback
	}
	if !a.IsValid() || a.IsUnspecified() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsMulticast() ||
		a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}
