// Package auth verifies the bearer JWTs of the billing API, carries the
// verified principal on the request context and holds the role policy: which
// roles may call which operation.
package auth

import (
	"context"

	"github.com/google/uuid"
)

// Role is what a principal may do within its tenant.
type Role string

// The roles of the billing API, from most to least privileged.
const (
	RoleAdmin    Role = "ADMIN"
	RoleOperador Role = "OPERADOR"
	RoleViewer   Role = "VIEWER"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleOperador, RoleViewer:
		return true
	}
	return false
}

// Principal is the verified caller: who (Subject), for which tenant, with
// which role. It comes only from a verified token, never from the request.
type Principal struct {
	Subject  string
	TenantID uuid.UUID
	Role     Role
}

type principalKey struct{}

// WithPrincipal returns a context carrying p. The auth middleware puts it on
// the request context because strict handlers see only that context.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal of an authenticated request.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
