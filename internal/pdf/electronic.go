package pdf

import (
	"strconv"

	"billing/internal/billing"
)

// Electronic block geometry.
const (
	authLineH = 3.8
	cufeSize  = 7.0 // points: 96 Courier characters take 142 mm, one line
	qrGap     = 5.0 // between the QR and the text beside it
)

// authorisation is the numbering authorisation's sentence (FISCAL.md §3):
// resolution number and date, prefix, range and validity.
func authorisation(r *billing.NumberingResolution) string {
	return "Numeración autorizada: Resolución DIAN No. " + orDash(deref(r.NumeroResolucion)) +
		" del " + dateText(r.FechaResolucion) +
		", prefijo " + r.Prefijo +
		", rango " + strconv.FormatInt(r.Desde, 10) + " a " + strconv.FormatInt(r.Hasta, 10) +
		", vigente del " + dateText(r.VigenciaDesde) + " al " + dateText(r.VigenciaHasta) + "."
}

// stampBlock is what a document's electronic block prints: the numbering
// authorisation ("" for none), the document's key (CUFE or CUDE) on one
// line, and the QR with the text beside it.
type stampBlock struct {
	auth     string
	keyName  string // "CUFE" or "CUDE"
	key      string
	qr       qrSymbol
	caption  string // what the page is the graphic representation of
	number   string
	issued   string // the issue date and time
	lookup   string // DIAN's lookup address, or ""
	testMode bool   // issued in DIAN's test environment
}

// stampBlock is the invoice's electronic block.
func (v *view) stampBlock() *stampBlock {
	return &stampBlock{
		auth:     authorisation(v.doc.Resolution),
		keyName:  "CUFE",
		key:      v.doc.Invoice.Stamp.CUFE,
		qr:       v.qr,
		caption:  "Representación gráfica de la factura electrónica de venta",
		number:   v.number,
		issued:   v.date + " " + v.time,
		lookup:   v.doc.QRURL,
		testMode: v.seller.Ambiente == billing.AmbientePruebas,
	}
}

// electronic draws an electronic document's block from y, on one page: the
// authorisation, the CUFE or CUDE and the QR with the number, the issue
// date and time and DIAN's lookup address beside it.
func (s *sheet) electronic(b *stampBlock, y float64) {
	side := b.qr.side()
	textX := margin + side + qrGap
	textW := pageW - margin - textX

	s.font("", 8)
	authH := 0.0
	if b.auth != "" {
		authH = s.paraHeight(contentW, authLineH, b.auth) + 2
	}
	beside := s.besideQR(b, textX, textW, false)
	y, broke := s.room(y, 3+authH+5+2+max(side, beside))
	if !broke { // a new page's continuation header already draws a rule
		s.rule(y, 160, 0.2)
		y += 3
	}
	s.font("", 8)
	s.gray(0)
	if b.auth != "" {
		y = s.para(margin, y, contentW, authLineH, b.auth, "L") + 2
	}

	// The key stays on one line, in a font small enough for all 96
	// characters: wrapped, text extraction would give it back in pieces.
	s.font("B", cufeSize)
	label := b.keyName + ": "
	lw := s.f.GetStringWidth(label) + 2
	s.cell(margin, y, lw, 5, label, "L")
	s.f.SetFont(mono, "", cufeSize)
	s.cell(margin+lw-2, y, contentW-lw+2, 5, b.key, "L")
	y += 5 + 2

	b.qr.draw(s.f, margin, y)
	s.f.SetY(y)
	s.besideQR(b, textX, textW, true)
}

// besideQR writes (draw true) or measures the text beside the QR, from the
// current y, and returns its height.
func (s *sheet) besideQR(b *stampBlock, x, w float64, draw bool) float64 {
	type part struct {
		style string
		size  float64
		lh    float64
		text  string
	}
	parts := []part{
		{"B", 9, 4.5, b.caption},
		{"", 8.5, 4.2, "Número: " + b.number},
		{"", 8.5, 4.2, "Fecha y hora de emisión: " + b.issued},
	}
	if b.lookup != "" {
		parts = append(parts,
			part{"", 8, 3.8, "Consulte este documento en la DIAN escaneando el código QR o en:"},
			part{"", 6.5, 3.2, b.lookup})
	} else {
		parts = append(parts, part{"", 8, 3.8, "Consulte este documento en la DIAN escaneando el código QR."})
	}
	if b.testMode {
		parts = append(parts, part{"I", 8, 3.8, "Documento del ambiente de pruebas (habilitación) de la DIAN: sin validez fiscal."})
	}
	// Level with the modules rather than with the quiet zone's edge.
	top := s.f.GetY() + 4
	y := top
	for _, p := range parts {
		s.font(p.style, p.size)
		if draw {
			y = s.para(x, y, w, p.lh, p.text, "L")
		} else {
			y += s.paraHeight(w, p.lh, p.text)
		}
		y += 1
	}
	return y - top + 4
}
