-- Orders and executor takes.
--
-- Timers resolve lazily: a row stored as 'active' is effectively active only while
-- due_at > now. due_at is the first of the two moments that end it:
--   expires_at     = created_at + lifetime
--   no_response_at = first take + no-response window, while the client has not responded
-- so "effectively active" is the indexed predicate status = 'active' AND due_at > now.
CREATE TABLE orders (
    id                    text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{12}$'),
    client_id             bigint NOT NULL REFERENCES users (id),
    category              text NOT NULL CHECK (category IN (
                              'Сантехника', 'Электрика', 'Бытовой ремонт', 'Клининг',
                              'Сборка/установка', 'Бытовая техника', 'Другое')),
    description           text NOT NULL CHECK (char_length(description) BETWEEN 20 AND 1000),
    city                  text NOT NULL REFERENCES cities (name),
    contact               text NOT NULL CHECK (contact ~ '^(\+7[0-9]{10}|@[A-Za-z0-9_]{5,32})$'),
    status                text NOT NULL DEFAULT 'active' CHECK (status IN (
                              'active', 'expired', 'deleted', 'closed_no_response', 'completed')),
    created_at            timestamptz NOT NULL,
    lifetime_minutes      integer NOT NULL CHECK (lifetime_minutes > 0),
    expires_at            timestamptz NOT NULL,
    no_response_minutes   integer NOT NULL CHECK (no_response_minutes > 0),
    max_executors         integer NOT NULL CHECK (max_executors > 0),
    take_count            integer NOT NULL DEFAULT 0,
    first_taken_at        timestamptz,
    no_response_at        timestamptz,
    customer_responded_at timestamptz,
    due_at                timestamptz NOT NULL,
    finished_at           timestamptz,
    CONSTRAINT orders_take_limit CHECK (take_count BETWEEN 0 AND max_executors),
    CONSTRAINT orders_expiry CHECK (expires_at = created_at + make_interval(mins => lifetime_minutes)),
    CONSTRAINT orders_due CHECK (due_at = LEAST(expires_at, no_response_at)),
    CONSTRAINT orders_no_response_after_take CHECK (no_response_at IS NULL OR first_taken_at IS NOT NULL)
);

-- At most one active order per normalised contact. Lazily expired rows are settled before a
-- new order is inserted, so a stale row never blocks a legitimate new one.
CREATE UNIQUE INDEX orders_one_active_per_contact ON orders (contact) WHERE status = 'active';
CREATE INDEX orders_active_newest ON orders (created_at DESC, id DESC) WHERE status = 'active';
CREATE INDEX orders_active_due ON orders (due_at) WHERE status = 'active';
CREATE INDEX orders_active_category_city ON orders (category, city, created_at DESC, id DESC) WHERE status = 'active';
CREATE INDEX orders_status_newest ON orders (status, created_at DESC, id DESC);
CREATE INDEX orders_client_newest ON orders (client_id, created_at DESC, id DESC);
-- Profile counters: a client's active and completed orders without visiting the heap.
CREATE INDEX orders_client_status ON orders (client_id, status) INCLUDE (due_at);
-- The same for the orders an executor took, looked up one by one from its takes.
CREATE INDEX orders_status_by_id ON orders (id) INCLUDE (status, due_at);

CREATE TABLE executor_takes (
    id          bigserial PRIMARY KEY,
    order_id    text NOT NULL REFERENCES orders (id),
    executor_id bigint NOT NULL REFERENCES users (id),
    amount_paid bigint NOT NULL CHECK (amount_paid > 0),
    taken_at    timestamptz NOT NULL,
    CONSTRAINT executor_takes_once UNIQUE (order_id, executor_id)
);

CREATE INDEX executor_takes_executor_newest ON executor_takes (executor_id, taken_at DESC);

ALTER TABLE balance_transactions
    ADD CONSTRAINT balance_transactions_order FOREIGN KEY (order_id) REFERENCES orders (id),
    ADD CONSTRAINT balance_transactions_take FOREIGN KEY (take_id) REFERENCES executor_takes (id);

