// Package mailcatch is an SMTP server that keeps what it receives instead
// of delivering it: `make run` points the service's mail at one and the
// tests read from one, so the mail path runs over real SMTP end to end.
// Built on github.com/emersion/go-smtp.
package mailcatch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message received: the envelope and the raw bytes.
type Message struct {
	From string
	To   []string
	Data []byte
	// File is where it was written ("" when the catcher keeps no
	// directory).
	File string
}

// Header parses the message's header.
func (m Message) Header() (mail.Header, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return nil, fmt.Errorf("mailcatch: reading the message: %w", err)
	}
	return msg.Header, nil
}

// Options configure a Catcher.
type Options struct {
	// Dir, when set, receives each message as <n>-<Message-ID>.eml.
	Dir string
	// Username and Password, when set, are the only credentials AUTH
	// PLAIN takes, and a message without them is refused.
	Username, Password string
	Log                *slog.Logger
}

// Catcher is a running SMTP server on loopback.
type Catcher struct {
	srv  *smtp.Server
	ln   net.Listener
	opts Options

	mu       sync.Mutex
	messages []Message
	notify   chan struct{}
}

// Start listens on addr ("127.0.0.1:0" for any port) and serves.
func Start(addr string, o Options) (*Catcher, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Dir != "" {
		if err := os.MkdirAll(o.Dir, 0o755); err != nil {
			return nil, fmt.Errorf("mailcatch: %w", err)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mailcatch: %w", err)
	}
	c := &Catcher{ln: ln, opts: o, notify: make(chan struct{})}
	c.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{c: c}, nil }))
	c.srv.Domain = "localhost"
	c.srv.AllowInsecureAuth = true // loopback: there is no TLS to ask for
	c.srv.MaxMessageBytes = 32 << 20
	c.srv.ReadTimeout, c.srv.WriteTimeout = time.Minute, time.Minute
	c.srv.ErrorLog = slogPrinter{o.Log}
	go func() { _ = c.srv.Serve(ln) }()
	return c, nil
}

// Addr is the address it listens on.
func (c *Catcher) Addr() string { return c.ln.Addr().String() }

// URL is the BILLING_SMTP_URL that reaches it.
func (c *Catcher) URL() string {
	if c.opts.Username != "" {
		return "smtp://" + c.opts.Username + ":" + c.opts.Password + "@" + c.Addr()
	}
	return "smtp://" + c.Addr()
}

// Close stops the server.
func (c *Catcher) Close() error { return c.srv.Close() }

// Messages is every message received so far, oldest first.
func (c *Catcher) Messages() []Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Message(nil), c.messages...)
}

// Wait blocks until at least n messages arrived or the timeout passed,
// and returns what arrived.
func (c *Catcher) Wait(n int, timeout time.Duration) []Message {
	deadline := time.After(timeout)
	for {
		c.mu.Lock()
		got, ch := len(c.messages), c.notify
		c.mu.Unlock()
		if got >= n {
			return c.Messages()
		}
		select {
		case <-ch:
		case <-deadline:
			return c.Messages()
		}
	}
}

func (c *Catcher) keep(m Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.opts.Dir != "" {
		id := "message"
		if h, err := m.Header(); err == nil {
			id = strings.Trim(h.Get("Message-ID"), "<> ")
		}
		name := fmt.Sprintf("%04d-%s.eml", len(c.messages)+1, safeName(id))
		m.File = filepath.Join(c.opts.Dir, name)
		if err := os.WriteFile(m.File, m.Data, 0o644); err != nil {
			return fmt.Errorf("mailcatch: keeping the message: %w", err)
		}
		c.opts.Log.Info("mail caught", "to", strings.Join(m.To, ","), "file", m.File)
	}
	c.messages = append(c.messages, m)
	close(c.notify)
	c.notify = make(chan struct{})
	return nil
}

// safeName keeps a Message-ID's letters, digits and - . @ for a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.', r == '@':
			return r
		}
		return '_'
	}, s)
}

// session is one SMTP conversation.
type session struct {
	c      *Catcher
	authed bool
	from   string
	to     []string
}

var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

func (s *session) AuthMechanisms() []string {
	if s.c.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.c.opts.Username || pass != s.c.opts.Password {
			return errors.New("invalid credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.c.opts.Username != "" && !s.authed {
		return errAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return s.c.keep(Message{From: s.from, To: s.to, Data: b})
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// slogPrinter is go-smtp's error log on the service's logger.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Printf(format string, v ...any) { p.log.Warn(fmt.Sprintf(format, v...)) }
func (p slogPrinter) Println(v ...any)               { p.log.Warn(fmt.Sprint(v...)) }
