-- +goose Up

-- The search's plan is the planner's choice between the trigram indexes
-- (a narrow pattern) and the list's ordered range (a broad one), made from
-- the pattern's estimated selectivity (likesel). For a '%…%' pattern that
-- estimate matches the pattern against the column's histogram, and a
-- pattern that contains one of its 100 bounds (a customer's whole NIT or
-- name that the last ANALYZE happened to sample) is estimated at 1 % of
-- the rows: 1 020 of 100 000, for one real match. The planner then walks
-- the ordered range filtering every row (70–120 ms at 100 000 customers,
-- against 1–3 ms through the indexes), the same every time for those
-- customers; under make bench's random NIT searches it was the p99.
-- 1 000 bounds make such a hit 0.1 %, which the indexes win up to a few
-- hundred thousand customers a tenant, and keep the estimates of broad and
-- middling patterns (a 100-bound histogram, or none, estimates those worse:
-- with no statistics "1234" walked the range for 122 ms). ANALYZE samples
-- 300 000 rows instead of 30 000; planning a search costs about 0.07 ms
-- more. The indexes' own statistics are those of the lowered name, which
-- the name's condition is estimated with; they exist only where 00023
-- could create the indexes (a superuser migrated it).
ALTER TABLE customers ALTER COLUMN nit SET STATISTICS 1000;
ALTER INDEX IF EXISTS customers_razon_social_trgm_idx ALTER COLUMN 1 SET STATISTICS 1000;
ALTER INDEX IF EXISTS products_nombre_trgm_idx ALTER COLUMN 1 SET STATISTICS 1000;
ANALYZE customers;
ANALYZE products;

-- +goose Down
ALTER INDEX IF EXISTS products_nombre_trgm_idx ALTER COLUMN 1 SET STATISTICS -1;
ALTER INDEX IF EXISTS customers_razon_social_trgm_idx ALTER COLUMN 1 SET STATISTICS -1;
ALTER TABLE customers ALTER COLUMN nit SET STATISTICS -1;
