-- name: GetSigningCertificate :one
SELECT * FROM signing_certificates
WHERE tenant_id = @tenant_id;

-- name: PutSigningCertificate :one
-- Creates or replaces the tenant's certificate.
INSERT INTO signing_certificates (tenant_id, p12_sealed, password_sealed, subject, issuer, serial, not_before, not_after, uploaded_by)
VALUES (@tenant_id, @p12_sealed, @password_sealed, @subject, @issuer, @serial, @not_before, @not_after, @uploaded_by)
ON CONFLICT (tenant_id) DO UPDATE
SET p12_sealed = EXCLUDED.p12_sealed, password_sealed = EXCLUDED.password_sealed, subject = EXCLUDED.subject,
    issuer = EXCLUDED.issuer, serial = EXCLUDED.serial, not_before = EXCLUDED.not_before,
    not_after = EXCLUDED.not_after, uploaded_by = EXCLUDED.uploaded_by, uploaded_at = now()
WHERE signing_certificates.tenant_id = @tenant_id
RETURNING *;
