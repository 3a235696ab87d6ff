package pdf

import (
	"fmt"

	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"
)

// QR geometry, in millimetres. A module of 0.5 mm is about 4 pixels in a
// 200 dpi render and 6 at 300 dpi, which scanners and zbar read reliably;
// the side never falls below qrMinSide, above FISCAL.md §6's 3 cm, however
// short the text.
const (
	qrQuiet    = 4   // modules of quiet zone on each side (ISO/IEC 18004)
	qrModule   = 0.5 // preferred module side
	qrMinSide  = 35  // smallest side, quiet zone included
	qrRecovery = qrcode.Medium
)

// qrSymbol is a QR's module matrix (without quiet zone) and the side of one
// module on the page.
type qrSymbol struct {
	modules [][]bool // [row][column], true for a dark module
	module  float64
}

// newQR encodes text at recovery level M (about 15 % of the symbol may be
// smudged and it still reads) without growing past a printable size: the
// printed QR of FISCAL.md §6 (about 450 bytes) is version 16, 81 modules,
// 44.5 mm with its quiet zone.
func newQR(text string) (qrSymbol, error) {
	q, err := qrcode.New(text, qrRecovery)
	if err != nil {
		return qrSymbol{}, fmt.Errorf("encoding the QR (%d bytes): %w", len(text), err)
	}
	// The quiet zone is ours to draw (qrQuiet), so the matrix comes bare.
	q.DisableBorder = true
	m := q.Bitmap()
	s := qrSymbol{modules: m, module: qrModule}
	if side := float64(len(m)+2*qrQuiet) * qrModule; side < qrMinSide {
		s.module = qrMinSide / float64(len(m)+2*qrQuiet)
	}
	return s, nil
}

// size is the number of modules on a side, quiet zone excluded.
func (s qrSymbol) size() int { return len(s.modules) }

// side is the printed side in millimetres, quiet zone included.
func (s qrSymbol) side() float64 { return float64(s.size()+2*qrQuiet) * s.module }

// draw paints the symbol with its quiet zone's top-left corner at (x, y).
// Each row's runs of dark modules become rectangles of one path filled at
// once: vector squares stay crisp at any zoom or render resolution (an image
// at one pixel per module is blurred by the viewer's scaling and stops
// decoding), and one fill of the union leaves no anti-aliasing seams between
// neighbouring squares.
func (s qrSymbol) draw(f *fpdf.Fpdf, x, y float64) {
	side := s.side()
	// The quiet zone must stay light even over a tinted background.
	f.SetFillColor(255, 255, 255)
	f.Rect(x, y, side, side, "F")
	// A colour operator inside a path is invalid PDF: set black first.
	f.SetFillColor(0, 0, 0)
	x0, y0 := x+qrQuiet*s.module, y+qrQuiet*s.module
	for r, row := range s.modules {
		top, bottom := y0+float64(r)*s.module, y0+float64(r+1)*s.module
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			left, right := x0+float64(start)*s.module, x0+float64(c)*s.module
			f.MoveTo(left, top)
			f.LineTo(right, top)
			f.LineTo(right, bottom)
			f.LineTo(left, bottom)
			f.ClosePath()
		}
	}
	f.DrawPath("F")
}
