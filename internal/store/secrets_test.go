package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/schema"
	"billing/internal/secret"
	"billing/internal/testdb"
)

func testBox(t testing.TB) *secret.Box {
	t.Helper()
	b, err := secret.NewBox(secret.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	testPIN = "pin-7Q2x9"
	testKey = "fc8eac422eba16e22ffd8c6f94b3f40a6e38162c"
)

func testProfile() billing.FiscalProfile {
	return billing.FiscalProfile{Nit: "900123456", RazonSocial: "Colegio", TipoPersona: billing.PersonaJuridica,
		Responsabilidades: []string{"R-99-PN"}, Tributo: "ZZ", Direccion: "Calle 1", Municipio: "11001", Ciudad: "Bogotá",
		Departamento: "Bogotá", Email: "f@colegio.co", Ambiente: billing.AmbientePruebas, SoftwareID: "soft", SoftwarePIN: testPIN}
}

func testRange() billing.NumberingResolution {
	from, to := billing.NewDate(2019, 1, 19), billing.NewDate(2030, 1, 19)
	return billing.NumberingResolution{ID: uuid.Must(uuid.NewV7()), TipoDocumento: billing.KindFactura,
		NumeroResolucion: ptr("18760000001"), FechaResolucion: &from, Prefijo: "SETP", Desde: 1, Hasta: 9,
		VigenciaDesde: &from, VigenciaHasta: &to, ClaveTecnica: testKey}
}

// dump is every secret-holding row of the database as text, as pg_dump
// would show it to whoever reads the file.
func dump(t *testing.T, dsn string) string {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var out string
	if err := conn.QueryRow(context.Background(), `SELECT concat_ws(' ',
		(SELECT string_agg(f::text, ' ') FROM fiscal_profiles f),
		(SELECT string_agg(r::text, ' ') FROM numbering_resolutions r),
		(SELECT string_agg(c::text, ' ') FROM signing_certificates c))`).Scan(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSecretsAtRest: the PIN, the technical key and a certificate are
// written sealed and read back open; no dump shows them; without the key
// they are neither written nor used; values stored before sealing are
// sealed by SealPlaintextSecrets; a sealed value moved to another tenant
// does not open there.
func TestSecretsAtRest(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t)
	if _, err := schema.Migrate(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	box := testBox(t)
	s, err := testOpen(ctx, dsn, WithSecrets(box))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	keyless, err := testOpen(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer keyless.Close()
	a, _ := s.CreateTenant(ctx, "A")
	b, _ := s.CreateTenant(ctx, "B")

	// Without the key nothing secret is written.
	for name, write := range map[string]func(tx *Tx) error{
		"profile": func(tx *Tx) error { _, err := tx.PutFiscalProfile(ctx, testProfile()); return err },
		"range":   func(tx *Tx) error { _, err := tx.CreateResolution(ctx, testRange()); return err },
		"certificate": func(tx *Tx) error {
			_, err := tx.PutSigningCertificate(ctx, []byte("p12"), "pw", billing.SigningCertificate{})
			return err
		},
	} {
		if err := keyless.InTx(ctx, a.ID, write); !errors.Is(err, fault.ErrSecretKeyMissing) {
			t.Fatalf("keyless %s write: %v", name, err)
		}
	}

	cert := billing.SigningCertificate{Subject: "CN=900123456", Issuer: "CN=900123456", Serial: "42",
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), UploadedBy: "admin"}
	rng := testRange()
	if err := s.InTx(ctx, a.ID, func(tx *Tx) error {
		if _, err := tx.PutFiscalProfile(ctx, testProfile()); err != nil {
			return err
		}
		if _, err := tx.CreateResolution(ctx, rng); err != nil {
			return err
		}
		_, err := tx.PutSigningCertificate(ctx, []byte("the-p12-bytes"), "the-password", cert)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if d := dump(t, dsn); strings.Contains(d, testPIN) || strings.Contains(d, testKey) ||
		strings.Contains(d, "the-password") || strings.Contains(d, "the-p12-bytes") || strings.Contains(d, "7468652d") {
		t.Fatalf("a secret is readable in the dump: %s", d)
	}
	// Read back open, where documents are built; reads show only that
	// they are set.
	open := func(st *Store, tenant uuid.UUID) (pin, key string, err error) {
		err = st.InTx(ctx, tenant, func(tx *Tx) error {
			p, err := tx.FiscalProfile(ctx)
			if err != nil {
				return err
			}
			rs, err := tx.ActiveResolutions(ctx, billing.KindFactura)
			if err != nil || len(rs) != 1 {
				return errors.Join(err, errors.New("want one active range"))
			}
			pin, key = p.SoftwarePIN, rs[0].ClaveTecnica
			return nil
		})
		return
	}
	if pin, key, err := open(s, a.ID); err != nil || pin != testPIN || key != testKey {
		t.Fatalf("opened %q %q, %v", pin, key, err)
	}
	if p, err := s.FiscalProfile(ctx, a.ID); err != nil || p.SoftwarePIN != "" || !p.SoftwarePINSet {
		t.Fatalf("the profile's read: %+v, %v", p, err)
	}
	if p12, pw, err := s.SigningCertificateFile(ctx, a.ID); err != nil || string(p12) != "the-p12-bytes" || pw != "the-password" {
		t.Fatalf("the certificate file: %q %q %v", p12, pw, err)
	}
	if _, _, err := open(keyless, a.ID); !errors.Is(err, fault.ErrSecretKeyMissing) {
		t.Fatalf("using a sealed PIN without the key: %v", err)
	}
	// A later PUT without a PIN keeps it.
	noPIN := testProfile()
	noPIN.SoftwarePIN = ""
	if err := s.InTx(ctx, a.ID, func(tx *Tx) error { _, err := tx.PutFiscalProfile(ctx, noPIN); return err }); err != nil {
		t.Fatal(err)
	}
	if pin, _, err := open(s, a.ID); err != nil || pin != testPIN {
		t.Fatalf("after a PUT without PIN: %q, %v", pin, err)
	}

	// Tenant B's values, stored before sealing (plaintext, as 00009 left
	// them), are used as they are and sealed once a key is there.
	owner, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	if _, err := owner.Exec(ctx, `INSERT INTO fiscal_profiles (tenant_id, nit, razon_social, tipo_persona, responsabilidades, tributo,
		direccion, municipio, ciudad, departamento, email, ambiente, software_id, software_pin)
		VALUES ($1, '900123456', 'B', 'JURIDICA', '{R-99-PN}', 'ZZ', 'Calle 1', '11001', 'Bogotá', 'Bogotá', 'b@b.co', 'PRUEBAS', 'soft', $2)`,
		b.ID, testPIN); err != nil {
		t.Fatal(err)
	}
	legacy := testRange()
	if _, err := owner.Exec(ctx, `INSERT INTO numbering_resolutions (tenant_id, id, tipo_documento, numero_resolucion, fecha_resolucion,
		prefijo, desde, hasta, vigencia_desde, vigencia_hasta, clave_tecnica, siguiente)
		VALUES ($1, $2, 'FACTURA', '1876', '2019-01-19', 'SETP', 1, 9, '2019-01-19', '2030-01-19', $3, 1)`,
		b.ID, legacy.ID, testKey); err != nil {
		t.Fatal(err)
	}
	if pin, key, err := open(keyless, b.ID); err != nil || pin != testPIN || key != testKey {
		t.Fatalf("plaintext values before sealing: %q %q, %v", pin, key, err)
	}
	if n, err := s.SealPlaintextSecrets(ctx); err != nil || n != 2 {
		t.Fatalf("SealPlaintextSecrets = %d, %v; want 2", n, err)
	}
	if n, err := s.SealPlaintextSecrets(ctx); err != nil || n != 0 {
		t.Fatalf("a second SealPlaintextSecrets = %d, %v; want 0", n, err)
	}
	if d := dump(t, dsn); strings.Contains(d, testPIN) || strings.Contains(d, testKey) {
		t.Fatalf("a secret is still readable after sealing: %s", d)
	}
	if pin, key, err := open(s, b.ID); err != nil || pin != testPIN || key != testKey {
		t.Fatalf("sealed values: %q %q, %v", pin, key, err)
	}

	// A's sealed PIN copied over B's does not open as B's.
	if _, err := owner.Exec(ctx, `UPDATE fiscal_profiles SET software_pin_sealed = (SELECT software_pin_sealed FROM fiscal_profiles WHERE tenant_id = $1)
		WHERE tenant_id = $2`, a.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := open(s, b.ID); err == nil || errors.Is(err, fault.ErrSecretKeyMissing) {
		t.Fatalf("another tenant's sealed PIN opened: %v", err)
	}
}
