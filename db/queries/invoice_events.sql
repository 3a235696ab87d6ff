-- name: InsertInvoiceEvent :exec
-- The caller holds the invoice's row lock (or has just created it), so the
-- next seq cannot be taken twice.
INSERT INTO invoice_events (tenant_id, invoice_id, seq, from_status, to_status, actor, credit_note_id)
VALUES (@tenant_id, @invoice_id,
        (SELECT COALESCE(max(e.seq), 0) + 1 FROM invoice_events e WHERE e.tenant_id = @tenant_id AND e.invoice_id = @invoice_id),
        @from_status, @to_status, @actor, sqlc.narg(credit_note_id));

-- name: ListInvoiceEvents :many
-- With the numero of the credit note that made a change, if one did.
SELECT e.seq, e.from_status, e.to_status, e.actor, e.created_at, e.credit_note_id,
       COALESCE(n.numero, '')::text AS credit_note_numero
FROM invoice_events e
LEFT JOIN credit_notes n ON n.tenant_id = e.tenant_id AND n.id = e.credit_note_id
WHERE e.tenant_id = @tenant_id AND e.invoice_id = @invoice_id
ORDER BY e.seq;
