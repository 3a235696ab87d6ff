// Package dianws calls DIAN's web service (or its test double, or any
// endpoint that speaks it): each request is a SOAP 1.2 envelope signed with
// the tenant's certificate (dian.Envelope), and each answer is read back as
// DIAN's results, a SOAP fault (*dian.Fault) or a transport error.
package dianws

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"billing/internal/billing"
	"billing/internal/dian"
)

// Submitter sends one request to DIAN's service signed with cert.
type Submitter interface {
	Submit(ctx context.Context, cert dian.Certificate, r dian.Request) (dian.Answer, error)
}

// Client is the Submitter over HTTP. URL is the endpoint; empty, the
// endpoint follows the tenant's environment (Endpoint).
type Client struct {
	URL  string
	HTTP *http.Client
}

// Endpoint is DIAN's service of an environment: habilitación for
// PRUEBAS, production for PRODUCCION.
func Endpoint(a billing.Ambiente) string {
	if a == billing.AmbienteProduccion {
		return dian.EndpointProduccion
	}
	return dian.EndpointHabilitacion
}

// New returns a client of url with a timeout under DIAN's own (59 s).
func New(url string) *Client {
	return &Client{URL: url, HTTP: &http.Client{Timeout: 50 * time.Second}}
}

// Submit posts the signed envelope of r and reads the answer. A SOAP
// fault comes back as *dian.Fault, whatever the HTTP status; any other
// answer that is not DIAN's is an error.
func (c *Client) Submit(ctx context.Context, cert dian.Certificate, r dian.Request) (dian.Answer, error) {
	env, err := dian.Envelope(r, c.URL, cert, time.Now())
	if err != nil {
		return dian.Answer{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(env))
	if err != nil {
		return dian.Answer{}, fmt.Errorf("dianws: %w", err)
	}
	req.Header.Set("Content-Type", `application/soap+xml; charset=utf-8; action="`+r.Op.Action()+`"`)
	res, err := c.HTTP.Do(req)
	if err != nil {
		return dian.Answer{}, fmt.Errorf("dianws: %s: %w", r.Op, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 20<<20))
	if err != nil {
		return dian.Answer{}, fmt.Errorf("dianws: reading %s's answer: %w", r.Op, err)
	}
	a, err := dian.ReadAnswer(r.Op, body)
	if err != nil {
		if _, fault := err.(*dian.Fault); fault {
			return dian.Answer{}, err
		}
		return dian.Answer{}, fmt.Errorf("dianws: %s answered HTTP %d that is not DIAN's: %w", r.Op, res.StatusCode, err)
	}
	return a, nil
}
