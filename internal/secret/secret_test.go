package secret

import (
	"bytes"
	"errors"
	"testing"
)

func TestSealOpen(t *testing.T) {
	box, err := NewBox(NewKey())
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewBox(NewKey())
	sealed := box.Seal([]byte("12345"), "tenant-a/software_pin")
	if bytes.Contains(sealed, []byte("12345")) {
		t.Fatal("the plaintext shows in the sealed value")
	}
	if again := box.Seal([]byte("12345"), "tenant-a/software_pin"); bytes.Equal(again, sealed) {
		t.Fatal("two seals of one value are equal: the nonce is not fresh")
	}
	if got, err := box.Open(sealed, "tenant-a/software_pin"); err != nil || string(got) != "12345" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	flipped := append([]byte{}, sealed...)
	flipped[len(flipped)-1] ^= 1
	for _, c := range []struct {
		name   string
		box    *Box
		sealed []byte
		ad     string
	}{
		{"another tenant's row", box, sealed, "tenant-b/software_pin"},
		{"another field", box, sealed, "tenant-a/clave_tecnica"},
		{"another key", other, sealed, "tenant-a/software_pin"},
		{"altered bytes", box, flipped, "tenant-a/software_pin"},
		{"truncated", box, sealed[:10], "tenant-a/software_pin"},
		{"empty", box, nil, "tenant-a/software_pin"},
		{"another version", box, append([]byte{2}, sealed[1:]...), "tenant-a/software_pin"},
	} {
		if _, err := c.box.Open(c.sealed, c.ad); !errors.Is(err, ErrOpen) {
			t.Errorf("%s: Open = %v, want ErrOpen", c.name, err)
		}
	}
}

func TestNewBoxRefusesBadKeys(t *testing.T) {
	for _, k := range []string{
		"",
		"c2hvcnQ=", // 5 bytes
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",   // 32 bytes without padding
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=A", // trailing garbage
		"____________________________________________",  // URL alphabet
	} {
		if _, err := NewBox(k); !errors.Is(err, ErrKeyInvalid) {
			t.Errorf("NewBox(%q) = %v, want ErrKeyInvalid", k, err)
		}
	}
	if _, err := NewBox("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="); err != nil {
		t.Errorf("a 32-byte key with padding: %v", err)
	}
}
