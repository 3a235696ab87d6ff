package mailer_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"billing/internal/mailcatch"
	"billing/internal/mailer"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		url  string
		want mailer.Config
		bad  bool
	}{
		{url: "smtp://127.0.0.1:2525", want: mailer.Config{Host: "127.0.0.1", Port: 2525, Security: mailer.Plain}},
		{url: "smtp://relay.example.co", want: mailer.Config{Host: "relay.example.co", Port: 25, Security: mailer.Plain}},
		{url: "smtp://u%40x:p%3Ass@mail.example.co:587?starttls=required",
			want: mailer.Config{Host: "mail.example.co", Port: 587, Username: "u@x", Password: "p:ss", Security: mailer.StartTLSRequired}},
		{url: "smtp://mail.example.co:587?starttls=opportunistic",
			want: mailer.Config{Host: "mail.example.co", Port: 587, Security: mailer.StartTLSOpportunistic}},
		{url: "smtps://u:p@mail.example.co", want: mailer.Config{Host: "mail.example.co", Port: 465, Username: "u", Password: "p", Security: mailer.ImplicitTLS}},
		{url: "http://mail.example.co", bad: true},
		{url: "smtp://mail.example.co?starttls=yes", bad: true},
		{url: "smtps://mail.example.co?starttls=required", bad: true},
		{url: "smtp://mail.example.co?tls=1", bad: true},
		{url: "smtp://:25", bad: true},
		{url: "smtp://mail.example.co:99999", bad: true},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			got, err := mailer.ParseURL(c.url)
			if c.bad {
				if !errors.Is(err, mailer.ErrURL) {
					t.Fatalf("accepted: %+v, %v", got, err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

// TestSend: a message reaches a real SMTP server with its attachment and
// Message-ID, with AUTH when the URL carries credentials; wrong ones and
// a STARTTLS the server does not offer (starttls=required) fail rather
// than send.
func TestSend(t *testing.T) {
	c, err := mailcatch.Start("127.0.0.1:0", mailcatch.Options{Username: "facturas", Password: "s3creto"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	msg := mailer.Message{ID: "0193a1c2-7d4e-7a10-9c55-2f1e0b6d8f11", From: "facturacion@billing.test", FromName: "Colegio Los Andes",
		To: "acudiente@example.com", Subject: "900123456;Colegio Los Andes S.A.S.;SETP990000001;01;Colegio Los Andes", Text: "Adjuntamos la factura.",
		Attach: []mailer.Attachment{{Name: "SETP990000001.zip", ContentType: "application/zip", Content: []byte("PK\x03\x04")}}}
	send := func(url string) error {
		cfg, err := mailer.ParseURL(url)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return mailer.New(cfg).Send(ctx, msg)
	}
	if err := send(c.URL()); err != nil {
		t.Fatal(err)
	}
	got := c.Wait(1, 5*time.Second)
	if len(got) != 1 || got[0].To[0] != "acudiente@example.com" {
		t.Fatalf("%d messages", len(got))
	}
	h, err := got[0].Header()
	if err != nil {
		t.Fatal(err)
	}
	if h.Get("Message-ID") != "<"+msg.ID+"@billing>" || !strings.Contains(string(got[0].Data), `filename="SETP990000001.zip"`) {
		t.Fatalf("message:\n%s", got[0].Data)
	}
	for _, url := range []string{
		"smtp://facturas:otra@" + c.Addr(),
		"smtp://" + c.Addr(), // no AUTH: the server requires it
		"smtp://facturas:s3creto@" + c.Addr() + "?starttls=required",
	} {
		if err := send(url); err == nil {
			t.Fatalf("%s sent", url)
		}
	}
	if n := len(c.Messages()); n != 1 {
		t.Fatalf("%d messages after the failures", n)
	}
}
