-- name: GetFiscalProfile :one
SELECT * FROM fiscal_profiles
WHERE tenant_id = @tenant_id;

-- name: PutFiscalProfile :one
-- Creates or replaces the profile. The PIN arrives sealed
-- (store/secrets.go); a NULL one keeps the stored PIN, sealed or (stored
-- before PINs were sealed) plaintext, since a write-only secret cannot be
-- sent back by a client that read the profile. On the first write without
-- a PIN, fiscal_profiles_pin_once refuses the row. (The stored PIN is read
-- into the proposed row: PostgreSQL checks the row before it looks for the
-- conflict.)
INSERT INTO fiscal_profiles (tenant_id, nit, razon_social, nombre_comercial, tipo_persona, responsabilidades, tributo,
    direccion, municipio, ciudad, departamento, email, telefono, ambiente, software_id, enviar_al_aceptar, test_set_id,
    software_pin, software_pin_sealed)
VALUES (@tenant_id, @nit, @razon_social, @nombre_comercial, @tipo_persona, @responsabilidades, @tributo,
    @direccion, @municipio, @ciudad, @departamento, @email, @telefono, @ambiente, @software_id,
    @enviar_al_aceptar, sqlc.narg(test_set_id),
    CASE WHEN sqlc.narg(software_pin_sealed)::bytea IS NULL
         THEN (SELECT p.software_pin FROM fiscal_profiles p WHERE p.tenant_id = @tenant_id) END,
    COALESCE(sqlc.narg(software_pin_sealed)::bytea, (SELECT p.software_pin_sealed FROM fiscal_profiles p WHERE p.tenant_id = @tenant_id)))
ON CONFLICT (tenant_id) DO UPDATE
SET nit = EXCLUDED.nit, razon_social = EXCLUDED.razon_social, nombre_comercial = EXCLUDED.nombre_comercial,
    tipo_persona = EXCLUDED.tipo_persona, responsabilidades = EXCLUDED.responsabilidades, tributo = EXCLUDED.tributo,
    direccion = EXCLUDED.direccion, municipio = EXCLUDED.municipio, ciudad = EXCLUDED.ciudad,
    departamento = EXCLUDED.departamento, email = EXCLUDED.email, telefono = EXCLUDED.telefono,
    ambiente = EXCLUDED.ambiente, software_id = EXCLUDED.software_id,
    enviar_al_aceptar = EXCLUDED.enviar_al_aceptar, test_set_id = EXCLUDED.test_set_id,
    software_pin = EXCLUDED.software_pin, software_pin_sealed = EXCLUDED.software_pin_sealed,
    updated_at = now()
WHERE fiscal_profiles.tenant_id = @tenant_id
RETURNING *;

-- name: SealSoftwarePin :exec
-- Replaces a PIN stored before PINs were sealed with its sealed value.
UPDATE fiscal_profiles
SET software_pin = NULL, software_pin_sealed = @software_pin_sealed
WHERE tenant_id = @tenant_id AND software_pin IS NOT NULL;
