-- 1. The ledger's newest-first order is the order amounts were applied in.
--
-- Ledger ids come from a sequence drawn before the insert trigger waits for the user's row
-- lock, so two concurrent entries of one user can be applied in the opposite order of their
-- ids (20 parallel recharges: the newest id's balance_after was 57 while the balance was 60).
-- Each entry now takes its user's next number under that lock, in the same UPDATE that applies
-- the amount: per user, user_seq is exactly the order of application, and the entry with the
-- highest user_seq carries the current balance.
ALTER TABLE users ADD COLUMN ledger_entries bigint NOT NULL DEFAULT 0 CHECK (ledger_entries >= 0);
ALTER TABLE balance_transactions ADD COLUMN user_seq bigint;

-- Entries written before this migration are numbered in id order, the best record there is of
-- their order (exact whenever a user's entries did not race each other). Ledger rows are
-- otherwise immutable; only this migration numbers them.
ALTER TABLE balance_transactions DISABLE TRIGGER balance_transactions_immutable;
UPDATE balance_transactions t
   SET user_seq = n.seq
  FROM (SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY id) AS seq FROM balance_transactions) n
 WHERE n.id = t.id;
ALTER TABLE balance_transactions ENABLE TRIGGER balance_transactions_immutable;

ALTER TABLE users DISABLE TRIGGER users_balance_guard;
UPDATE users u
   SET ledger_entries = c.entries
  FROM (SELECT user_id, count(*) AS entries FROM balance_transactions GROUP BY user_id) c
 WHERE c.user_id = u.id;
ALTER TABLE users ENABLE TRIGGER users_balance_guard;

ALTER TABLE balance_transactions ALTER COLUMN user_seq SET NOT NULL;
CREATE UNIQUE INDEX balance_transactions_user_seq ON balance_transactions (user_id, user_seq DESC);
DROP INDEX balance_transactions_user_newest;

CREATE OR REPLACE FUNCTION balance_transactions_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET balance = balance + NEW.amount, ledger_entries = ledger_entries + 1
     WHERE id = NEW.user_id
    RETURNING balance, ledger_entries INTO NEW.balance_after, NEW.user_seq;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'ledger entry for unknown user %', NEW.user_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END
$$;

-- Only the ledger trigger (nesting depth > 1) may move a balance or the entry count; new users
-- start at 0 for both.
CREATE OR REPLACE FUNCTION users_balance_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND (NEW.balance <> 0 OR NEW.ledger_entries <> 0) THEN
        RAISE EXCEPTION 'a new user starts with balance 0 and no ledger entries' USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() < 2
       AND (NEW.balance IS DISTINCT FROM OLD.balance OR NEW.ledger_entries IS DISTINCT FROM OLD.ledger_entries) THEN
        RAISE EXCEPTION 'users.balance changes only through balance_transactions' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER users_balance_guard ON users;
CREATE TRIGGER users_balance_guard BEFORE INSERT OR UPDATE OF balance, ledger_entries ON users
    FOR EACH ROW EXECUTE FUNCTION users_balance_guard();

-- 2. Telegram usernames ignore case, so one active order per contact compares them without
-- case (phones are stored as +7 and digits, which lower() leaves alone). The contact is still
-- shown as the client typed it.
--
-- Until now '@Ivan_Petrov' and '@ivan_petrov' could both be active. Of each such group the
-- newest order stays active and the others become expired now, as if their time had run out;
-- their executors keep the contact they paid for, as with any expired order.
UPDATE orders o
   SET status = 'expired', finished_at = now()
 WHERE o.status = 'active'
   AND EXISTS (SELECT 1 FROM orders n
                WHERE n.status = 'active' AND lower(n.contact) = lower(o.contact)
                  AND (n.created_at, n.id) > (o.created_at, o.id));

DROP INDEX orders_one_active_per_contact;
CREATE UNIQUE INDEX orders_one_active_per_contact ON orders (lower(contact)) WHERE status = 'active';
