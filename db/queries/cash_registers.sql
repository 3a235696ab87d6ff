-- name: CreateCashRegister :one
INSERT INTO cash_registers (tenant_id, id, nombre)
VALUES (@tenant_id, @id, @nombre)
RETURNING *;

-- name: ListCashRegisters :many
-- Each register with its open session's id and cashier, if it has one.
SELECT r.id, r.nombre, r.created_at, s.id AS session_id, s.cajero
FROM cash_registers r
LEFT JOIN cash_sessions s ON s.tenant_id = r.tenant_id AND s.register_id = r.id AND s.cerrada_en IS NULL
WHERE r.tenant_id = @tenant_id
ORDER BY lower(r.nombre COLLATE billing_es), r.id;

-- name: CashRegisterExists :one
SELECT EXISTS (SELECT 1 FROM cash_registers WHERE tenant_id = @tenant_id AND id = @id)::boolean;

-- name: OpenCashSession :one
INSERT INTO cash_sessions (tenant_id, id, register_id, cajero, base)
VALUES (@tenant_id, @id, @register_id, @cajero, @base)
RETURNING *;

-- name: LockOpenCashSession :one
-- The register's open session, locked: movements and the close queue on it.
SELECT * FROM cash_sessions
WHERE tenant_id = @tenant_id AND register_id = @register_id AND cerrada_en IS NULL
FOR UPDATE;

-- name: LockCashierSession :one
-- The cashier's open session, on whichever register, locked.
SELECT * FROM cash_sessions
WHERE tenant_id = @tenant_id AND cajero = @cajero AND cerrada_en IS NULL
FOR UPDATE;

-- name: CloseCashSession :one
UPDATE cash_sessions
SET cerrada_en = now(), cerrada_por = @cerrada_por, efectivo_esperado = @efectivo_esperado, efectivo_contado = @efectivo_contado
WHERE tenant_id = @tenant_id AND id = @id AND cerrada_en IS NULL
RETURNING *;

-- name: InsertCashMovement :one
INSERT INTO cash_movements (tenant_id, id, session_id, tipo, valor, medio_pago, efectivo, motivo, invoice_id, actor)
VALUES (@tenant_id, @id, @session_id, @tipo, @valor, sqlc.narg(medio_pago), @efectivo, sqlc.narg(motivo), sqlc.narg(invoice_id), @actor)
RETURNING *;

-- name: ListCashSessions :many
-- A register's sessions, newest first, at most limit.
SELECT * FROM cash_sessions
WHERE tenant_id = @tenant_id AND register_id = @register_id
ORDER BY abierta_en DESC, id DESC
LIMIT @max_rows;

-- name: ListSessionMovements :many
-- The movements of the given sessions, oldest first.
SELECT * FROM cash_movements
WHERE tenant_id = @tenant_id AND session_id = ANY(@session_ids::uuid[])
ORDER BY created_at, id;
