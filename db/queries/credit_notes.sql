-- name: InsertCreditNote :one
INSERT INTO credit_notes (tenant_id, id, invoice_id, resolution_id, consecutivo, numero, concepto, motivo,
                          issue_date, issue_time, cude, qr, subtotal, impuestos, total_descuentos, total_cargos, total,
                          xml, document, actor)
VALUES (@tenant_id, @id, @invoice_id, @resolution_id, @consecutivo, @numero, @concepto, @motivo,
        @issue_date, @issue_time, @cude, @qr, @subtotal, @impuestos, @total_descuentos, @total_cargos, @total,
        @xml, @document, @actor)
RETURNING created_at;

-- name: GetCreditNoteDocument :one
-- A note's frozen content (its lines, taxes, reference and buyer), and
-- where it stands with DIAN now, in one read.
SELECT document, created_at, actor, dian_estado, dian_reglas, dian_intentos, dian_actualizado FROM credit_notes
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

-- name: GetCreditNoteToSend :one
-- What the transmitter needs of a credit note: its number and CUDE, the
-- signed document, where it and its invoice stand with DIAN (a note is
-- sent once its invoice is accepted), and the tenant's environment.
SELECT n.numero, n.cude, n.signed_xml, n.dian_estado, COALESCE(s.dian_estado, '')::text AS invoice_dian_estado, p.ambiente,
       p.test_set_id, n.dian_zip_key
FROM credit_notes n
LEFT JOIN invoice_stamps s ON s.tenant_id = n.tenant_id AND s.invoice_id = n.invoice_id
JOIN fiscal_profiles p ON p.tenant_id = n.tenant_id
WHERE n.tenant_id = @tenant_id AND n.id = @id;

-- name: SetCreditNoteTransmission :exec
-- Records an attempt's outcome on a note; a final verdict is kept. A send
-- (set_zip_key) replaces the ZipKey: SendTestSetAsync's, or none.
UPDATE credit_notes
SET dian_estado = @dian_estado, dian_reglas = @dian_reglas, dian_intentos = dian_intentos + @intento::integer,
    dian_actualizado = now(), dian_respuesta = COALESCE(sqlc.narg(dian_respuesta), dian_respuesta),
    dian_zip_key = CASE WHEN @set_zip_key::boolean THEN sqlc.narg(dian_zip_key) ELSE dian_zip_key END
WHERE tenant_id = @tenant_id AND id = @id AND dian_estado NOT IN ('ACEPTADA', 'RECHAZADA');

