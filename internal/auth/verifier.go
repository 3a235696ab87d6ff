package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/lestrrat-go/httprc/v3"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/lestrrat-go/jwx/v3/jwt"

	"billing/internal/fault"
)

// ClockSkew is how far the verifier tolerates clocks to disagree on exp and
// nbf. Kept small: every second of skew is a second an expired token lives.
const ClockSkew = 30 * time.Second

// Config says which tokens the service accepts.
type Config struct {
	// Secret verifies HS256 tokens; empty refuses HS256.
	Secret []byte
	// PreviousSecret, during a rotation, also verifies HS256 tokens, so
	// tokens signed before the switch keep working until they expire.
	PreviousSecret []byte
	// JWKSURL or JWKSFile names a key set for RS256, ES256 and EdDSA tokens.
	JWKSURL  string
	JWKSFile string
	// Issuer and Audience, when set, must match the token's iss and aud.
	Issuer   string
	Audience string
}

// Verifier turns a bearer token into a Principal.
type Verifier struct {
	cfg    Config
	keys   func(context.Context) (jwk.Set, error) // nil without a key set
	cancel context.CancelFunc
	// refresh re-fetches a JWKS URL at once; nil for a file. It is called
	// when a token names a kid the set lacks (the issuer has rotated keys),
	// at most once per refreshEvery.
	refresh     func(context.Context) error
	refreshMu   sync.Mutex
	lastRefresh time.Time

	// verified remembers tokens that passed verification, so a client that
	// sends the same token on every request pays for the signature check
	// once a minute instead of every time (it was a quarter of a dashboard
	// request's CPU).
	cacheMu  sync.Mutex
	verified map[string]cachedPrincipal
}

type cachedPrincipal struct {
	p     Principal
	until time.Time // the earlier of the token's exp (+ skew) and a minute from verification
}

// Bounds of the verified-token cache. A minute bounds how long a token keeps
// working after its key is withdrawn from a JWKS.
const (
	cacheTTL     = time.Minute
	cacheEntries = 10000
)

// refreshEvery bounds how often an unknown kid may trigger a JWKS fetch, so
// tokens with made-up kids cannot make the service hammer the issuer.
const refreshEvery = 30 * time.Second

// Failures of Verify, as the HTTP layer reports them (401).
var (
	ErrTokenMissing = &fault.Error{Kind: fault.KindUnauthenticated, Code: "token_missing", Detail: "An Authorization: Bearer token is required."}
	ErrTokenInvalid = &fault.Error{Kind: fault.KindUnauthenticated, Code: "token_invalid", Detail: "The token is malformed, badly signed or lacks a required claim."}
	ErrTokenExpired = &fault.Error{Kind: fault.KindUnauthenticated, Code: "token_expired", Detail: "The token has expired."}
)

// asymmetric is the set of algorithms accepted from the key set. HS256 is
// deliberately absent: a public key must never serve as an HMAC secret
// (algorithm confusion).
var asymmetric = map[string]jwa.SignatureAlgorithm{
	jwa.RS256().String(): jwa.RS256(),
	jwa.ES256().String(): jwa.ES256(),
	jwa.EdDSA().String(): jwa.EdDSA(),
}

