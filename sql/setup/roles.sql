-- The database roles of a Srochno database, least privilege (README, Operations, step 2).
-- Run once per database, by a superuser, connected to that database, before the first
-- migration (running it again changes nothing; after an upgrade it is not needed):
--   runuser -u postgres -- psql -X -v ON_ERROR_STOP=1 -d srochno -f /usr/share/srochno/roles.sql
--
--   srochno_owner  owns the database, its public schema and every object the migrations
--                  create; srochno-migrate.service connects as it (SROCHNO_MIGRATE_DATABASE_URL),
--                  and so does a person running DDL by hand. Nothing else uses it.
--   srochno        the runtime role of the worker pools, the timer jobs, srochno-notify and
--                  srochno-adopt (SROCHNO_DATABASE_URL): it may connect, read and write rows
--                  (SELECT, INSERT, UPDATE, DELETE), draw from sequences and call functions.
--                  It may not create, alter or drop anything, TRUNCATE, disable a trigger,
--                  change a constraint or make temporary tables: the ledger's and the orders'
--                  invariants live in triggers and constraints only the owner can touch.
-- Both roles have the names of the system users the package creates, so PostgreSQL's peer
-- authentication (Debian's default for local connections) needs no password.
--
-- Later migrations need no step of their own: ALTER DEFAULT PRIVILEGES below grants srochno
-- the same row rights on every table and sequence srochno_owner creates from now on. A table
-- created by another role (a superuser's psql) gets no grant: run this file again.
--
-- A database set up before these two roles existed, owned by srochno and migrated as it, is
-- moved over by the same run: REASSIGN OWNED hands everything srochno owns in this database
-- (and the database itself) to srochno_owner; the grants then give srochno its rows back.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'srochno_owner') THEN
        CREATE ROLE srochno_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'srochno') THEN
        CREATE ROLE srochno LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
    END IF;
END
$$;

-- Whatever the runtime role owns here (an older one-role installation) goes to the owner.
REASSIGN OWNED BY srochno TO srochno_owner;

-- The database: owned by srochno_owner; srochno may only connect (no CREATE of schemas, no
-- TEMPORARY tables); other roles of the cluster not even that.
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I OWNER TO srochno_owner', current_database());
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO srochno', current_database());
END
$$;

-- The schema: the owner creates in it, srochno only looks names up (PostgreSQL 15 already
-- revokes CREATE from PUBLIC; said again for a database restored from an older one).
ALTER SCHEMA public OWNER TO srochno_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO srochno;

-- Rows, sequences and functions of what exists now (a database already migrated) ...
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO srochno;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO srochno;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO srochno;
-- ... and of everything the migrations (run as srochno_owner) create later.
ALTER DEFAULT PRIVILEGES FOR ROLE srochno_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO srochno;
ALTER DEFAULT PRIVILEGES FOR ROLE srochno_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO srochno;
ALTER DEFAULT PRIVILEGES FOR ROLE srochno_owner IN SCHEMA public
    GRANT EXECUTE ON FUNCTIONS TO srochno;
