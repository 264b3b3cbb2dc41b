-- Adopting the old backend's database (srochno-adopt, issue #15): what the switch-over keeps
-- from it besides users, orders, takes, reviews and complaints, and the bookkeeping that makes
-- the import resumable.

-- 1. The old balance_transactions, kept as read-only history. Each user's old balance becomes
-- one opening 'recharge' ledger row, so balance = sum(ledger) holds from the first second;
-- these rows are never applied to a balance (the old balances did not even equal their sums).
-- The balance history lists them after (older than) every ledger row, with the id 9e15 + the
-- old id: ledger ids stay below that (the sequence's MAXVALUE), so the two never collide and
-- both stay positive integers that JavaScript reads exactly.
CREATE TABLE legacy_transactions (
    id            bigint PRIMARY KEY CHECK (id > 0),
    user_id       bigint NOT NULL REFERENCES users (id),
    type          text NOT NULL CHECK (type IN ('recharge', 'order_take', 'refund')),
    amount        bigint NOT NULL,
    balance_after bigint NOT NULL,
    order_id      text,
    description   text NOT NULL,
    created_at    timestamptz NOT NULL
);

CREATE INDEX legacy_transactions_user_newest ON legacy_transactions (user_id, id DESC);

CREATE TRIGGER legacy_transactions_immutable BEFORE UPDATE OR DELETE ON legacy_transactions
    FOR EACH ROW EXECUTE FUNCTION balance_transactions_immutable();

ALTER SEQUENCE balance_transactions_id_seq MAXVALUE 8999999999999999;

-- 2. The old backend only checked a contact's length. An active order's contact is still
-- always normalised (the one-active-contact rule compares them); a finished order imported
-- from the old backend may keep a contact that does not normalise, as it was typed, so its
-- client and executors still see what they saw.
ALTER TABLE orders DROP CONSTRAINT orders_contact_check;
ALTER TABLE orders ADD CONSTRAINT orders_contact_shape CHECK (
    contact ~ '^(\+7[0-9]{10}|@[A-Za-z0-9_]{5,32})$'
    OR (status <> 'active' AND char_length(contact) BETWEEN 1 AND 100)
);

-- 3. A Crypto Pay invoice the old backend made and nobody paid yet becomes a pending payment.
-- The old backend made its invoices without a payload, so the webhook and the reconciliation
-- find such a payment by the invoice id it carries (external_id); legacy_invoice_id is the old
-- payment_invoices id and marks the payment as adopted.
ALTER TABLE payments ADD COLUMN legacy_invoice_id bigint UNIQUE;
ALTER TABLE payments ADD CONSTRAINT payments_legacy_crypto_pay
    CHECK (legacy_invoice_id IS NULL OR (provider = 'crypto_bot' AND external_id IS NOT NULL));

-- 4. The import's own bookkeeping, written in the same transaction as each batch it records,
-- so a run killed at any point resumes after its last committed batch and reports the whole
-- import, not only its own part.

-- The adoption moment, fixed by the first run: old active orders that are due by then are
-- settled as of it, and a resumed run decides exactly as the first one would have.
CREATE TABLE adoption (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    moment    timestamptz NOT NULL,
    -- The old database's alembic head.
    source_head text NOT NULL
);

-- How far each pass got: the old primary key of the last row of its last committed batch.
CREATE TABLE adoption_progress (
    pass     text PRIMARY KEY,
    last_key text NOT NULL,
    done     boolean NOT NULL DEFAULT false
);

-- The report's numbers: rows read, imported, changed (with why), skipped and refused, per old
-- table.
CREATE TABLE adoption_counts (
    source  text NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('read', 'imported', 'changed', 'skipped', 'refused')),
    reason  text NOT NULL DEFAULT '',
    rows    bigint NOT NULL CHECK (rows >= 0),
    PRIMARY KEY (source, outcome, reason)
);

-- Old rows the verification must not expect as they were: refused or skipped ones, and orders
-- stored under another id or status than the old row had.
CREATE TABLE adoption_notes (
    source    text NOT NULL,
    source_id text NOT NULL,
    outcome   text NOT NULL CHECK (outcome IN ('changed', 'skipped', 'refused')),
    reason    text NOT NULL,
    -- The old order a take, review or complaint belongs to.
    order_id  text,
    target_id text,
    status    text,
    PRIMARY KEY (source, source_id)
);

CREATE INDEX adoption_notes_order ON adoption_notes (order_id) WHERE order_id IS NOT NULL;
