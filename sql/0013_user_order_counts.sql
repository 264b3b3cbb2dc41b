-- GET /api/users/me in one indexed round trip: each user's profile counters kept by triggers
-- in the same transaction as the change that moves them (like order_counts in 0006), so the
-- profile reads one row instead of counting the user's orders, takes and reviews per request.
--
-- Per user: the orders stored 'active' and stored 'completed' that the user created or took
-- (a client never takes their own order, so the two roles never count one order twice), and
-- the sum and number of the client reviews about the user as executor (the rating is their
-- mean). Completed is a final status, so its count is exact. A stored-active order is
-- effectively active only until its due moment (SPEC §4): the profile subtracts the user's
-- stored-active orders that are already due, which the closer settles every minute, so there
-- are few (a range of orders_active_due_client below, index-only).
CREATE TABLE user_order_counts (
    user_id      bigint PRIMARY KEY,
    active       integer NOT NULL DEFAULT 0,
    completed    integer NOT NULL DEFAULT 0,
    rating_sum   bigint NOT NULL DEFAULT 0,
    rating_count integer NOT NULL DEFAULT 0
);

-- Rebuilt from the data: the initial fill, and after a TRUNCATE of a table counted here.
CREATE FUNCTION user_order_counts_rebuild() RETURNS void LANGUAGE sql AS $$
    DELETE FROM user_order_counts;
    INSERT INTO user_order_counts (user_id, active, completed, rating_sum, rating_count)
    SELECT user_id, sum(active), sum(completed), sum(rating_sum), sum(rating_count)
      FROM (SELECT o.client_id AS user_id, (o.status = 'active')::integer AS active,
                   (o.status = 'completed')::integer AS completed, 0 AS rating_sum, 0 AS rating_count
              FROM orders o WHERE o.status IN ('active', 'completed')
            UNION ALL
            SELECT t.executor_id, (o.status = 'active')::integer, (o.status = 'completed')::integer, 0, 0
              FROM executor_takes t JOIN orders o ON o.id = t.order_id WHERE o.status IN ('active', 'completed')
            UNION ALL
            SELECT r.executor_id, 0, 0, r.rating, 1 FROM client_reviews r) c
     GROUP BY user_id;
$$;

SELECT user_order_counts_rebuild();

-- Each trigger applies its changes as one upsert of one row per user, users in order (two
-- writers cannot each hold a counter the other needs). One statement, whose plan PL/pgSQL
-- keeps for the session: a helper function in SQL was planned anew on every call, which
-- made the counting a sixth of a take's time.

-- Orders inserted or deleted: their clients (both triggers name the transition table `changed`).
-- A deleted order's takes are gone first (they reference it), which counted them off.
CREATE FUNCTION user_order_counts_orders_added_or_removed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sign integer := CASE TG_OP WHEN 'DELETE' THEN -1 ELSE 1 END;
BEGIN
    INSERT INTO user_order_counts AS c (user_id, active, completed)
    SELECT client_id, sign * count(*) FILTER (WHERE status = 'active'), sign * count(*) FILTER (WHERE status = 'completed')
      FROM changed WHERE status IN ('active', 'completed')
     GROUP BY client_id ORDER BY client_id
    ON CONFLICT (user_id) DO UPDATE SET active = c.active + EXCLUDED.active, completed = c.completed + EXCLUDED.completed;
    RETURN NULL;
END
$$;

-- Orders updated: each one whose stored status (or client) changed moves its client's and its
-- executors' counters. Most updates (a take bumping take_count, an edit) change neither and
-- insert nothing.
CREATE FUNCTION user_order_counts_orders_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO user_order_counts AS c (user_id, active, completed)
    SELECT v.user_id, sum(v.active), sum(v.completed)
      FROM before_change b
      JOIN after_change a ON a.id = b.id
     CROSS JOIN LATERAL (
           SELECT a.client_id, (a.status = 'active')::integer, (a.status = 'completed')::integer
           UNION ALL
           SELECT b.client_id, -(b.status = 'active')::integer, -(b.status = 'completed')::integer
           UNION ALL
           SELECT t.executor_id, (a.status = 'active')::integer - (b.status = 'active')::integer,
                  (a.status = 'completed')::integer - (b.status = 'completed')::integer
             FROM executor_takes t WHERE t.order_id = a.id) v (user_id, active, completed)
     WHERE (b.status, b.client_id) IS DISTINCT FROM (a.status, a.client_id)
     GROUP BY v.user_id HAVING sum(v.active) <> 0 OR sum(v.completed) <> 0
     ORDER BY v.user_id
    ON CONFLICT (user_id) DO UPDATE SET active = c.active + EXCLUDED.active, completed = c.completed + EXCLUDED.completed;
    RETURN NULL;
