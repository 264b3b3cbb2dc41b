-- Timestamps travel to the application as whole microseconds since the Unix epoch.
CREATE FUNCTION epoch_us(timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (extract(epoch FROM $1) * 1000000)::bigint;

-- Users are Telegram users: the primary key is the Telegram user id.
-- The balance column is only ever changed by the ledger (see 0003_balance_ledger.sql).
CREATE TABLE users (
    id              bigint PRIMARY KEY CHECK (id > 0),
    username        text,
    first_name      text,
    last_name       text,
    language_code   text,
    balance         bigint NOT NULL DEFAULT 0 CONSTRAINT users_balance_not_negative CHECK (balance >= 0),
    notifications_enabled  boolean NOT NULL DEFAULT false,
    notification_frequency integer NOT NULL DEFAULT 10 CHECK (notification_frequency BETWEEN 5 AND 15),
    preferred_categories   text[] NOT NULL DEFAULT '{}' CHECK (cardinality(preferred_categories) <= 10),
    preferred_cities       text[] NOT NULL DEFAULT '{}' CHECK (cardinality(preferred_cities) <= 20),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
