// Package pdf renders the printed invoice and credit note: the graphic
// representation of an electronic invoice (FISCAL.md §6) or a plain invoice,
// from a billing.Document alone, and of an electronic credit note, from a
// billing.CreditNoteDocument alone. It is pure: no I/O, no clock (the same
// document always gives the same bytes), no database and no HTTP.
//
// Layout, A4 portrait, 15 mm margins, core fonts (Helvetica, Courier for the
// CUFE and CUDE), nothing embedded but vector drawing:
//
//   - header: the seller on the left (razón social, nombre comercial, NIT
//     with its check digit, address and city, contact, fiscal
//     responsibilities and tax scheme); on the right a framed title box with
//     the title ("Factura electrónica de venta", "Factura de venta" or "Nota
//     crédito electrónica"), the number, and the issue date and time;
//   - buyer block: the buyer's name, identification (type and number, with
//     the check digit for a NIT), address and contact on the left; on the
//     right, an invoice's payment terms (forma de pago with the credit days,
//     medio de pago by name and code, the due date when it has one) and the
//     currency, or the number and date of the invoice a note corrects;
//   - a credit note's correction box: the corrected invoice's CUFE, the
//     concept (number and name) and the motivo;
//   - lines table: #, quantity, description (wrapped), unit price, tax (rate,
//     "Excluido" or "Exento") and subtotal; when any line has a discount,
//     also its gross value and the discount (amount, and the percentage it
//     was written with), the subtotal being the net; a note's lines are
//     numbered as on the invoice, and one that credits an amount only shows
//     "valor" for its quantity. A row that does not fit goes to the next
//     page, which repeats the table's header under a one-line continuation
//     header;
//   - taxes and totals: the tax breakdown by scheme and rate (base, valor) on
//     the left; subtotal, impuestos, the document-level descuentos and cargos
//     (with their conceptos) when non-zero, and the total on the right, kept
//     together;
//   - electronic block, for an electronic document only, kept together: the
//     numbering authorisation (resolution, prefix, range, validity), the CUFE
//     or CUDE on one line in a small monospaced font (so that text extraction
//     gives it back as one string), and the QR, drawn as vector squares with
//     a 4-module quiet zone, beside the number, the issue date and time and
//     DIAN's lookup address;
//   - footer on every page: the software maker line, the number and
//     "Página n de m".
package pdf
