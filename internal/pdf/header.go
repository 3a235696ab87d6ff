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
func (s *sheet) header(p *page) float64 {
	seller := p.seller
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
	return max(y, s.titleBox(p))
}

// titleBox draws the framed title, number, issue date and time and status
// mark at the top right, and returns the y below it.
func (s *sheet) titleBox(p *page) float64 {
	const pad, w = 3.0, titleBoxW - 6.0
	x, y := titleBoxX+pad, margin+pad
	s.font("B", 10.5)
	y = s.para(x, y, w, 5, p.title, "C")
	s.font("B", 12)
	y = s.para(x, y+1, w, 6, "No. "+p.number, "C")
	s.font("", 8.5)
	y = s.para(x, y+1, w, 4.2, "Fecha de emisión: "+p.date, "C")
	y = s.para(x, y, w, 4.2, "Hora de emisión: "+p.time, "C")
	if p.mark != "" {
		s.font("B", 10)
		s.f.SetTextColor(180, 0, 0)
		y = s.para(x, y+1, w, 5, p.mark, "C")
		s.gray(0)
	}
	bottom := y + pad
	s.f.SetDrawColor(60, 60, 60)
	s.f.SetLineWidth(0.4)
	s.f.Rect(titleBoxX, margin, titleBoxW, bottom-margin, "D")
	return bottom
}

// parties draws the buyer block at y: the buyer c on the left and, beside
// it, a column titled rightTitle of the lines right (an invoice's payment
// terms, a note's referenced invoice). It returns the y below the block.
func (s *sheet) parties(c billing.Customer, rightTitle string, right []string, y float64) float64 {
	const pad, lh = 2.5, 4.2
	const leftW, rightX = sellerW - pad, titleBoxX + pad
	const rightW = titleBoxW - 2*pad
	top := y
	y += pad
	s.font("B", 7.5)
	s.gray(90)
	s.cell(margin+pad, y, leftW, 3.5, "ADQUIRIENTE", "L")
	s.cell(rightX, y, rightW, 3.5, rightTitle, "L")
	s.gray(0)
	y += 4
	left, ry := y, y
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

	for _, r := range right {
		ry = s.para(rightX, ry, rightW, lh, r, "L")
	}

	bottom := max(left, ry) + pad
	s.f.SetDrawColor(160, 160, 160)
	s.f.SetLineWidth(0.2)
	s.f.Rect(margin, top, contentW, bottom-top, "D")
	return bottom
}

// continuation is fpdf's header function: from page 2 on, one line naming
// the seller and the document, so a loose page still says what it belongs
// to.
func (s *sheet) continuation(p *page) {
	if s.f.PageNo() == 1 {
		return
	}
	s.font("B", 9)
	s.gray(0)
	s.cell(margin, margin, contentW/2, 5, p.seller.RazonSocial, "L")
	s.font("", 9)
	s.cell(margin+contentW/2, margin, contentW/2, 5, p.title+" No. "+p.number+" (continuación)", "R")
	s.rule(margin+6, 120, 0.3)
	s.f.SetY(margin + 9)
}

// footer is fpdf's footer function: the software maker, the number and the
// page on every page ("{nb}" is fpdf's alias for the page count).
func (s *sheet) footer(p *page) {
	s.rule(footerY, 160, 0.2)
	s.font("", 7)
	s.gray(90)
	s.cell(margin, footerY+1, contentW*0.6, 4, softwareLine, "L")
	where := p.number + " · Página " + strconv.Itoa(s.f.PageNo()) + " de {nb}"
	s.cell(margin+contentW*0.6, footerY+1, contentW*0.4, 4, where, "R")
	s.gray(0)
}
