package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"billing/internal/auth"
)

func runToken(_ context.Context, a *app, args []string) error {
	fs := a.flags("token")
	tenant := fs.String("tenant", "", "tenant ID (required)")
	role := fs.String("role", "", "ADMIN, OPERADOR or VIEWER (required)")
	sub := fs.String("sub", "cli", "subject: who the token speaks for")
	ttl := fs.Duration("ttl", time.Hour, "lifetime")
	secret := fs.String("jwt-secret", a.getenv("JWT_SECRET"), "HS256 secret (env JWT_SECRET)")
	issuer := fs.String("jwt-issuer", a.getenv("JWT_ISSUER"), "iss claim, if set (env JWT_ISSUER)")
	audience := fs.String("jwt-audience", a.getenv("JWT_AUDIENCE"), "aud claim, if set (env JWT_AUDIENCE)")
	if err := parse(fs, args); err != nil {
		return err
	}
	id, err := uuid.Parse(*tenant)
	if err != nil {
		return configErrorf("--tenant must be a tenant ID (a UUID)")
	}
	r := auth.Role(*role)
	if !r.Valid() {
		return configErrorf("--role must be ADMIN, OPERADOR or VIEWER")
	}
	if *sub == "" {
		return configErrorf("--sub must not be empty")
	}
	if *ttl <= 0 {
		return configErrorf("--ttl must be positive")
	}
	if len(*secret) < minSecretBytes {
		return configErrorf("JWT_SECRET must be set to at least %d bytes to sign tokens", minSecretBytes)
	}
	tok, err := auth.Sign([]byte(*secret), auth.Principal{Subject: *sub, TenantID: id, Role: r}, *ttl, *issuer, *audience)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, tok)
	return nil
}
