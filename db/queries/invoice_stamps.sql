-- name: InsertInvoiceStamp :exec
INSERT INTO invoice_stamps (tenant_id, invoice_id, resolution_id, consecutivo, issue_date, issue_time, cufe, qr, xml, document)
VALUES (@tenant_id, @invoice_id, @resolution_id, @consecutivo, @issue_date, @issue_time, @cufe, @qr, @xml, @document);

-- name: GetInvoiceXML :one
SELECT xml FROM invoice_stamps
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id;

-- name: GetInvoiceDocument :one
SELECT document FROM invoice_stamps
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id;
