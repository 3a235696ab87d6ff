// Package mailer sends the service's mail through an SMTP server named by
// a URL (BILLING_SMTP_URL), with go-mail (github.com/wneessen/go-mail).
// The URL says how the connection is secured, and go-mail is told exactly
// that: its own default (STARTTLS mandatory) would refuse a local relay or
// catcher that offers none, and a silent downgrade would be worse.
package mailer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Security is how the connection to the SMTP server is secured.
type Security int

const (
	// Plain is no TLS at all (smtp:// without starttls): a relay on
	// loopback or inside the deployment's network.
	Plain Security = iota
	// StartTLSRequired upgrades with STARTTLS and fails when the server
	// does not offer it (smtp://…?starttls=required).
	StartTLSRequired
	// StartTLSOpportunistic upgrades when the server offers STARTTLS and
	// goes on in the clear otherwise (smtp://…?starttls=opportunistic).
	StartTLSOpportunistic
	// ImplicitTLS speaks TLS from the first byte (smtps://, port 465).
	ImplicitTLS
)

// Config is a parsed BILLING_SMTP_URL.
type Config struct {
	Host     string
	Port     int
	Username string // "" for none: no AUTH
	Password string
	Security Security
}

// ErrURL is a BILLING_SMTP_URL this package cannot use; wrapped with why.
var ErrURL = errors.New("mailer: unusable SMTP URL")

// ParseURL reads smtp://[user:pass@]host:port[?starttls=required|opportunistic]
// or smtps://[user:pass@]host:port. The port defaults to 25 (smtp) or
// 465 (smtps).
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("%w: %v", ErrURL, err)
	}
	var c Config
	port := 25
	switch u.Scheme {
	case "smtp":
		switch v := u.Query().Get("starttls"); v {
		case "":
			c.Security = Plain
		case "required":
			c.Security = StartTLSRequired
		case "opportunistic":
			c.Security = StartTLSOpportunistic
		default:
			return Config{}, fmt.Errorf("%w: starttls=%q (required or opportunistic)", ErrURL, v)
		}
	case "smtps":
		c.Security, port = ImplicitTLS, 465
		if u.Query().Has("starttls") {
			return Config{}, fmt.Errorf("%w: smtps:// is TLS from the start; starttls does not apply", ErrURL)
		}
	default:
		return Config{}, fmt.Errorf("%w: scheme %q (smtp or smtps)", ErrURL, u.Scheme)
	}
	for k := range u.Query() {
		if k != "starttls" {
			return Config{}, fmt.Errorf("%w: unknown parameter %q", ErrURL, k)
		}
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return Config{}, fmt.Errorf("%w: no host", ErrURL)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return Config{}, fmt.Errorf("%w: port %q", ErrURL, p)
		}
	}
	c.Port = port
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	return c, nil
}

// Address is host:port.
func (c Config) Address() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// Attachment is one attached file.
type Attachment struct {
	Name        string
	ContentType string
	Content     []byte
}

// Message is one email.
type Message struct {
	// ID is the Message-ID's left part (the mailing's id): a message sent
	// twice carries the same one, so a receiver can tell it for a copy.
	ID       string
	From     string // the sending address (BILLING_SMTP_FROM)
	FromName string // shown beside it: the tenant's name
	ReplyTo  string // the tenant's own address, "" for none
	To       string
	Subject  string
	Text     string
	Attach   []Attachment
}

// Sender sends messages through one SMTP server.
type Sender struct {
	cfg     Config
	timeout time.Duration
}

// New returns a Sender of c.
func New(c Config) *Sender { return &Sender{cfg: c, timeout: 30 * time.Second} }

// Send delivers m (one connection per message: mailings are rare and a
// kept connection would outlive the server's idle timeout).
func (s *Sender) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.FromFormat(m.FromName, m.From); err != nil {
		return fmt.Errorf("mailer: from %q: %w", m.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mailer: to %q: %w", m.To, err)
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return fmt.Errorf("mailer: reply-to %q: %w", m.ReplyTo, err)
		}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.ID + "@billing")
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	for _, a := range m.Attach {
		opts := []gomail.FileOption{}
		if a.ContentType != "" {
			opts = append(opts, gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
		}
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Content), opts...); err != nil {
			return fmt.Errorf("mailer: attaching %s: %w", a.Name, err)
		}
	}
	// WithTLSPolicy and WithSSL, not their *Port variants: those guess a
	// port and fall back to port 25 in the clear, where the URL names one.
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.timeout)}
	switch s.cfg.Security {
	case Plain:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case StartTLSRequired:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case StartTLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	}
	if s.cfg.Username != "" {
		// Over TLS, the strongest mechanism the server offers. In the
		// clear go-mail offers no password-bearing mechanism on its own;
		// a URL that says no TLS and gives credentials asks for PLAIN
		// anyway (a relay inside the deployment's network).
		auth := gomail.SMTPAuthAutoDiscover
		if s.cfg.Security == Plain {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	client, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("mailer: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mailer: sending through %s: %w", s.cfg.Address(), err)
	}
	return nil
}

// Redacted is the URL without its password, for logs.
func Redacted(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable)"
	}
	return strings.Replace(u.Redacted(), "xxxxx", "…", 1)
}