-- One charge and at most one refund per take, whichever code path tries to pay it.
CREATE UNIQUE INDEX balance_transactions_one_charge_per_take ON balance_transactions (take_id)
    WHERE type = 'order_take';
CREATE UNIQUE INDEX balance_transactions_one_refund_per_take ON balance_transactions (take_id)
    WHERE type = 'refund';

-- Every take bumps the order's take_count (checked against max_executors) and, for the first
-- take, starts the no-response clock. A take is only possible on an order that is still
-- active at the moment of the take, so no code path can charge for a finished order (whose
-- refunds would never come). Takes are never removed.
CREATE FUNCTION executor_takes_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE orders
       SET take_count     = take_count + 1,
           first_taken_at = COALESCE(first_taken_at, NEW.taken_at),
           no_response_at = CASE WHEN take_count = 0 AND customer_responded_at IS NULL
                                 THEN NEW.taken_at + make_interval(mins => no_response_minutes)
                                 ELSE no_response_at END,
           due_at = CASE WHEN take_count = 0 AND customer_responded_at IS NULL
                         THEN LEAST(expires_at, NEW.taken_at + make_interval(mins => no_response_minutes))
                         ELSE due_at END
     WHERE id = NEW.order_id AND status = 'active' AND due_at > NEW.taken_at;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'order % is not active at %', NEW.order_id, NEW.taken_at
            USING ERRCODE = 'check_violation', CONSTRAINT = 'executor_takes_active_order';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER executor_takes_count AFTER INSERT ON executor_takes
    FOR EACH ROW EXECUTE FUNCTION executor_takes_count();

CREATE FUNCTION executor_takes_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'takes are never changed or removed' USING ERRCODE = 'integrity_constraint_violation';
END
$$;

-- Who took which order for how much never changes (taken_at may be corrected, e.g. by tests
-- that move an order into the past).
CREATE TRIGGER executor_takes_immutable BEFORE UPDATE OF order_id, executor_id, amount_paid OR DELETE ON executor_takes
    FOR EACH ROW EXECUTE FUNCTION executor_takes_immutable();

-- The effective status of an order at p_now (SPEC §4): the first due moment wins; when the
-- no-response moment and the expiry coincide, the executors' refund wins.
CREATE FUNCTION order_effective_status(
    p_status text, p_due_at timestamptz, p_no_response_at timestamptz, p_expires_at timestamptz, p_now timestamptz
) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN p_status <> 'active' OR p_due_at > p_now THEN p_status
        WHEN p_no_response_at IS NOT NULL AND p_no_response_at <= p_expires_at THEN 'closed_no_response'
        ELSE 'expired'
    END
$$;

-- The one implementation of the timed transitions, used by every write path and by the
-- closer. The caller must hold the row locks of p_ids (FOR NO KEY UPDATE); rows that are not
-- stored 'active' or not yet due are left alone, so applying it twice changes nothing.
-- A closed_no_response transition refunds every paying executor in the same statement.
CREATE FUNCTION apply_due_transitions(p_ids text[], p_now timestamptz)
RETURNS TABLE (expired integer, closed integer, refunds integer) LANGUAGE sql AS $$
    WITH settled AS (
        UPDATE orders
           SET status = order_effective_status(status, due_at, no_response_at, expires_at, p_now),
               finished_at = due_at
         WHERE id = ANY (p_ids) AND status = 'active' AND due_at <= p_now
        RETURNING id, status
    ), refunded AS (
        INSERT INTO balance_transactions (user_id, type, amount, order_id, take_id, description)
        SELECT t.executor_id, 'refund', t.amount_paid, t.order_id, t.id, 'Refund: the client did not respond'
          FROM executor_takes t
          JOIN settled s ON s.id = t.order_id AND s.status = 'closed_no_response'
         ORDER BY t.executor_id, t.id
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM settled WHERE status = 'expired')::integer,
           (SELECT count(*) FROM settled WHERE status = 'closed_no_response')::integer,
           (SELECT count(*) FROM refunded)::integer
$$;
