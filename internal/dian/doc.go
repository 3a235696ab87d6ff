// Package dian holds the pure rules and documents of Colombian electronic
// invoicing (FISCAL.md §3–§6): the choice of a numbering range and the
// document number, the CUFE and CUDE hashes and the software security code,
// DIAN's lookup URL and the printed QR's text, and the UBL 2.1 Invoice and
// CreditNote with DIAN's extensions, rendered from a billing.Document or a
// billing.CreditNoteDocument and read back for checks.
//
// It does no I/O and keeps no clock: the same Document always renders the
// same bytes, so a document can be rebuilt, compared and signed. It imports
// billing, money, fault and the standard library, and nothing that reaches a
// database, HTTP or generated code (a test in internal/floors holds that).
//
// The XML it writes is unsigned: the signature's UBLExtension is added by the
// signer, on these exact bytes, never on a re-serialisation.
package dian
