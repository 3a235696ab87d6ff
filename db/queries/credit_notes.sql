-- name: InsertCreditNote :one
INSERT INTO credit_notes (tenant_id, id, invoice_id, resolution_id, consecutivo, numero, concepto, motivo,
                          issue_date, issue_time, cude, qr, subtotal, impuestos, total_descuentos, total_cargos, total,
                          xml, document, actor)
VALUES (@tenant_id, @id, @invoice_id, @resolution_id, @consecutivo, @numero, @concepto, @motivo,
        @issue_date, @issue_time, @cude, @qr, @subtotal, @impuestos, @total_descuentos, @total_cargos, @total,
        @xml, @document, @actor)
RETURNING created_at;

-- name: GetCreditNoteDocument :one
-- A note's frozen content (its lines, taxes, reference and buyer).
SELECT document, created_at, actor FROM credit_notes
WHERE tenant_id = @tenant_id AND id = @id;

-- name: GetCreditNoteXML :one
-- A note's number and UBL document, signed once it is.
SELECT numero, COALESCE(signed_xml, xml) AS xml FROM credit_notes
WHERE tenant_id = @tenant_id AND id = @id;

-- name: GetCreditNoteToSign :one
SELECT numero, xml, (signed_xml IS NOT NULL)::boolean AS signed FROM credit_notes
WHERE tenant_id = @tenant_id AND id = @id;

-- name: SetCreditNoteSignature :execrows
-- Keeps the signed note, once.
UPDATE credit_notes
SET signed_xml = @signed_xml, signed_at = now()
WHERE tenant_id = @tenant_id AND id = @id AND signed_xml IS NULL;

-- name: ListInvoiceCreditNotes :many
-- An invoice's notes, oldest first; no rows for a missing invoice, one row
-- without a document for an invoice without notes.
SELECT n.document, n.created_at, n.actor
FROM invoices i
LEFT JOIN credit_notes n ON n.tenant_id = i.tenant_id AND n.invoice_id = i.id
WHERE i.tenant_id = @tenant_id AND i.id = @invoice_id
ORDER BY n.created_at, n.id;

-- name: ListCreditNotes :many
-- One page of the tenant's notes, newest first, after the cursor's key (as
-- ListInvoices).
SELECT id, document, created_at, actor FROM credit_notes
WHERE tenant_id = @tenant_id
  AND (created_at, id) < (@after_created_at::timestamptz, @after_id::uuid)
ORDER BY created_at DESC, id DESC
LIMIT @max_rows;
