package ledger

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"billing/internal/fault"
	"billing/internal/store"
)

// idempotencyTTL is how long a stored answer is replayed (Stripe's 24 hours).
const idempotencyTTL = 24 * time.Hour

// Once makes a create idempotent: a retry with the same Key and the same
// request (Fingerprint) gets the first answer again, byte for byte, and
// writes nothing; the same Key with another request is refused. Answer
// renders the create's result as the caller answers it (status and body),
// to be stored with the create's writes. A nil *Once makes no record.
type Once[T any] struct {
	Key         string
	Fingerprint [sha256.Size]byte
	Answer      func(T) (status int, body []byte, err error)
}

// Replay is the stored answer of an earlier request with the same
// Idempotency-Key. It travels as an error so that the create's transaction
// rolls back (nothing new is written); the caller sends Body as it is.
type Replay struct {
	Status int
	Body   []byte
}

func (r *Replay) Error() string { return fmt.Sprintf("idempotent replay of a %d answer", r.Status) }

// claim takes the key's lock (fault.ErrIdempotencyInProgress while another
// request holds it), then answers a stored, unexpired answer for the same
// request as a *Replay, or fault.ErrIdempotencyKeyReused for another.
func (o *Once[T]) claim(ctx context.Context, tx *store.Tx) error {
	if o == nil {
		return nil
	}
	locked, err := tx.LockIdempotencyKey(ctx, o.Key)
	if err != nil {
		return err
	}
	if !locked {
		return fault.ErrIdempotencyInProgress
	}
	prev, err := tx.IdempotencyAnswer(ctx, o.Key)
	switch {
	case err != nil:
		return err
	case prev == nil:
		return nil
	case time.Since(prev.CreatedAt) > idempotencyTTL:
		return tx.ForgetIdempotencyKey(ctx, o.Key)
	case !bytes.Equal(prev.RequestHash, o.Fingerprint[:]):
		return fault.ErrIdempotencyKeyReused
	}
	return &Replay{Status: prev.Status, Body: prev.Body}
}

// keep stores the answer to v under the key.
func (o *Once[T]) keep(ctx context.Context, tx *store.Tx, v T) error {
	if o == nil {
		return nil
	}
	status, body, err := o.Answer(v)
	if err != nil {
		return fmt.Errorf("rendering the answer to keep: %w", err)
	}
	return tx.KeepIdempotencyAnswer(ctx, o.Key, store.StoredAnswer{RequestHash: o.Fingerprint[:], Status: status, Body: body})
}
