-- +goose Up

-- Customer and product search (ListCustomers, ListProducts) is a substring
-- match, which a trigram index serves. But under row-level security a
-- query's own condition may become an index condition only if the functions
-- it applies to the row are LEAKPROOF, and those of ILIKE, LIKE and lower()
-- are not: every search read the tenant's whole range. So the queries write
-- `razon_social ILIKE p` as `billing_lower(razon_social) ~~~
-- billing_lower(p COLLATE billing_es)`, which is what ILIKE computes (it
-- lowers both sides in the column's collation, then matches as LIKE does),
-- and `nit LIKE p` as `nit ~~~ p`: billing_lower is lower() and ~~~ is LIKE,
-- the same internal functions, declared LEAKPROOF. The name's index is on
-- its lowered text: on the name itself it would hold pg_trgm's own case
-- folding, which follows the database's locale rather than billing_es and
-- misses rows ILIKE finds (a KELVIN SIGN, which billing_es lowers to "k").
-- The policies still filter every row. pg_trgm is created in the superuser
-- block below, the only part that needs it.

-- Created as any role may: not LEAKPROOF, so no index serves them, and they
-- inline to lower() and LIKE, so searches answer the same, as slowly as
-- before.
CREATE FUNCTION billing_lower(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT lower($1)';
CREATE FUNCTION billing_like(text, text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 ~~ $2';

-- Estimated as LIKE is.
CREATE OPERATOR ~~~ (FUNCTION = billing_like, LEFTARG = text, RIGHTARG = text, RESTRICT = likesel, JOIN = likejoinsel);

-- A search's best plan depends on its pattern: the trigram index for a
-- narrow one, the list's ordered range for a broad or a short one. A
-- prepared statement's generic plan, made without the pattern, would be one
-- of the two for every pattern, and PostgreSQL switches to it once it looks
-- no dearer than the plans made for each value (with 10 000 customers it
-- does, and a narrow search reads the whole range again). The searches' OR
-- arm billing_custom_plan_only(pattern) stops that: it is false, computed
-- while planning for a value and dropped, and a generic plan would run it
-- on every row, at a cost that keeps that plan from ever being chosen.
CREATE FUNCTION billing_custom_plan_only(text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000000000 AS 'BEGIN RETURN false; END';

-- LEAKPROOF, a function in LANGUAGE internal and an operator class each need
-- a superuser: migrated by another role, the search stays unindexed (a
-- superuser can run this block by hand later).
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE NOTICE 'not a superuser: customer and product search stay unindexed';
        RETURN;
    END IF;
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    -- LEAKPROOF holds: neither has side effects, and their errors concern
    -- the collation or the pattern, never the row's value (lower()'s
    -- conversions fail only on badly encoded text, which no column holds),
    -- with one exception the queries cannot reach: a pattern ending in the
    -- escape character is refused once a value matches it up to there, and
    -- the queries' patterns end in an unescaped %. (Whoever could send such
    -- a pattern as billing_app could as well set app.tenant_id: the policies
    -- guard against the service's own mistakes, and that guard stands.)
    CREATE OR REPLACE FUNCTION billing_lower(text) RETURNS text
        LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'lower';
    CREATE OR REPLACE FUNCTION billing_like(text, text) RETURNS boolean
        LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'textlike';
    -- pg_trgm's GIN support functions (its gin_trgm_ops), with ~~~ under the
    -- strategy number pg_trgm gives LIKE.
    CREATE OPERATOR CLASS billing_trgm_ops FOR TYPE text USING gin AS
        OPERATOR 3 ~~~ (text, text),
        FUNCTION 1 btint4cmp (int4, int4),
        FUNCTION 2 gin_extract_value_trgm (text, internal),
        FUNCTION 3 gin_extract_query_trgm (text, internal, int2, internal, internal, internal, internal),
        FUNCTION 4 gin_trgm_consistent (internal, int2, text, int4, internal, internal, internal, internal),
        FUNCTION 6 gin_trgm_triconsistent (internal, int2, text, int4, internal, internal, internal),
        STORAGE int4;
    -- Without tenant_id: a tenant's entry would list every row it has, and
    -- a search of a large tenant would read all of it. Without fastupdate:
    -- a new row's trigrams go into the index at once rather than into a
    -- pending list that every search reads through until a vacuum.
    CREATE INDEX customers_razon_social_trgm_idx ON customers USING gin (billing_lower(razon_social) billing_trgm_ops) WITH (fastupdate = off);
    CREATE INDEX customers_nit_trgm_idx ON customers USING gin (nit billing_trgm_ops) WITH (fastupdate = off);
    CREATE INDEX products_nombre_trgm_idx ON products USING gin (billing_lower(nombre) billing_trgm_ops) WITH (fastupdate = off) WHERE activo;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS products_nombre_trgm_idx;
DROP INDEX IF EXISTS customers_nit_trgm_idx;
DROP INDEX IF EXISTS customers_razon_social_trgm_idx;
DROP OPERATOR FAMILY IF EXISTS billing_trgm_ops USING gin;
DROP OPERATOR ~~~ (text, text);
DROP FUNCTION billing_like(text, text);
DROP FUNCTION billing_lower(text);
DROP FUNCTION billing_custom_plan_only(text);
-- pg_trgm stays: it may have been there before.