// NewVerifier builds a verifier. With JWKSURL the key set is fetched now
// (failing fast on a bad URL) and refreshed in the background until Close.
func NewVerifier(ctx context.Context, cfg Config) (*Verifier, error) {
	if len(cfg.Secret) == 0 && cfg.JWKSURL == "" && cfg.JWKSFile == "" {
		return nil, errors.New("no token key configured: set JWT_SECRET, JWT_JWKS_URL or JWT_JWKS_FILE")
	}
	if cfg.JWKSURL != "" && cfg.JWKSFile != "" {
		return nil, errors.New("JWT_JWKS_URL and JWT_JWKS_FILE are exclusive: set one")
	}
	v := &Verifier{cfg: cfg, cancel: func() {}}
	switch {
	case cfg.JWKSFile != "":
		set, err := jwk.ReadFile(cfg.JWKSFile)
		if err != nil {
			return nil, fmt.Errorf("reading JWKS file %s: %w", cfg.JWKSFile, err)
		}
		v.keys = func(context.Context) (jwk.Set, error) { return set, nil }
	case cfg.JWKSURL != "":
		cctx, cancel := context.WithCancel(context.Background())
		cache, err := jwk.NewCache(cctx, httprc.NewClient())
		if err != nil {
			cancel()
			return nil, fmt.Errorf("starting JWKS cache: %w", err)
		}
		if err := cache.Register(ctx, cfg.JWKSURL, jwk.WithMinInterval(time.Minute)); err != nil {
			cancel()
			return nil, fmt.Errorf("fetching JWKS %s: %w", cfg.JWKSURL, err)
		}
		v.cancel = cancel
		v.keys = func(ctx context.Context) (jwk.Set, error) { return cache.Lookup(ctx, cfg.JWKSURL) }
		v.refresh = func(ctx context.Context) error {
			_, err := cache.Refresh(ctx, cfg.JWKSURL)
			return err
		}
	}
	return v, nil
}

// Close stops the background refresh of a JWKS URL.
func (v *Verifier) Close() { v.cancel() }

// Verify checks the token's signature and claims and returns its principal.
// Every failure is one of ErrTokenInvalid or ErrTokenExpired; the reason is
// not told to the caller beyond that.
func (v *Verifier) Verify(ctx context.Context, token string) (Principal, error) {
	if token == "" {
		return Principal{}, ErrTokenMissing
	}
	now := time.Now()
	v.cacheMu.Lock()
	c, ok := v.verified[token]
	v.cacheMu.Unlock()
	if ok && now.Before(c.until) {
		return c.p, nil
	}
	opts := []jwt.ParseOption{
		jwt.WithKeyProvider(jws.KeyProviderFunc(v.fetchKeys)),
		jwt.WithContext(ctx),
		jwt.WithAcceptableSkew(ClockSkew),
		jwt.WithRequiredClaim("sub"),
		jwt.WithRequiredClaim("exp"),
		jwt.WithRequiredClaim("tenant_id"),
		jwt.WithRequiredClaim("role"),
	}
	if v.cfg.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(v.cfg.Issuer))
	}
	if v.cfg.Audience != "" {
		opts = append(opts, jwt.WithAudience(v.cfg.Audience))
	}
	tok, err := jwt.ParseString(token, opts...)
	if err != nil {
		if errors.Is(err, jwt.TokenExpiredError()) {
			return Principal{}, ErrTokenExpired
		}
		return Principal{}, ErrTokenInvalid
	}
	p, err := principalOf(tok)
	if err != nil {
		return p, err
	}
	until := now.Add(cacheTTL)
	if exp, ok := tok.Expiration(); ok && exp.Add(ClockSkew).Before(until) {
		until = exp.Add(ClockSkew)
	}
	v.cacheMu.Lock()
	if len(v.verified) >= cacheEntries || v.verified == nil {
		v.verified = make(map[string]cachedPrincipal, 64) // start over rather than track recency
	}
	v.verified[token] = cachedPrincipal{p: p, until: until}
	v.cacheMu.Unlock()
	return p, nil
}

