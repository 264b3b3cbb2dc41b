-- The balance ledger. A user's balance changes only by inserting a ledger row: the insert
-- trigger applies the amount to users.balance under the user's row lock and records the
-- resulting balance_after. The balance CHECK on users rejects any overdraft, and direct
-- updates of users.balance or of ledger rows are refused, so balance = sum(amount) always.
CREATE TABLE balance_transactions (
    id            bigserial PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id),
    type          text NOT NULL CHECK (type IN ('recharge', 'order_take', 'refund')),
    amount        bigint NOT NULL CHECK (amount <> 0),
    balance_after bigint NOT NULL CHECK (balance_after >= 0),
    order_id      text,
    take_id       bigint,
    description   text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT balance_transactions_kind_shape CHECK (
        (type = 'recharge' AND amount > 0 AND order_id IS NULL AND take_id IS NULL)
        OR (type = 'order_take' AND amount < 0 AND order_id IS NOT NULL AND take_id IS NOT NULL)
        OR (type = 'refund' AND amount > 0 AND order_id IS NOT NULL AND take_id IS NOT NULL)
    )
);

CREATE INDEX balance_transactions_user_newest ON balance_transactions (user_id, id DESC);

CREATE FUNCTION balance_transactions_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET balance = balance + NEW.amount WHERE id = NEW.user_id
    RETURNING balance INTO NEW.balance_after;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'ledger entry for unknown user %', NEW.user_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER balance_transactions_apply BEFORE INSERT ON balance_transactions
    FOR EACH ROW EXECUTE FUNCTION balance_transactions_apply();

CREATE FUNCTION balance_transactions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are immutable' USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER balance_transactions_immutable BEFORE UPDATE OR DELETE ON balance_transactions
    FOR EACH ROW EXECUTE FUNCTION balance_transactions_immutable();

-- Only the ledger trigger (nesting depth > 1) may move a balance; new users start at 0.
CREATE FUNCTION users_balance_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.balance <> 0 THEN
        RAISE EXCEPTION 'a new user starts with balance 0' USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.balance IS DISTINCT FROM OLD.balance AND pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'users.balance changes only through balance_transactions' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER users_balance_guard BEFORE INSERT OR UPDATE OF balance ON users
    FOR EACH ROW EXECUTE FUNCTION users_balance_guard();
