-- name: SeedPaymentMethods :exec
-- A new tenant's methods, in the transaction that creates it.
INSERT INTO payment_methods (tenant_id, id, nombre, codigo, efectivo)
VALUES (@tenant_id, @efectivo_id, 'Efectivo', '10', true),
       (@tenant_id, @debito_id, 'Tarjeta débito', '49', false),
       (@tenant_id, @credito_id, 'Tarjeta crédito', '48', false),
       (@tenant_id, @transferencia_id, 'Transferencia', '47', false);

-- name: ListPaymentMethods :many
SELECT * FROM payment_methods
WHERE tenant_id = @tenant_id
ORDER BY lower(nombre COLLATE billing_es), id;

-- name: GetPaymentMethod :one
SELECT * FROM payment_methods
WHERE tenant_id = @tenant_id AND id = @id;

-- name: CreatePaymentMethod :one
INSERT INTO payment_methods (tenant_id, id, nombre, codigo, efectivo, activo)
VALUES (@tenant_id, @id, @nombre, @codigo, @efectivo, @activo)
RETURNING *;

-- name: UpdatePaymentMethod :one
-- A method's name, drawer and state; its code stays (sales carry it).
UPDATE payment_methods
SET nombre = COALESCE(sqlc.narg(nombre), nombre), efectivo = COALESCE(sqlc.narg(efectivo), efectivo),
    activo = COALESCE(sqlc.narg(activo), activo), updated_at = now()
WHERE tenant_id = @tenant_id AND id = @id
RETURNING *;

-- name: GetCashPaymentMethod :one
-- The tenant's first active cash method (DIAN code 10): what a paid POS
-- invoice without a payment method is paid with.
SELECT * FROM payment_methods
WHERE tenant_id = @tenant_id AND codigo = '10' AND activo
ORDER BY created_at, id
LIMIT 1;
