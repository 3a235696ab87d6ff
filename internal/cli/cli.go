// Package cli is the billing command line: serve, migrate, tenant, token and
// dev. Every flag falls back to an environment variable; configuration errors
// print one line on stderr and exit with status 2, other failures with 1.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	netmail "net/mail"
	"strings"

	"billing/internal/mailer"
	"billing/internal/outbox"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitConfig  = 2
)

// configError marks a failure the user fixes by changing flags or
// environment, answered with exit status 2.
type configError struct{ msg string }

func (e configError) Error() string { return e.msg }

func configErrorf(format string, args ...any) error {
	return configError{fmt.Sprintf(format, args...)}
}

// env is the process environment, passed in so tests can set their own.
type env func(string) string

// app carries what every command needs.
type app struct {
	stdout, stderr io.Writer
	getenv         env
	// dev is `billing dev`: webhooks may reach this machine unless
	// BILLING_WEBHOOKS_ALLOW_LOOPBACK says otherwise.
	dev bool
	// dianURL is where documents go when BILLING_DIAN_URL is unset: the
	// test double `billing dev` starts.
	dianURL string
	// smtpURL is where mail goes when BILLING_SMTP_URL is unset: the
	// catcher `billing dev` starts.
	smtpURL string
}

// outboxOptions are the workers' settings from the environment:
// BILLING_DIAN_URL, BILLING_WEBHOOKS_ALLOW_LOOPBACK, and BILLING_SMTP_URL
// with BILLING_SMTP_FROM (the address mail comes from; default
// facturacion@ the SMTP server's host). A BILLING_SMTP_URL that cannot be
// used is a configuration error, not mail silently never sent.
func (a *app) outboxOptions() (outbox.Options, error) {
	url := a.getenv("BILLING_DIAN_URL")
	if url == "" {
		url = a.dianURL
	}
	o := outbox.Options{AllowLoopbackWebhooks: a.loopbackWebhooks(), DianURL: url}
	smtpURL := a.getenv("BILLING_SMTP_URL")
	if smtpURL == "" {
		smtpURL = a.smtpURL
	}
	if smtpURL == "" {
		return o, nil
	}
	cfg, err := mailer.ParseURL(smtpURL)
	if err != nil {
		return outbox.Options{}, configErrorf("BILLING_SMTP_URL: %v", err)
	}
	from := a.getenv("BILLING_SMTP_FROM")
	if from == "" {
		from = "facturacion@" + cfg.Host
		if !strings.Contains(cfg.Host, ".") {
			from += ".localdomain" // an address needs a domain
		}
	}
	if _, err := netmail.ParseAddress(from); err != nil {
		return outbox.Options{}, configErrorf("BILLING_SMTP_FROM %q is not an email address", from)
	}
	o.Mail = outbox.Mail{Send: mailer.New(cfg).Send, From: from}
	return o, nil
}

// loopbackWebhooks is BILLING_WEBHOOKS_ALLOW_LOOPBACK=on (the default of
// `billing dev`): webhook URLs to this machine are accepted and reached.
func (a *app) loopbackWebhooks() bool {
	v := a.getenv("BILLING_WEBHOOKS_ALLOW_LOOPBACK")
	return v == "on" || (a.dev && v == "")
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, a *app, args []string) error
}

var commands = []command{
	{"serve", "serve the API (--addr, BILLING_ADDR, default :8080) and work the outbox", runServe},
	{"worker", "work the outbox only (signing, later DIAN, mail, webhooks), for deployments that separate it", runWorker},
	{"migrate", "apply pending database migrations (idempotent)", runMigrate},
	{"tenant", "manage tenants: create --name NAME | list | activate ID | deactivate ID", runTenant},
	{"token", "print an HS256 token: --tenant ID --role ROLE [--sub SUB] [--ttl 1h]", runToken},
	{"reconcile", "recompute the dashboard figures from the ledger: [--tenant ID]", runReconcile},
	{"dev", "migrate, create a demo tenant, print tokens and serve (make run)", runDev},
	{"dian-fake", "serve DIAN's web service doubled on loopback: --addr ADDR [--range PREFIX:FROM-TO:KEY]... [--software ID:PIN]...", runDianFake},
}

// Main runs the command line in args (without the program name) and returns
// the process exit status.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		a.usage()
		if len(args) == 0 {
			return exitConfig
		}
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return a.exit(c.run(ctx, a, args[1:]))
		}
	}
	fmt.Fprintf(stderr, "billing: unknown command %q (run 'billing help')\n", args[0])
	return exitConfig
}

func (a *app) exit(err error) int {
	var ce configError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ce):
		fmt.Fprintf(a.stderr, "billing: %s\n", oneLine(ce.msg))
		return exitConfig
	default:
		fmt.Fprintf(a.stderr, "billing: %s\n", oneLine(err.Error()))
		return exitFailure
	}
}

func (a *app) usage() {
	fmt.Fprintln(a.stderr, "usage: billing COMMAND [flags]")
	fmt.Fprintln(a.stderr)
	for _, c := range commands {
		fmt.Fprintf(a.stderr, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(a.stderr)
	fmt.Fprintln(a.stderr, "Environment: DATABASE_URL, BILLING_ADDR, BILLING_SECRET_KEY, BILLING_WEBHOOKS_ALLOW_LOOPBACK, BILLING_DIAN_URL, JWT_SECRET, JWT_JWKS_URL, JWT_JWKS_FILE, JWT_ISSUER, JWT_AUDIENCE.")
}

// flags returns a flag set that reports parse errors as configuration
// errors instead of exiting.
func (a *app) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("billing "+name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	return fs
}

// parse parses args and wraps a bad flag as a configuration error.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return configError{err.Error()}
	}
	return nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
