// Package outbox works the jobs the writes queue (internal/jobs) after they
// commit: signing documents now, sending them to DIAN, mailing them and
// calling webhooks as those arrive. Each worker acts only for the tenant its
// job carries, through the store's tenant-scoped reads and transactions,
// and is idempotent: River runs a job at least once, so running it twice
// must change nothing the first run did.
package outbox

import (
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"billing/internal/dianws"
	"billing/internal/jobs"
	"billing/internal/store"
)

// Workers are the workers this process can run. Signing needs the secret
// key (the certificate is sealed under it): without one the signer is not
// registered, and signing jobs wait, visible in the deliveries, for a
// process that has it.
// Webhook secrets are sealed too, so the sender needs the key as well.
func Workers(st *store.Store, log *slog.Logger, o Options) (*river.Workers, []string) {
	w := river.NewWorkers()
	var kinds []string
	if st.KeepsSecrets() {
		river.AddWorker(w, &signer{store: st, log: log})
		river.AddWorker(w, newWebhookSender(st, log, o.AllowLoopbackWebhooks))
		poll := o.DianPoll
		if poll == 0 {
			poll = 10 * time.Second
		}
		river.AddWorker(w, &transmitter{store: st, log: log, url: o.DianURL, poll: poll,
			submit: func(url string) dianws.Submitter { return dianws.New(url) }})
		kinds = append(kinds, "sign_document", "webhook_delivery", "transmit_document")
	}
	// Mail needs no secret; without an SMTP server its jobs wait.
	if o.Mail.Send != nil {
		river.AddWorker(w, &mailSender{store: st, log: log, mail: o.Mail})
		kinds = append(kinds, jobs.Mail{}.Kind())
	}
	return w, kinds
}

// Options are the workers' settings.
type Options struct {
	// AllowLoopbackWebhooks lets webhooks reach this machine
	// (BILLING_WEBHOOKS_ALLOW_LOOPBACK=on).
	AllowLoopbackWebhooks bool
	// DianURL is where documents are sent (BILLING_DIAN_URL): DIAN's
	// habilitación or production service, or its test double; "" for
	// DIAN's own endpoint of each tenant's environment.
	DianURL string
	// Mail is the SMTP server invoices are mailed through
	// (BILLING_SMTP_URL); without one, mailings wait.
	Mail Mail
	// DianPoll is how often a document DIAN is still processing is asked
	// about again; default 10 s.
	DianPoll time.Duration
}
