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

-- name: SetInvoiceSignature :execrows
-- Keeps the signed document, once: a signed invoice is never signed again.
UPDATE invoice_stamps
SET signed_xml = @signed_xml, signed_at = now()
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id AND signed_xml IS NULL;
