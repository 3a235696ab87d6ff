package pdf

import "runtime"

// renders bounds the documents printed at once to the processors Go may
// use. Printing is CPU alone, so more at once prints none sooner, while
// each holds its buffers until it is done (a two-line invoice allocates
// about 4 MB: fpdf's page buffers and zlib writer, go-qrcode's
// polynomials); under make bench's 16 clients the PDF row's peak RSS was
// 123 MB without the bound.
var renders = make(chan struct{}, runtime.GOMAXPROCS(0))

// printing waits for a free render and returns what frees it.
func printing() (done func()) {
	renders <- struct{}{}
	return func() { <-renders }
}
