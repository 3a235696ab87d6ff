-- name: GetFiscalProfile :one
SELECT * FROM fiscal_profiles
WHERE tenant_id = @tenant_id;

-- name: PutFiscalProfile :one
-- Creates or replaces the profile; a NULL software_pin keeps the stored one
-- (a write-only secret cannot be sent back by a client that read the
-- profile), and on the first write the NOT NULL column refuses it. (The
-- stored PIN is read into the proposed row: PostgreSQL checks NOT NULL on it
-- before it looks for the conflict.)
INSERT INTO fiscal_profiles (tenant_id, nit, razon_social, nombre_comercial, tipo_persona, responsabilidades, tributo,
    direccion, municipio, ciudad, departamento, email, telefono, ambiente, software_id, software_pin)
VALUES (@tenant_id, @nit, @razon_social, @nombre_comercial, @tipo_persona, @responsabilidades, @tributo,
    @direccion, @municipio, @ciudad, @departamento, @email, @telefono, @ambiente, @software_id,
    COALESCE(sqlc.narg(software_pin), (SELECT p.software_pin FROM fiscal_profiles p WHERE p.tenant_id = @tenant_id)))
ON CONFLICT (tenant_id) DO UPDATE
SET nit = EXCLUDED.nit, razon_social = EXCLUDED.razon_social, nombre_comercial = EXCLUDED.nombre_comercial,
    tipo_persona = EXCLUDED.tipo_persona, responsabilidades = EXCLUDED.responsabilidades, tributo = EXCLUDED.tributo,
    direccion = EXCLUDED.direccion, municipio = EXCLUDED.municipio, ciudad = EXCLUDED.ciudad,
    departamento = EXCLUDED.departamento, email = EXCLUDED.email, telefono = EXCLUDED.telefono,
    ambiente = EXCLUDED.ambiente, software_id = EXCLUDED.software_id,
    software_pin = EXCLUDED.software_pin,
    updated_at = now()
WHERE fiscal_profiles.tenant_id = @tenant_id
RETURNING *;
