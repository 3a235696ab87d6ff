package dian

import (
	"testing"

	"billing/internal/billing"
)

func TestQRURL(t *testing.T) {
	const cufe = "82da504bbb89d15cd3a25c241786ee07c780835fbc2721f1a613610f8385039f35514125120d152d74a7321f156bcacb"
	tests := []struct {
		ambiente billing.Ambiente
		want     string
	}{
		{billing.AmbienteProduccion, "https://catalogo-vpfe.dian.gov.co/document/searchqr?documentkey=" + cufe},
		{billing.AmbientePruebas, "https://catalogo-vpfe-hab.dian.gov.co/document/searchqr?documentkey=" + cufe},
		{"", "https://catalogo-vpfe-hab.dian.gov.co/document/searchqr?documentkey=" + cufe}, // as Ambiente.Code: not production is test
	}
	for _, tt := range tests {
		t.Run(string(tt.ambiente), func(t *testing.T) {
			if got := QRURL(cufe, tt.ambiente); got != tt.want {
				t.Errorf("QRURL = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestQRText(t *testing.T) {
	doc := issue(t, 990000011, seller("ZA"), parent(),
		tuition(),
		item("Uniforme", "1", "100000", "19", billing.SchemeIVA, billing.Gravado),
		item("Almuerzo", "1", "20000", "8", billing.SchemeINC, billing.Gravado))
	cufe := doc.Invoice.Stamp.CUFE
	want := "NumFac: SETP990000011\n" +
		"FecFac: 2026-02-02\n" +
		"HorFac: 08:00:00-05:00\n" +
		"NitFac: 900123456\n" +
		"DocAdq: 1020304050\n" +
		"ValFac: 1320000.00\n" +
		"ValIva: 19000.00\n" +
		"ValOtroIm: 1600.00\n" +
		"ValTolFac: 1340600.00\n" +
		"CUFE: " + cufe + "\n" +
		"QRCode: https://catalogo-vpfe-hab.dian.gov.co/document/searchqr?documentkey=" + cufe
	if got := QRText(doc); got != want {
		t.Errorf("QRText:\n%s\nwant\n%s", got, want)
	}
	if doc.Invoice.Stamp.QR != want {
		t.Errorf("the stamp's QR is not QRText")
	}

	excluded := issue(t, 990000012, seller("ZZ"), consumidorFinal(), tuition())
	want = "NumFac: SETP990000012\nFecFac: 2026-02-02\nHorFac: 08:00:00-05:00\nNitFac: 900123456\nDocAdq: 222222222222\n" +
		"ValFac: 1200000.00\nValIva: 0.00\nValOtroIm: 0.00\nValTolFac: 1200000.00\nCUFE: " + excluded.Invoice.Stamp.CUFE +
		"\nQRCode: " + excluded.QRURL
	if got := QRText(excluded); got != want {
		t.Errorf("QRText of an excluded invoice:\n%s\nwant\n%s", got, want)
	}
}
