-- name: GetFiscalProfile :one
SELECT * FROM fiscal_profiles
WHERE tenant_id = @tenant_id;

-- name: GetDraftNumbering :one
-- What a draft's numero must be, in one statement: whether the tenant
-- invoices electronically (then it has none until issued), and whether the
-- client's numero is one that an active invoice range of the tenant has yet
-- to give (prefix + a consecutive from siguiente to hasta), which would make
-- that range's issue collide with it. Not locked: a draft written with a
-- numero while the first profile commits is refused at issue
-- (invoice_numero_client_chosen), never numbered twice.
SELECT
    EXISTS (SELECT 1 FROM fiscal_profiles p WHERE p.tenant_id = @tenant_id)::boolean AS electronic,
    EXISTS (
        SELECT 1 FROM numbering_resolutions r
        WHERE r.tenant_id = @tenant_id AND r.tipo_documento = 'FACTURA' AND r.activa
          AND left(@numero::text, length(r.prefijo)) = r.prefijo
          AND substr(@numero::text, length(r.prefijo) + 1) ~ '^[0-9]{1,18}$'
          AND substr(@numero::text, length(r.prefijo) + 1)::bigint BETWEEN r.siguiente AND r.hasta
    )::boolean AS reserved;

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
