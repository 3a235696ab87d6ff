package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/store"
)

// idempotencyTTL is how long a stored answer is replayed (Stripe's 24 hours).
const idempotencyTTL = 24 * time.Hour

var (
	errIdempotencyInProgress = &billing.Error{Kind: billing.KindConflict, Code: "idempotency_in_progress",
		Detail: "A request with this Idempotency-Key is still running; retry later."}
	errIdempotencyKeyReused = &billing.Error{Kind: billing.KindUnprocessable, Code: "idempotency_key_reused",
		Detail: "This Idempotency-Key was used for another request; use a new key for a new request."}
)

// idempotentRequest is a POST's Idempotency-Key and the fingerprint of what
// it asks (path and body), put on the context by the contract middleware.
type idempotentRequest struct {
	key  string
	hash [sha256.Size]byte
}

type idempotencyCtxKey struct{}

func withIdempotency(ctx context.Context, key, path string, body []byte) context.Context {
	h := sha256.New()
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write(body)
	var r idempotentRequest
	r.key = key
	copy(r.hash[:], h.Sum(nil))
	return context.WithValue(ctx, idempotencyCtxKey{}, r)
}

// replay is the stored answer of an earlier request with the same key. It
// travels as an error so that the write transaction rolls back (nothing new
// is written) and the error renderer sends the stored bytes.
type replay struct {
	status int
	body   []byte
}

func (r *replay) Error() string { return fmt.Sprintf("idempotent replay of a %d answer", r.status) }

// claimIdempotencyKey runs first in the write transaction of a POST. Without
// an Idempotency-Key it does nothing. With one it takes the key's lock (409
// while another request holds it), then answers a stored, unexpired answer
// for the same request as a *replay, or 422 for a different one. It returns
// save, which stores the answer in the same transaction as the request's own
// writes, so a crash can never leave one without the other.
func claimIdempotencyKey(ctx context.Context, q *db.Queries, tenant uuid.UUID) (save func(status int, body any) error, err error) {
	req, ok := ctx.Value(idempotencyCtxKey{}).(idempotentRequest)
	if !ok {
		return func(int, any) error { return nil }, nil
	}
	locked, err := q.TryLockIdempotencyKey(ctx, tenant.String()+":"+req.key)
	if err != nil {
		return nil, fmt.Errorf("locking idempotency key: %w", err)
	}
	if !locked {
		return nil, errIdempotencyInProgress
	}
	prev, err := q.GetIdempotencyKey(ctx, db.GetIdempotencyKeyParams{TenantID: tenant, Key: req.key})
	switch {
	case store.NoRows(err):
	case err != nil:
		return nil, fmt.Errorf("reading idempotency key: %w", err)
	case time.Since(prev.CreatedAt) > idempotencyTTL:
		if err := q.DeleteIdempotencyKey(ctx, db.DeleteIdempotencyKeyParams{TenantID: tenant, Key: req.key}); err != nil {
			return nil, fmt.Errorf("expiring idempotency key: %w", err)
		}
	case !bytes.Equal(prev.RequestHash, req.hash[:]):
		return nil, errIdempotencyKeyReused
	default:
		return nil, &replay{status: int(prev.StatusCode), body: prev.ResponseBody}
	}
	return func(status int, body any) error {
		// Encoded as the generated strict handlers encode answers (a
		// json.Encoder line), so a replay is byte-for-byte the original.
		var buf bytes.Buffer
		if err := json.NewEncoder(&buf).Encode(body); err != nil {
			return fmt.Errorf("encoding answer for idempotency: %w", err)
		}
		return q.SaveIdempotencyKey(ctx, db.SaveIdempotencyKeyParams{
			TenantID: tenant, Key: req.key, RequestHash: req.hash[:], StatusCode: int32(status), ResponseBody: buf.Bytes(),
		})
	}, nil
}
