-- name: CreateNumberingResolution :one
-- The technical key arrives sealed (store/secrets.go); clave_tecnica, its
-- plaintext column, only holds keys stored before they were sealed.
INSERT INTO numbering_resolutions (tenant_id, id, tipo_documento, numero_resolucion, fecha_resolucion, prefijo,
    desde, hasta, vigencia_desde, vigencia_hasta, clave_tecnica_sealed, siguiente)
VALUES (@tenant_id, @id, @tipo_documento, sqlc.narg(numero_resolucion), sqlc.narg(fecha_resolucion), @prefijo,
    @desde, @hasta, sqlc.narg(vigencia_desde), sqlc.narg(vigencia_hasta), sqlc.narg(clave_tecnica_sealed), @desde)
RETURNING *;

-- name: GetNumberingResolution :one
SELECT * FROM numbering_resolutions
WHERE tenant_id = @tenant_id AND id = @id;

-- name: GetNumberingResolutionForUpdate :one
SELECT * FROM numbering_resolutions
WHERE tenant_id = @tenant_id AND id = @id
FOR UPDATE;

-- name: ListNumberingResolutions :many
SELECT * FROM numbering_resolutions
WHERE tenant_id = @tenant_id
ORDER BY created_at, id;

-- name: LockActiveResolutions :many
-- Every active range of one kind, locked in id order (so two issues never
-- lock them in opposite orders): issues of one tenant queue here, which is
-- what makes the numbering gapless and race-free.
SELECT * FROM numbering_resolutions
WHERE tenant_id = @tenant_id AND tipo_documento = @tipo_documento AND activa
ORDER BY id
FOR UPDATE;

-- name: TakeConsecutive :one
-- Takes the next number of a locked range.
UPDATE numbering_resolutions
SET siguiente = siguiente + 1, updated_at = now()
WHERE tenant_id = @tenant_id AND id = @id AND siguiente <= hasta
RETURNING (siguiente - 1)::bigint AS consecutivo;

-- name: UpdateNumberingResolution :one
UPDATE numbering_resolutions
SET activa = @activa, vigencia_hasta = sqlc.narg(vigencia_hasta), updated_at = now()
WHERE tenant_id = @tenant_id AND id = @id
RETURNING *;

-- name: NumeroUsedInRange :one
-- Whether the tenant already used, as an invoice numero, a number that the
-- range prefix desde..hasta would give (prefix then the consecutive's digits).
SELECT EXISTS (
    SELECT 1 FROM invoices
    WHERE tenant_id = @tenant_id
      AND left(numero, length(@prefijo::text)) = @prefijo::text
      AND substr(numero, length(@prefijo::text) + 1) ~ '^[0-9]{1,18}$'
      AND substr(numero, length(@prefijo::text) + 1)::bigint BETWEEN @desde::bigint AND @hasta::bigint
)::boolean;

-- name: ListPlaintextTechnicalKeys :many
-- The technical keys stored before they were sealed, for SealTechnicalKey.
SELECT id, clave_tecnica::text AS clave_tecnica FROM numbering_resolutions
WHERE tenant_id = @tenant_id AND clave_tecnica IS NOT NULL;

-- name: SealTechnicalKey :exec
UPDATE numbering_resolutions
SET clave_tecnica = NULL, clave_tecnica_sealed = @clave_tecnica_sealed
WHERE tenant_id = @tenant_id AND id = @id AND clave_tecnica IS NOT NULL;