END
$$;

-- Takes inserted or deleted: their executors, by the stored status of each order now (a take
-- is normally of an active order; srochno-adopt and the bench seed also insert takes of
-- orders already completed).
CREATE FUNCTION user_order_counts_takes_added_or_removed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sign integer := CASE TG_OP WHEN 'DELETE' THEN -1 ELSE 1 END;
BEGIN
    INSERT INTO user_order_counts AS c (user_id, active, completed)
    SELECT t.executor_id, sign * count(*) FILTER (WHERE o.status = 'active'),
           sign * count(*) FILTER (WHERE o.status = 'completed')
      FROM changed t JOIN orders o ON o.id = t.order_id
     WHERE o.status IN ('active', 'completed')
     GROUP BY t.executor_id ORDER BY t.executor_id
    ON CONFLICT (user_id) DO UPDATE SET active = c.active + EXCLUDED.active, completed = c.completed + EXCLUDED.completed;
    RETURN NULL;
END
$$;

-- Reviews: the rating sum and count of the executor reviewed.
CREATE FUNCTION user_order_counts_reviews_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO user_order_counts AS c (user_id, rating_sum, rating_count)
        SELECT executor_id, sum(rating), count(*) FROM after_change GROUP BY executor_id ORDER BY executor_id
        ON CONFLICT (user_id) DO UPDATE
           SET rating_sum = c.rating_sum + EXCLUDED.rating_sum, rating_count = c.rating_count + EXCLUDED.rating_count;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO user_order_counts AS c (user_id, rating_sum, rating_count)
        SELECT executor_id, -sum(rating), -count(*) FROM before_change GROUP BY executor_id ORDER BY executor_id
        ON CONFLICT (user_id) DO UPDATE
           SET rating_sum = c.rating_sum + EXCLUDED.rating_sum, rating_count = c.rating_count + EXCLUDED.rating_count;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION user_order_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM user_order_counts_rebuild();
    RETURN NULL;
END
$$;

CREATE TRIGGER user_order_counts_orders_insert AFTER INSERT ON orders
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION user_order_counts_orders_added_or_removed();
CREATE TRIGGER user_order_counts_orders_update AFTER UPDATE ON orders
    REFERENCING OLD TABLE AS before_change NEW TABLE AS after_change
    FOR EACH STATEMENT EXECUTE FUNCTION user_order_counts_orders_updated();
CREATE TRIGGER user_order_counts_orders_delete AFTER DELETE ON orders
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION user_order_counts_orders_added_or_removed();
CREATE TRIGGER user_order_counts_orders_truncate AFTER TRUNCATE ON orders
    FOR EACH STATEMENT EXECUTE FUNCTION user_order_counts_truncated();

CREATE TRIGGER user_order_counts_takes_insert AFTER INSERT ON executor_takes
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION user_order_counts_takes_added_or_removed();
CREATE TRIGGER user_order_counts_takes_delete AFTER DELETE ON executor_takes
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION user_order_counts_takes_added_or_removed();
CREATE TRIGGER user_order_counts_takes_truncate AFTER TRUNCATE ON executor_takes
    FOR EACH STATEMENT EXECUTE FUNCTION user_order_counts_truncated();

CREATE TRIGGER user_order_counts_reviews_insert AFTER INSERT ON client_reviews
    REFERENCING NEW TABLE AS after_change FOR EACH STATEMENT EXECUTE FUNCTION user_order_counts_reviews_changed();
CREATE TRIGGER user_order_counts_reviews_update AFTER UPDATE ON client_reviews
    REFERENCING OLD TABLE AS before_change NEW TABLE AS after_change
    FOR EACH STATEMENT EXECUTE FUNCTION user_order_counts_reviews_changed();
CREATE TRIGGER user_order_counts_reviews_delete AFTER DELETE ON client_reviews
    REFERENCING OLD TABLE AS before_change FOR EACH STATEMENT EXECUTE FUNCTION user_order_counts_reviews_changed();
CREATE TRIGGER user_order_counts_reviews_truncate AFTER TRUNCATE ON client_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION user_order_counts_truncated();

-- The due part of the correction: a user's stored-active orders that are due, read as the
-- range of due orders with their clients in the index (the takes by the executor's unique key).
CREATE INDEX orders_active_due_client ON orders (due_at) INCLUDE (client_id) WHERE status = 'active';
