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
       COALESCE(n.numero, '')::text AS credit_note_numero, e.correo_id, e.correo_destinatario,
       e.version, v.cufe AS version_cufe, v.dian_reglas AS version_reglas
FROM invoice_events e
LEFT JOIN credit_notes n ON n.tenant_id = e.tenant_id AND n.id = e.credit_note_id
LEFT JOIN invoice_versions v ON v.tenant_id = e.tenant_id AND v.invoice_id = e.invoice_id AND v.version = e.version
WHERE e.tenant_id = @tenant_id AND e.invoice_id = @invoice_id
ORDER BY e.seq;

-- name: InsertMailEvent :execrows
-- Records a mailing sent, once: a mailing recorded already (the outbox
-- ran it twice) inserts nothing. The caller holds the invoice's row lock.
INSERT INTO invoice_events (tenant_id, invoice_id, seq, from_status, to_status, actor, correo_id, correo_destinatario)
SELECT @tenant_id, @invoice_id,
       (SELECT COALESCE(max(e.seq), 0) + 1 FROM invoice_events e WHERE e.tenant_id = @tenant_id AND e.invoice_id = @invoice_id),
       @status, @status, @actor, @correo_id, @correo_destinatario
WHERE NOT EXISTS (SELECT 1 FROM invoice_events e WHERE e.tenant_id = @tenant_id AND e.correo_id = @correo_id);

-- name: GetInvoiceToMail :one
-- What a mailing needs to be asked for: the invoice's status, its
-- customer's email now, and where it stands with DIAN (NULL without a
-- stamp: an invoice issued the seed's way).
SELECT i.status, c.email AS customer_email, s.dian_estado
FROM invoices i
JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
LEFT JOIN invoice_stamps s ON s.tenant_id = i.tenant_id AND s.invoice_id = i.id
WHERE i.tenant_id = @tenant_id AND i.id = @invoice_id;

-- name: GetMailing :one
-- What the mailer needs: whether this mailing went out already, the
-- invoice's number and status, and (electronic) the signed document,
-- where it stands with DIAN and DIAN's answer.
SELECT i.status, i.numero::text AS numero, s.signed_xml, s.dian_estado, s.dian_respuesta,
       EXISTS (SELECT 1 FROM invoice_events e WHERE e.tenant_id = @tenant_id AND e.correo_id = @correo_id)::boolean AS sent
FROM invoices i
LEFT JOIN invoice_stamps s ON s.tenant_id = i.tenant_id AND s.invoice_id = i.id
WHERE i.tenant_id = @tenant_id AND i.id = @invoice_id;

-- name: GetAcceptanceMailing :one
-- Whether the tenant mails an invoice DIAN accepted, and to whom: its
-- customer's email now (NULL for none).
SELECT p.enviar_al_aceptar, c.email AS customer_email
FROM invoices i
JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
JOIN fiscal_profiles p ON p.tenant_id = i.tenant_id
WHERE i.tenant_id = @tenant_id AND i.id = @invoice_id;

-- name: InsertCorrectionEvent :exec
-- Records a correction: the invoice stays ISSUED, the event names the
-- rejected version kept. The caller holds the invoice's row lock.
INSERT INTO invoice_events (tenant_id, invoice_id, seq, from_status, to_status, actor, version)
VALUES (@tenant_id, @invoice_id,
        (SELECT COALESCE(max(e.seq), 0) + 1 FROM invoice_events e WHERE e.tenant_id = @tenant_id AND e.invoice_id = @invoice_id),
        'ISSUED', 'ISSUED', @actor, @version);
