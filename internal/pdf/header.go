package pdf

import (
	"strconv"

	"billing/internal/billing"
)

// Header geometry: the title box on the right, the seller beside it.
const (
	titleBoxW = 68.0
	sellerW   = contentW - titleBoxW - 5
	titleBoxX = pageW - margin - titleBoxW
)

// header draws page 1's header, the seller and the title box, and returns
// the y below it.
func (s *sheet) header(v *view) float64 {
	seller := v.doc.Seller
	const lh = 4.2
	y := margin
	s.gray(0)
	s.font("B", 13)
	y = s.para(margin, y, sellerW, 6, seller.RazonSocial, "L")
	s.font("", 9)
	y = s.para(margin, y, sellerW, lh, deref(seller.NombreComercial), "L")
	if seller.Nit != "" {
		s.font("B", 9)
		y = s.para(margin, y, sellerW, lh, "NIT "+seller.Nit+"-"+seller.DV(), "L")
		s.font("", 9)
	}
	y = s.para(margin, y, sellerW, lh, join(", ", seller.Direccion, seller.Ciudad, seller.Departamento), "L")
	var phone string
	if t := deref(seller.Telefono); t != "" {
		phone = "Tel. " + t
	}
	y = s.para(margin, y, sellerW, lh, join(" · ", phone, seller.Email), "L")
	s.font("", 8)
	if len(seller.Responsabilidades) > 0 {
		y = s.para(margin, y, sellerW, 3.8, "Responsabilidades fiscales: "+responsibilities(seller.Responsabilidades), "L")
	}
	if seller.Tributo != "" {
		y = s.para(margin, y, sellerW, 3.8, "Tributo: "+partyScheme(seller.Tributo), "L")
	}
	return max(y, s.titleBox(v))
}

// titleBox draws the framed title, number and issue date and time at the
// top right, and returns the y below it.
func (s *sheet) titleBox(v *view) float64 {
	const pad, w = 3.0, titleBoxW - 6.0
	x, y := titleBoxX+pad, margin+pad
	s.font("B", 10.5)
	y = s.para(x, y, w, 5, v.title, "C")
	s.font("B", 12)
	y = s.para(x, y+1, w, 6, "No. "+v.doc.Invoice.Numero, "C")
	s.font("", 8.5)
	y = s.para(x, y+1, w, 4.2, "Fecha de emisión: "+v.date, "C")
	y = s.para(x, y, w, 4.2, "Hora de emisión: "+v.time, "C")
	if inv := v.doc.Invoice; inv.Status == billing.InvoiceCancelled {
		s.font("B", 10)
		s.f.SetTextColor(180, 0, 0)
		label := "ANULADA"
		if inv.CancelledAt != nil {
			label += " el " + billing.DateOf(*inv.CancelledAt).String()
		}
		y = s.para(x, y+1, w, 5, label, "C")
		s.gray(0)
	}
	bottom := y + pad
	s.f.SetDrawColor(60, 60, 60)
	s.f.SetLineWidth(0.4)
	s.f.Rect(titleBoxX, margin, titleBoxW, bottom-margin, "D")
	return bottom
}

// buyer draws the buyer block at y, with the payment terms beside it, and
// returns the y below it.
func (s *sheet) buyer(v *view, y float64) float64 {
	c := v.doc.Invoice.Customer
	const pad, lh = 2.5, 4.2
	const leftW, rightX = sellerW - pad, titleBoxX + pad
	const rightW = titleBoxW - 2*pad
	top := y
	y += pad
	s.font("B", 7.5)
	s.gray(90)
	s.cell(margin+pad, y, leftW, 3.5, "ADQUIRIENTE", "L")
	s.cell(rightX, y, rightW, 3.5, "CONDICIONES DE PAGO", "L")
	s.gray(0)
	y += 4
	left, right := y, y
	s.font("B", 10)
	left = s.para(margin+pad, left, leftW, 5, c.RazonSocial, "L")
	s.font("", 9)
	left = s.para(margin+pad, left, leftW, lh, identification(c), "L")
	left = s.para(margin+pad, left, leftW, lh, deref(c.Direccion), "L")
	var phone string
	if t := deref(c.Telefono); t != "" {
		phone = "Tel. " + t
	}
	left = s.para(margin+pad, left, leftW, lh, join(" · ", phone, deref(c.Email)), "L")

	right = s.para(rightX, right, rightW, lh, "Forma de pago: "+v.pay.Forma, "L")
	right = s.para(rightX, right, rightW, lh, "Medio de pago: "+v.pay.Medio, "L")
	right = s.para(rightX, right, rightW, lh, "Moneda: COP (peso colombiano)", "L")

	bottom := max(left, right) + pad
	s.f.SetDrawColor(160, 160, 160)
	s.f.SetLineWidth(0.2)
	s.f.Rect(margin, top, contentW, bottom-top, "D")
	return bottom
}

// continuation is fpdf's header function: from page 2 on, one line naming
// the seller and the invoice, so a loose page still says what it belongs to.
func (s *sheet) continuation(v *view) {
	if s.f.PageNo() == 1 {
		return
	}
	s.font("B", 9)
	s.gray(0)
	s.cell(margin, margin, contentW/2, 5, v.doc.Seller.RazonSocial, "L")
	s.font("", 9)
	s.cell(margin+contentW/2, margin, contentW/2, 5, v.title+" No. "+v.doc.Invoice.Numero+" (continuación)", "R")
	s.rule(margin+6, 120, 0.3)
	s.f.SetY(margin + 9)
}

// footer is fpdf's footer function: the software maker, the number and the
// page on every page ("{nb}" is fpdf's alias for the page count).
func (s *sheet) footer(v *view) {
	s.rule(footerY, 160, 0.2)
	s.font("", 7)
	s.gray(90)
	s.cell(margin, footerY+1, contentW*0.6, 4, softwareLine, "L")
	page := v.doc.Invoice.Numero + " · Página " + strconv.Itoa(s.f.PageNo()) + " de {nb}"
	s.cell(margin+contentW*0.6, footerY+1, contentW*0.4, 4, page, "R")
	s.gray(0)
}
