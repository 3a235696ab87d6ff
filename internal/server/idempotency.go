package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"billing/internal/ledger"
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

// once makes a create idempotent when the request carries an
// Idempotency-Key (nil otherwise): the use case stores the answer that
// render gives for its result, with the given status, and a retry is
// answered with those bytes (see ledger.Replay and handleError).
func once[T any](ctx context.Context, status int, render func(T) any) *ledger.Once[T] {
	req, ok := ctx.Value(idempotencyCtxKey{}).(idempotentRequest)
	if !ok {
		return nil
	}
	return &ledger.Once[T]{Key: req.key, Fingerprint: req.hash, Answer: func(v T) (int, []byte, error) {
		// Encoded as the generated strict handlers encode answers (a
		// json.Encoder line), so a replay is byte-for-byte the original.
		var buf bytes.Buffer
		if err := json.NewEncoder(&buf).Encode(render(v)); err != nil {
			return 0, nil, fmt.Errorf("encoding answer: %w", err)
		}
		return status, buf.Bytes(), nil
	}}
}
