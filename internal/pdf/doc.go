// Package pdf renders the printed invoice: the graphic representation of an
// electronic invoice (FISCAL.md §6) or a plain invoice, from a
// billing.Document alone. It is pure: no I/O, no clock (the same document
// always gives the same bytes), no database and no HTTP.
//
// Layout, A4 portrait, 15 mm margins, core fonts (Helvetica, Courier for the
// CUFE), nothing embedded but vector drawing:
//
//   - header: the seller on the left (razón social, nombre comercial, NIT
//     with its check digit, address and city, contact, fiscal
//     responsibilities and tax scheme); on the right a framed title box with
//     the title ("Factura electrónica de venta" or "Factura de venta"), the
//     number, and the issue date and time;
//   - buyer block: the buyer's name, identification (type and number, with
//     the check digit for a NIT), address and contact on the left; forma and
//     medio de pago and the currency on the right;
//   - lines table: #, quantity, description (wrapped), unit price, tax (rate,
//     "Excluido" or "Exento") and subtotal; a row that does not fit goes to
//     the next page, which repeats the table's header under a one-line
//     continuation header;
//   - taxes and totals: the tax breakdown by scheme and rate (base, valor) on
//     the left, subtotal, impuestos and total on the right, kept together;
//   - electronic block, for an electronic invoice only, kept together: the
//     numbering authorisation (resolution, prefix, range, validity), the CUFE
//     on one line in a small monospaced font (so that text extraction gives
//     it back as one string), and the QR, drawn as vector squares with a
//     4-module quiet zone, beside the issue date and time and DIAN's lookup
//     address;
//   - footer on every page: the software maker line, the number and
//     "Página n de m".
package pdf
