-- name: InsertInvoiceStamp :exec
INSERT INTO invoice_stamps (tenant_id, invoice_id, resolution_id, consecutivo, issue_date, issue_time, cufe, qr, xml, document)
VALUES (@tenant_id, @invoice_id, @resolution_id, @consecutivo, @issue_date, @issue_time, @cufe, @qr, @xml, @document);

-- name: GetInvoiceXML :one
-- The invoice's issue and its stored UBL document, signed once it is
-- (NULL when it was issued the seed's way or not at all), in one read: no
-- row means no such invoice.
SELECT i.issued_at, COALESCE(s.signed_xml, s.xml) AS xml
FROM invoices i
LEFT JOIN invoice_stamps s ON s.tenant_id = i.tenant_id AND s.invoice_id = i.id
WHERE i.tenant_id = @tenant_id AND i.id = @invoice_id;

-- name: GetInvoiceDocument :one
-- The invoice's status and its stored document content (NULL without a
-- stamp), in one read: no row means no such invoice.
SELECT i.status, i.issued_at, i.cancelled_at, s.document
FROM invoices i
LEFT JOIN invoice_stamps s ON s.tenant_id = i.tenant_id AND s.invoice_id = i.id
WHERE i.tenant_id = @tenant_id AND i.id = @invoice_id;

-- name: GetInvoiceToSign :one
-- What the signer needs of an issued electronic invoice: its number, the
-- unsigned document and whether it is signed already.
SELECT i.numero::text AS numero, s.xml, (s.signed_xml IS NOT NULL)::boolean AS signed
FROM invoice_stamps s
JOIN invoices i ON i.tenant_id = s.tenant_id AND i.id = s.invoice_id
WHERE s.tenant_id = @tenant_id AND s.invoice_id = @invoice_id;

-- name: SetInvoiceSignature :many
-- Keeps the signed document, once: a signed invoice is never signed again
-- (no row comes back). The sending it starts comes back.
UPDATE invoice_stamps
SET signed_xml = @signed_xml, signed_at = now()
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id AND signed_xml IS NULL
RETURNING dian_envios;

-- name: GetInvoiceToSend :one
-- What the transmitter needs of an electronic invoice: its number and
-- CUFE, the signed document (NULL until signed), where it stands with
-- DIAN, and the tenant's environment.
SELECT i.numero::text AS numero, s.cufe, s.signed_xml, s.dian_estado, p.ambiente, p.test_set_id, s.dian_zip_key, s.dian_envios
FROM invoice_stamps s
JOIN invoices i ON i.tenant_id = s.tenant_id AND i.id = s.invoice_id
JOIN fiscal_profiles p ON p.tenant_id = s.tenant_id
WHERE s.tenant_id = @tenant_id AND s.invoice_id = @invoice_id;

-- name: SetInvoiceTransmission :exec
-- Records an attempt's outcome; a final verdict (ACEPTADA, RECHAZADA) is
-- never overwritten. A send (set_zip_key) replaces the ZipKey:
-- SendTestSetAsync's, or none.
UPDATE invoice_stamps
SET dian_estado = @dian_estado, dian_reglas = @dian_reglas, dian_intentos = dian_intentos + @intento::integer,
    dian_actualizado = now(), dian_respuesta = COALESCE(sqlc.narg(dian_respuesta), dian_respuesta),
    dian_zip_key = CASE WHEN @set_zip_key::boolean THEN sqlc.narg(dian_zip_key) ELSE dian_zip_key END
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id AND dian_estado NOT IN ('ACEPTADA', 'RECHAZADA');

-- name: GetInvoiceTransmission :one
-- Where an issued invoice stands with DIAN; no stamp row for an invoice
-- issued the seed's way (the LEFT JOIN's NULLs), no row at all for none.
SELECT i.issued_at, s.dian_estado, s.dian_reglas, s.dian_intentos, s.dian_actualizado
FROM invoices i
LEFT JOIN invoice_stamps s ON s.tenant_id = i.tenant_id AND s.invoice_id = i.id
WHERE i.tenant_id = @tenant_id AND i.id = @invoice_id;

-- name: ResendInvoice :one
-- Puts a rejected or failed invoice back to be sent: the verdict it had
-- is what the history of its attempts keeps (the deliveries).
UPDATE invoice_stamps
SET dian_estado = 'PENDIENTE', dian_envios = dian_envios + 1, dian_actualizado = now()
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id AND dian_estado IN ('RECHAZADA', 'ERROR')
RETURNING dian_envios;

-- name: ArchiveRejectedVersion :one
-- Keeps the rejected version of an invoice about to be corrected, whole:
-- as issued, as signed and sent, and as DIAN answered. No row unless DIAN
-- rejected it.
INSERT INTO invoice_versions (tenant_id, invoice_id, version, cufe, issue_date, issue_time, xml, signed_xml, document,
    dian_reglas, dian_respuesta, actor)
SELECT s.tenant_id, s.invoice_id,
       (SELECT COALESCE(max(v.version), 0) + 1 FROM invoice_versions v WHERE v.tenant_id = @tenant_id AND v.invoice_id = @invoice_id),
       s.cufe, s.issue_date, s.issue_time, s.xml, s.signed_xml, s.document, s.dian_reglas, s.dian_respuesta, @actor
FROM invoice_stamps s
WHERE s.tenant_id = @tenant_id AND s.invoice_id = @invoice_id AND s.dian_estado = 'RECHAZADA'
RETURNING version;

-- name: RestampInvoice :one
-- Re-stamps a rejected invoice with its corrected document: the number and
-- range stay; it waits to be signed and sent again as a new sending.
UPDATE invoice_stamps
SET issue_date = @issue_date, issue_time = @issue_time, cufe = @cufe, qr = @qr, xml = @xml, document = @document,
    signed_xml = NULL, signed_at = NULL, dian_estado = 'PENDIENTE', dian_reglas = '[]', dian_respuesta = NULL,
    dian_zip_key = NULL, dian_envios = dian_envios + 1, dian_actualizado = now()
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id AND dian_estado = 'RECHAZADA'
RETURNING dian_envios;

-- name: InvoiceCorrectable :one
-- Where an issued invoice stands for a correction: DIAN's verdict (NULL
-- without a stamp) and whether credit notes were issued against it.
SELECT s.dian_estado,
       EXISTS (SELECT 1 FROM credit_notes n WHERE n.tenant_id = @tenant_id AND n.invoice_id = @invoice_id)::boolean AS has_notes
FROM invoices i
LEFT JOIN invoice_stamps s ON s.tenant_id = i.tenant_id AND s.invoice_id = i.id
WHERE i.tenant_id = @tenant_id AND i.id = @invoice_id;
