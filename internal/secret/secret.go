// Package secret seals the secrets the service keeps for its tenants (the
// signing certificate and its password, the software PIN, the technical
// keys) with AES-256-GCM under one key from BILLING_SECRET_KEY, so that no
// secret is readable in a database dump. Each sealed value is bound to what
// it is (its associated data names the tenant and the field): a value
// copied into another tenant's row, or into another field, does not open.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// KeySize is the key's length: AES-256.
const KeySize = 32

// version is the first byte of every sealed value, so that a later key or
// algorithm can be told apart from this one.
const version = 1

// ErrKeyInvalid is a BILLING_SECRET_KEY that is not 32 bytes in standard
// base64 with padding.
var ErrKeyInvalid = errors.New("secret: BILLING_SECRET_KEY must be 32 bytes in standard base64 with padding (openssl rand -base64 32)")

// ErrOpen is a sealed value that does not open under this key and
// associated data: another key, another row or field, or altered bytes.
var ErrOpen = errors.New("secret: the sealed value does not open with this key")

// Box seals and opens values under one key. The zero Box is not usable;
// a nil *Box means no key is configured.
type Box struct {
	aead cipher.AEAD
}

// NewBox reads a key written as standard base64 with padding.
func NewBox(encoded string) (*Box, error) {
	key, err := base64.StdEncoding.Strict().DecodeString(encoded)
	if err != nil || len(key) != KeySize {
		return nil, ErrKeyInvalid
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	return &Box{aead: aead}, nil
}

// NewKey makes a random key, encoded as NewBox reads it (for make run).
func NewKey() string {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		panic("secret: the system's random source failed: " + err.Error())
	}
	return base64.StdEncoding.EncodeToString(key)
}

// Seal encrypts plaintext bound to ad: the version byte, a random 96-bit
// nonce, then the ciphertext with its tag.
func (b *Box) Seal(plaintext []byte, ad string) []byte {
	n := b.aead.NonceSize()
	out := make([]byte, 1+n, 1+n+len(plaintext)+b.aead.Overhead())
	out[0] = version
	if _, err := rand.Read(out[1:]); err != nil {
		panic("secret: the system's random source failed: " + err.Error())
	}
	return b.aead.Seal(out, out[1:], plaintext, []byte(ad))
}

// Open decrypts a value Seal made with the same ad; anything else is
// ErrOpen.
func (b *Box) Open(sealed []byte, ad string) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < 1+n+b.aead.Overhead() || sealed[0] != version {
		return nil, ErrOpen
	}
	plain, err := b.aead.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(ad))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
