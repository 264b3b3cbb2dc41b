-- What makes reading orders cheap. Measured with pgbench on the default list (10,000 active
-- orders): the time went into the function call per timestamp, review lookups for rows that
-- cannot have a review, and the exact count of every active order.

-- 1. epoch_us as 0001 wrote it was not inlined: its body (extract on a timestamptz) is only
-- STABLE while the function is declared IMMUTABLE, so every call ran through the SQL-function
-- executor. Taken in UTC the body is immutable too, so the planner inlines it; the value is
-- the same to the microsecond.
CREATE OR REPLACE FUNCTION epoch_us(timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (extract(epoch FROM $1 AT TIME ZONE 'UTC') * 1000000)::bigint;

-- 2. A review exists only for an order stored as completed or expired (the review route
-- settles the order under its row lock first, and both statuses are final), so reads look
-- reviews up only for such orders. This trigger keeps that true for every writer.
CREATE FUNCTION client_reviews_finished_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM orders WHERE id = NEW.order_id AND status IN ('completed', 'expired');
    IF NOT FOUND THEN
        RAISE EXCEPTION 'order % is not completed or expired', NEW.order_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'client_reviews_finished_order';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER client_reviews_finished_order BEFORE INSERT OR UPDATE OF order_id ON client_reviews
    FOR EACH ROW EXECUTE FUNCTION client_reviews_finished_order();

-- 3. The number of orders per stored status, category and city, kept by triggers in the
-- same transaction as the change, so any snapshot sees counts and rows agree. A list's exact
-- total is then these counts corrected by the stored-active rows already due (which the
-- closer settles every minute, so there are few): a handful of rows instead of every active
-- order, or the whole history for everyone's expired or completed orders.
CREATE TABLE order_counts (
    status   text NOT NULL,
    category text NOT NULL,
    city     text NOT NULL,
    orders   integer NOT NULL CHECK (orders >= 0),
    PRIMARY KEY (status, category, city)
);

INSERT INTO order_counts (status, category, city, orders)
SELECT status, category, city, count(*) FROM orders GROUP BY status, category, city;

-- Inserts are counted per statement (one upsert per key, in key order), so a bulk insert
-- does not update one counter row once per order.
CREATE FUNCTION order_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO order_counts AS c (status, category, city, orders)
    SELECT status, category, city, count(*) FROM inserted GROUP BY status, category, city ORDER BY status, category, city
    ON CONFLICT (status, category, city) DO UPDATE SET orders = c.orders + EXCLUDED.orders;
    RETURN NULL;
END
$$;

-- A changed or removed row moves between two counters: lock both in key order, as every
-- other writer does, then move it.
CREATE FUNCTION order_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM 1 FROM order_counts
          WHERE (status, category, city) IN ((OLD.status, OLD.category, OLD.city), (NEW.status, NEW.category, NEW.city))
          ORDER BY status, category, city FOR NO KEY UPDATE;
        INSERT INTO order_counts AS c (status, category, city, orders) VALUES (NEW.status, NEW.category, NEW.city, 1)
        ON CONFLICT (status, category, city) DO UPDATE SET orders = c.orders + 1;
    END IF;
    UPDATE order_counts SET orders = orders - 1
     WHERE status = OLD.status AND category = OLD.category AND city = OLD.city;
    RETURN NULL;
END
$$;

CREATE TRIGGER order_counts_insert AFTER INSERT ON orders
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION order_counts_inserted();
CREATE TRIGGER order_counts_update AFTER UPDATE OF status, category, city ON orders
    FOR EACH ROW WHEN ((OLD.status, OLD.category, OLD.city) IS DISTINCT FROM (NEW.status, NEW.category, NEW.city))
    EXECUTE FUNCTION order_counts_changed();
CREATE TRIGGER order_counts_delete AFTER DELETE ON orders
    FOR EACH ROW EXECUTE FUNCTION order_counts_changed();

CREATE FUNCTION order_counts_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM order_counts;
    RETURN NULL;
END
$$;

CREATE TRIGGER order_counts_truncate AFTER TRUNCATE ON orders
    FOR EACH STATEMENT EXECUTE FUNCTION order_counts_reset();

-- Settling many orders at once (the closer's batches) moves many orders between counters:
-- lock those counters in key order first, so two settling transactions cannot each hold a
-- counter the other needs.
CREATE OR REPLACE FUNCTION apply_due_transitions(p_ids text[], p_now timestamptz)
RETURNS TABLE (expired integer, closed integer, refunds integer) LANGUAGE sql AS $$
    SELECT 1 FROM order_counts c
     WHERE (c.status, c.category, c.city) IN (
               SELECT s.status, o.category, o.city
                 FROM orders o
                CROSS JOIN LATERAL (VALUES (o.status),
                                           (order_effective_status(o.status, o.due_at, o.no_response_at, o.expires_at, p_now))) s (status)
                WHERE o.id = ANY (p_ids) AND o.status = 'active' AND o.due_at <= p_now)
     ORDER BY c.status, c.category, c.city
       FOR NO KEY UPDATE;

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

-- 4. A page of orders is chosen by key first, then its rows are read by primary key. With
-- history in the table the planner underestimates the active, not-yet-due orders (it
-- multiplies the selectivities of status and due_at, which go together) and, when each page
-- row also had to be fetched from the heap, it preferred sorting every active order to
-- walking the newest-first index. With due_at in these indexes the walk reads no heap.
DROP INDEX orders_active_newest;
CREATE INDEX orders_active_newest ON orders (created_at DESC, id DESC) INCLUDE (due_at) WHERE status = 'active';
DROP INDEX orders_active_category_city;
CREATE INDEX orders_active_category_city ON orders (category, city, created_at DESC, id DESC) INCLUDE (due_at)
    WHERE status = 'active';

-- Everyone's expired or completed orders of one category and city, newest first.
CREATE INDEX orders_status_category_city ON orders (status, category, city, created_at DESC, id DESC);
