package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/jackc/pgx/v5"

	"billing/internal/auth"
	"billing/internal/secret"
	"billing/internal/store"
)

// minSecretBytes is the shortest HS256 secret accepted: RFC 7518 asks for a
// key at least as long as the hash output (32 bytes).
const minSecretBytes = 32

// dbFlag registers --database-url with its DATABASE_URL fallback.
func (a *app) dbFlag(fs *flag.FlagSet) *string {
	return fs.String("database-url", a.getenv("DATABASE_URL"), "PostgreSQL URL (env DATABASE_URL)")
}

// databaseURL checks a required database URL.
func databaseURL(dsn string) (string, error) {
	if dsn == "" {
		return "", configErrorf("DATABASE_URL is not set (or pass --database-url)")
	}
	if _, err := pgx.ParseConfig(dsn); err != nil {
		return "", configErrorf("DATABASE_URL is not a valid PostgreSQL URL: %v", err)
	}
	return dsn, nil
}

// authFlags are the token settings shared by serve, dev and token.
type authFlags struct {
	secret, previousSecret, jwksURL, jwksFile, issuer, audience *string
}

func (a *app) authFlags(fs *flag.FlagSet) authFlags {
	return authFlags{
		secret: fs.String("jwt-secret", a.getenv("JWT_SECRET"), "HS256 secret, at least 32 bytes (env JWT_SECRET)"),
		previousSecret: fs.String("jwt-secret-previous", a.getenv("JWT_SECRET_PREVIOUS"),
			"during a rotation, the secret being retired: still accepted, never used to sign (env JWT_SECRET_PREVIOUS)"),
		jwksURL:  fs.String("jwt-jwks-url", a.getenv("JWT_JWKS_URL"), "JWKS URL for RS256/ES256/EdDSA tokens (env JWT_JWKS_URL)"),
		jwksFile: fs.String("jwt-jwks-file", a.getenv("JWT_JWKS_FILE"), "JWKS file for RS256/ES256/EdDSA tokens (env JWT_JWKS_FILE)"),
		issuer:   fs.String("jwt-issuer", a.getenv("JWT_ISSUER"), "required iss claim, if set (env JWT_ISSUER)"),
		audience: fs.String("jwt-audience", a.getenv("JWT_AUDIENCE"), "required aud claim, if set (env JWT_AUDIENCE)"),
	}
}

func (f authFlags) config() (auth.Config, error) {
	cfg := auth.Config{
		Secret:         []byte(*f.secret),
		PreviousSecret: []byte(*f.previousSecret),
		JWKSURL:        *f.jwksURL,
		JWKSFile:       *f.jwksFile,
		Issuer:         *f.issuer,
		Audience:       *f.audience,
	}
	if len(cfg.Secret) > 0 && len(cfg.Secret) < minSecretBytes {
		return cfg, configErrorf("JWT_SECRET is %d bytes; use at least %d", len(cfg.Secret), minSecretBytes)
	}
	if len(cfg.PreviousSecret) > 0 && len(cfg.PreviousSecret) < minSecretBytes {
		return cfg, configErrorf("JWT_SECRET_PREVIOUS is %d bytes; use at least %d", len(cfg.PreviousSecret), minSecretBytes)
	}
	if len(cfg.PreviousSecret) > 0 && len(cfg.Secret) == 0 {
		return cfg, configErrorf("JWT_SECRET_PREVIOUS needs JWT_SECRET (the new secret)")
	}
	// Which keys are present and exclusive is auth.NewVerifier's to say; its
	// refusal comes back as a configuration error (see verifier).
	return cfg, nil
}

// verifier builds the token verifier; a key set that cannot be loaded is a
// configuration error.
func (f authFlags) verifier(ctx context.Context) (*auth.Verifier, error) {
	cfg, err := f.config()
	if err != nil {
		return nil, err
	}
	v, err := auth.NewVerifier(ctx, cfg)
	if err != nil {
		return nil, configError{err.Error()}
	}
	return v, nil
}

// secretBox reads BILLING_SECRET_KEY: nil when it is not set (the service
// then keeps no secrets; serveHTTP warns once), a configuration error when
// it is not 32 bytes of standard base64.
func (a *app) secretBox() (*secret.Box, error) {
	k := a.getenv("BILLING_SECRET_KEY")
	if k == "" {
		return nil, nil
	}
	b, err := secret.NewBox(k)
	if err != nil {
		return nil, configErrorf("%v", err)
	}
	return b, nil
}

// poolerOptions reads BILLING_PG_POOLER and BILLING_JOBS_DATABASE_URL: how
// DATABASE_URL reaches PostgreSQL ("transaction" for a pooler in
// transaction mode, such as PgBouncer's pool_mode = transaction; unset,
// "none" or "session" for a direct connection or a session pooler), and an
// optional direct URL for the outbox's workers.
func (a *app) poolerOptions() ([]store.Option, error) {
	var opts []store.Option
	switch m := a.getenv("BILLING_PG_POOLER"); m {
	case "", "none", "session":
	case "transaction":
		opts = append(opts, store.WithTransactionPooler())
	default:
		return nil, configErrorf("BILLING_PG_POOLER is %q: use transaction, session or none", m)
	}
	if u := a.getenv("BILLING_JOBS_DATABASE_URL"); u != "" {
		if _, err := pgx.ParseConfig(u); err != nil {
			return nil, configErrorf("BILLING_JOBS_DATABASE_URL is not a valid PostgreSQL URL: %v", err)
		}
		opts = append(opts, store.WithJobsURL(u))
	}
	return opts, nil
}

// openPlainStore opens the store for the maintenance commands (tenant,
// reconcile): the pooler settings apply, no secret key is needed.
func openPlainStore(ctx context.Context, a *app, url string) (*store.Store, error) {
	opts, err := a.poolerOptions()
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, url, opts...)
}

// openStore opens the service's store with the pooler settings and the
// secret key, if any, and seals the secrets stored before they were sealed
// (migration 00010).
func openStore(ctx context.Context, a *app, url string, box *secret.Box) (*store.Store, error) {
	opts, err := a.poolerOptions()
	if err != nil {
		return nil, err
	}
	if box != nil {
		opts = append(opts, store.WithSecrets(box))
	}
	st, err := store.Open(ctx, url, opts...)
	if err != nil {
		return nil, err
	}
	if box != nil {
		n, err := st.SealPlaintextSecrets(ctx)
		if err != nil {
			st.Close()
			return nil, fmt.Errorf("sealing the secrets stored in plaintext: %w", err)
		}
		if n > 0 {
			fmt.Fprintf(a.stderr, "billing: sealed %d secrets stored before they were sealed\n", n)
		}
	}
	return st, nil
}
