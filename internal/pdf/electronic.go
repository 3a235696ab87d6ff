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

// electronic draws the electronic invoice's block from y, on one page: the
// authorisation, the CUFE and the QR with the issue date and time and
// DIAN's lookup address beside it.
func (s *sheet) electronic(v *view, y float64) {
	doc := v.doc
	side := v.qr.side()
	textX := margin + side + qrGap
	textW := pageW - margin - textX

	auth := authorisation(doc.Resolution)
	s.font("", 8)
	authH := s.paraHeight(contentW, authLineH, auth)
	beside := s.besideQR(v, textX, textW, false)
	y, broke := s.room(y, 3+authH+2+5+2+max(side, beside))
	if !broke { // a new page's continuation header already draws a rule
		s.rule(y, 160, 0.2)
		y += 3
	}
	s.font("", 8)
	s.gray(0)
	y = s.para(margin, y, contentW, authLineH, auth, "L")

	// The CUFE stays on one line, in a font small enough for all 96
	// characters: wrapped, text extraction would give it back in pieces.
	y += 2
	s.font("B", cufeSize)
	label := "CUFE: "
	lw := s.f.GetStringWidth(label) + 2
	s.cell(margin, y, lw, 5, label, "L")
	s.f.SetFont(mono, "", cufeSize)
	s.cell(margin+lw-2, y, contentW-lw+2, 5, doc.Invoice.Stamp.CUFE, "L")
	y += 5 + 2

	v.qr.draw(s.f, margin, y)
	s.f.SetY(y)
	s.besideQR(v, textX, textW, true)
}

// besideQR writes (draw true) or measures the text beside the QR, from the
// current y, and returns its height.
func (s *sheet) besideQR(v *view, x, w float64, draw bool) float64 {
	type part struct {
		style string
		size  float64
		lh    float64
		text  string
	}
	parts := []part{
		{"B", 9, 4.5, "Representación gráfica de la factura electrónica de venta"},
		{"", 8.5, 4.2, "Número: " + v.doc.Invoice.Numero},
		{"", 8.5, 4.2, "Fecha y hora de emisión: " + v.date + " " + v.time},
	}
	if v.doc.QRURL != "" {
		parts = append(parts,
			part{"", 8, 3.8, "Consulte este documento en la DIAN escaneando el código QR o en:"},
			part{"", 6.5, 3.2, v.doc.QRURL})
	} else {
		parts = append(parts, part{"", 8, 3.8, "Consulte este documento en la DIAN escaneando el código QR."})
	}
	if v.doc.Seller.Ambiente == billing.AmbientePruebas {
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
