package store

import (
	"context"
	"fmt"
	"time"

	"billing/gen/db"
)

// StoredAnswer is the answer kept for an Idempotency-Key: the fingerprint
// of the request that made it, and what was answered.
type StoredAnswer struct {
	RequestHash []byte
	Status      int
	Body        []byte
	CreatedAt   time.Time
}

// LockIdempotencyKey takes the transaction-scoped lock of a key of this
// tenant without waiting; false when another transaction holds it.
func (tx *Tx) LockIdempotencyKey(ctx context.Context, key string) (bool, error) {
	locked, err := tx.q.TryLockIdempotencyKey(ctx, tx.tenant.String()+":"+key)
	if err != nil {
		return false, fmt.Errorf("locking idempotency key: %w", err)
	}
	return locked, nil
}

// IdempotencyAnswer reads the answer kept for key; nil when there is none.
func (tx *Tx) IdempotencyAnswer(ctx context.Context, key string) (*StoredAnswer, error) {
	r, err := tx.q.GetIdempotencyKey(ctx, db.GetIdempotencyKeyParams{TenantID: tx.tenant, Key: key})
	if NoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading idempotency key: %w", err)
	}
	return &StoredAnswer{RequestHash: r.RequestHash, Status: int(r.StatusCode), Body: r.ResponseBody, CreatedAt: r.CreatedAt}, nil
}

// ForgetIdempotencyKey removes the answer kept for key.
func (tx *Tx) ForgetIdempotencyKey(ctx context.Context, key string) error {
	if err := tx.q.DeleteIdempotencyKey(ctx, db.DeleteIdempotencyKeyParams{TenantID: tx.tenant, Key: key}); err != nil {
		return fmt.Errorf("expiring idempotency key: %w", err)
	}
	return nil
}

// KeepIdempotencyAnswer stores the answer for key, in the transaction of
// the writes it answers for.
func (tx *Tx) KeepIdempotencyAnswer(ctx context.Context, key string, a StoredAnswer) error {
	err := tx.q.SaveIdempotencyKey(ctx, db.SaveIdempotencyKeyParams{
		TenantID: tx.tenant, Key: key, RequestHash: a.RequestHash, StatusCode: int32(a.Status), ResponseBody: a.Body,
	})
	if err != nil {
		return fmt.Errorf("saving idempotency key: %w", err)
	}
	return nil
}