// fetchKeys offers exactly one key family per algorithm: the shared secret
// for HS256, the key set for the asymmetric ones. Anything else (none, HS384,
// an HS256 token when only a key set is configured) gets no key and fails.
func (v *Verifier) fetchKeys(ctx context.Context, sink jws.KeySink, sig *jws.Signature, _ *jws.Message) error {
	alg, ok := sig.ProtectedHeaders().Algorithm()
	if !ok {
		return errors.New("token has no alg")
	}
	if alg == jwa.HS256() {
		for _, secret := range [][]byte{v.cfg.Secret, v.cfg.PreviousSecret} {
			if len(secret) > 0 {
				sink.Key(jwa.HS256(), secret)
			}
		}
		return nil
	}
	want, ok := asymmetric[alg.String()]
	if !ok || v.keys == nil {
		return nil
	}
	set, err := v.keys(ctx)
	if err != nil {
		return fmt.Errorf("loading key set: %w", err)
	}
	kid, hasKid := sig.ProtectedHeaders().KeyID()
	if _, known := set.LookupKeyID(kid); hasKid && !known && v.refreshNow() {
		if err := v.refresh(ctx); err != nil {
			return fmt.Errorf("refreshing key set: %w", err)
		}
		if set, err = v.keys(ctx); err != nil {
			return fmt.Errorf("loading key set: %w", err)
		}
	}
	for i := 0; i < set.Len(); i++ {
		key, _ := set.Key(i)
		if id, _ := key.KeyID(); hasKid && id != kid {
			continue
		}
		if ka, ok := key.Algorithm(); ok && ka.String() != want.String() {
			continue
		}
		if !keyFits(key.KeyType(), want) {
			continue
		}
		sink.Key(want, key)
	}
	return nil
}

// refreshNow reports whether an unknown kid may trigger a JWKS fetch now.
func (v *Verifier) refreshNow() bool {
	if v.refresh == nil {
		return false
	}
	v.refreshMu.Lock()
	defer v.refreshMu.Unlock()
	if time.Since(v.lastRefresh) < refreshEvery {
		return false
	}
	v.lastRefresh = time.Now()
	return true
}

// keyFits tells whether a key of type kty can verify alg, so that an RSA key
// is never offered for an EC token and the other way round.
func keyFits(kty jwa.KeyType, alg jwa.SignatureAlgorithm) bool {
	switch alg {
	case jwa.RS256():
		return kty == jwa.RSA()
	case jwa.ES256():
		return kty == jwa.EC()
	case jwa.EdDSA():
		return kty == jwa.OKP()
	}
	return false
}

func principalOf(tok jwt.Token) (Principal, error) {
	var p Principal
	var tenant, role string
	sub, _ := tok.Subject()
	if strings.TrimSpace(sub) == "" {
		return p, ErrTokenInvalid
	}
	if err := tok.Get("tenant_id", &tenant); err != nil {
		return p, ErrTokenInvalid
	}
	if err := tok.Get("role", &role); err != nil {
		return p, ErrTokenInvalid
	}
	id, err := uuid.Parse(tenant)
	if err != nil {
		return p, ErrTokenInvalid
	}
	p = Principal{Subject: sub, TenantID: id, Role: Role(role)}
	if !p.Role.Valid() {
		return Principal{}, ErrRoleUnknown
	}
	return p, nil
}

// ErrRoleUnknown answers a well-signed token whose role is none of ours: the
// caller is known, but may do nothing (403).
var ErrRoleUnknown = &fault.Error{Kind: fault.KindForbidden, Code: "role_forbidden", Detail: "The token's role is not one of ADMIN, OPERADOR, VIEWER."}

// Sign issues an HS256 token for p, valid for ttl; issuer and audience are
// set when non-empty. The CLI and the tests use it.
func Sign(secret []byte, p Principal, ttl time.Duration, issuer, audience string) (string, error) {
	now := time.Now()
	b := jwt.NewBuilder().
		Subject(p.Subject).
		IssuedAt(now).
		Expiration(now.Add(ttl)).
		Claim("tenant_id", p.TenantID.String()).
		Claim("role", string(p.Role))
	if issuer != "" {
		b = b.Issuer(issuer)
	}
	if audience != "" {
		b = b.Audience([]string{audience})
	}
	tok, err := b.Build()
	if err != nil {
		return "", fmt.Errorf("building token: %w", err)
	}
	signed, err := jwt.Sign(tok, jwt.WithKey(jwa.HS256(), secret))
	if err != nil {
		return "", fmt.Errorf("signing token: %w", err)
	}
	return string(signed), nil
}
