package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/lestrrat-go/jwx/v3/jwt"
)

var secret = []byte("unit-secret-unit-secret-unit-secret!")

type signer struct {
	alg jwa.SignatureAlgorithm
	key jwk.Key // private, with kid
}

func newSigners(t *testing.T) []signer {
	t.Helper()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var out []signer
	for i, raw := range []any{rsaKey, ecKey, edKey} {
		k, err := jwk.Import(raw)
		if err != nil {
			t.Fatal(err)
		}
		if err := k.Set(jwk.KeyIDKey, []string{"rsa", "ec", "ed"}[i]); err != nil {
			t.Fatal(err)
		}
		out = append(out, signer{alg: []jwa.SignatureAlgorithm{jwa.RS256(), jwa.ES256(), jwa.EdDSA()}[i], key: k})
	}
	return out
}

// publicJWKS writes the signers' public keys as a JWKS document.
func publicJWKS(t *testing.T, signers []signer) []byte {
	t.Helper()
	set := jwk.NewSet()
	for _, s := range signers {
		pub, err := s.key.PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		if err := set.AddKey(pub); err != nil {
			t.Fatal(err)
		}
	}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sign(t *testing.T, alg jwa.SignatureAlgorithm, key any, claims map[string]any, headers ...jws.Headers) string {
	t.Helper()
	tok := jwt.New()
	for k, v := range claims {
		if err := tok.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	var opts []jwt.Option
	if len(headers) > 0 {
		opts = append(opts, jws.WithProtectedHeaders(headers[0]))
	}
	b, err := jwt.Sign(tok, jwt.WithKey(alg, key, opts...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func claims(tenant uuid.UUID) map[string]any {
	return map[string]any{"sub": "u1", "tenant_id": tenant.String(), "role": "OPERADOR", "exp": time.Now().Add(time.Hour)}
}

func TestVerifyAsymmetricFromJWKSFileAndURL(t *testing.T) {
	signers := newSigners(t)
	doc := publicJWKS(t, signers)
	file := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(doc)
	}))
	defer srv.Close()

	tenant := uuid.Must(uuid.NewV7())
	for name, cfg := range map[string]Config{"file": {JWKSFile: file}, "url": {JWKSURL: srv.URL}} {
		t.Run(name, func(t *testing.T) {
			v, err := NewVerifier(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer v.Close()
			for _, s := range signers {
				p, err := v.Verify(context.Background(), sign(t, s.alg, s.key, claims(tenant)))
				if err != nil {
					t.Fatalf("%s: %v", s.alg, err)
				}
				if p.TenantID != tenant || p.Role != RoleOperador || p.Subject != "u1" {
					t.Fatalf("%s: principal %+v", s.alg, p)
				}
			}
			// Without a shared secret, HS256 is refused outright.
			if _, err := v.Verify(context.Background(), sign(t, jwa.HS256(), secret, claims(tenant))); !errors.Is(err, ErrTokenInvalid) {
				t.Fatalf("HS256 without a secret: %v", err)
			}
		})
	}
}

// TestAlgorithmConfusion: an attacker who knows the RSA public key signs an
// HS256 token with the key's bytes as the HMAC secret. With a key set (and
// even with a shared secret too) it must be refused.
func TestAlgorithmConfusion(t *testing.T) {
	signers := newSigners(t)
	file := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(file, publicJWKS(t, signers), 0o600); err != nil {
		t.Fatal(err)
	}
	var rsaPub any
	pub, _ := signers[0].key.PublicKey()
	if err := jwk.Export(pub, &rsaPub); err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(rsaPub)
	if err != nil {
		t.Fatal(err)
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	tenant := uuid.Must(uuid.NewV7())
	h := jws.NewHeaders()
	_ = h.Set(jws.KeyIDKey, "rsa")
	forged := []string{
		sign(t, jwa.HS256(), pemBytes, claims(tenant), h),
		sign(t, jwa.HS256(), der, claims(tenant), h),
	}
	for _, cfg := range []Config{{JWKSFile: file}, {JWKSFile: file, Secret: secret}} {
		v, err := NewVerifier(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i, tok := range forged {
			if _, err := v.Verify(context.Background(), tok); !errors.Is(err, ErrTokenInvalid) {
				t.Fatalf("forged token %d accepted with secret=%v: %v", i, cfg.Secret != nil, err)
			}
		}
	}
}

func TestVerifyMixedKeysAndWrongKid(t *testing.T) {
	signers := newSigners(t)
	file := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(file, publicJWKS(t, signers[:1]), 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(context.Background(), Config{JWKSFile: file, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	tenant := uuid.Must(uuid.NewV7())
	if _, err := v.Verify(context.Background(), sign(t, jwa.HS256(), secret, claims(tenant))); err != nil {
		t.Fatalf("HS256 with both configured: %v", err)
	}
	if _, err := v.Verify(context.Background(), sign(t, jwa.RS256(), signers[0].key, claims(tenant))); err != nil {
		t.Fatalf("RS256 with both configured: %v", err)
	}
	// An EC key that is not in the set.
	if _, err := v.Verify(context.Background(), sign(t, jwa.ES256(), signers[1].key, claims(tenant))); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("ES256 from an unknown key: %v", err)
	}
	// An RSA key of another issuer that reuses our kid.
	other := newSigners(t)[0]
	_ = other.key.Set(jwk.KeyIDKey, "rsa")
	if _, err := v.Verify(context.Background(), sign(t, jwa.RS256(), other.key, claims(tenant))); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("RS256 from a foreign key with our kid: %v", err)
	}
}

func TestClockSkew(t *testing.T) {
	v, err := NewVerifier(context.Background(), Config{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	tenant := uuid.Must(uuid.NewV7())
	c := claims(tenant)
	c["exp"] = time.Now().Add(-ClockSkew / 2)
	if _, err := v.Verify(context.Background(), sign(t, jwa.HS256(), secret, c)); err != nil {
		t.Fatalf("expired within the skew: %v", err)
	}
	c["exp"] = time.Now().Add(-2 * ClockSkew)
	if _, err := v.Verify(context.Background(), sign(t, jwa.HS256(), secret, c)); !errors.Is(err, ErrTokenExpired) {
		t.Fatalf("expired beyond the skew: %v", err)
	}
	if ClockSkew > time.Minute {
		t.Fatalf("clock skew %v exceeds a minute", ClockSkew)
	}
	c = claims(tenant)
	c["nbf"] = time.Now().Add(ClockSkew / 2)
	if _, err := v.Verify(context.Background(), sign(t, jwa.HS256(), secret, c)); err != nil {
		t.Fatalf("nbf within the skew: %v", err)
	}
	c["nbf"] = time.Now().Add(2 * ClockSkew)
	if _, err := v.Verify(context.Background(), sign(t, jwa.HS256(), secret, c)); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("nbf in the future beyond the skew: %v", err)
	}
}

func TestNewVerifierConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"nothing", Config{}},
		{"both key sets", Config{JWKSFile: "a", JWKSURL: "http://127.0.0.1:1/jwks"}},
		{"missing file", Config{JWKSFile: filepath.Join(t.TempDir(), "absent.json")}},
		{"unreachable url", Config{JWKSURL: "http://127.0.0.1:1/jwks"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if v, err := NewVerifier(ctx, tt.cfg); err == nil {
				v.Close()
				t.Fatal("accepted")
			}
		})
	}
}

func TestSecretRotation(t *testing.T) {
	old, next := []byte("old-secret-old-secret-old-secret-old"), []byte("new-secret-new-secret-new-secret-new")
	tenant := uuid.Must(uuid.NewV7())
	during, err := NewVerifier(context.Background(), Config{Secret: next, PreviousSecret: old})
	if err != nil {
		t.Fatal(err)
	}
	after, err := NewVerifier(context.Background(), Config{Secret: next})
	if err != nil {
		t.Fatal(err)
	}
	oldTok, newTok := sign(t, jwa.HS256(), old, claims(tenant)), sign(t, jwa.HS256(), next, claims(tenant))
	for name, tc := range map[string]struct {
		v     *Verifier
		token string
		ok    bool
	}{
		"old token during rotation": {during, oldTok, true},
		"new token during rotation": {during, newTok, true},
		"old token after rotation":  {after, oldTok, false},
		"new token after rotation":  {after, newTok, true},
	} {
		if _, err := tc.v.Verify(context.Background(), tc.token); (err == nil) != tc.ok {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestJWKSRotation: the issuer publishes a new key and signs with it; the
// service fetches the new set on the first unknown kid, without a restart.
func TestJWKSRotation(t *testing.T) {
	first, second := newSigners(t)[0], newSigners(t)[0]
	_ = second.key.Set(jwk.KeyIDKey, "rsa-2")
	var doc atomic.Value
	doc.Store(publicJWKS(t, []signer{first}))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(doc.Load().([]byte))
	}))
	defer srv.Close()
	v, err := NewVerifier(context.Background(), Config{JWKSURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	tenant := uuid.Must(uuid.NewV7())
	if _, err := v.Verify(context.Background(), sign(t, jwa.RS256(), first.key, claims(tenant))); err != nil {
		t.Fatal(err)
	}
	doc.Store(publicJWKS(t, []signer{first, second}))
	if _, err := v.Verify(context.Background(), sign(t, jwa.RS256(), second.key, claims(tenant))); err != nil {
		t.Fatalf("a token of the rotated-in key: %v", err)
	}
	if _, err := v.Verify(context.Background(), sign(t, jwa.RS256(), first.key, claims(tenant))); err != nil {
		t.Fatalf("a token of the old key, still published: %v", err)
	}
}
