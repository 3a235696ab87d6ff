-- name: InsertInvoiceStamp :exec
INSERT INTO invoice_stamps (tenant_id, invoice_id, resolution_id, consecutivo, issue_date, issue_time, cufe, qr, xml, document)
VALUES (@tenant_id, @invoice_id, @resolution_id, @consecutivo, @issue_date, @issue_time, @cufe, @qr, @xml, @document);

-- name: GetInvoiceXML :one
-- The invoice's issue and its stored UBL document (NULL when it was issued
-- the seed's way or not at all), in one read: no row means no such invoice.
SELECT i.issued_at, s.xml
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
