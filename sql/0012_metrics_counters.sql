-- What GET /metrics reads (issue #16): totals that would otherwise cost a scan of the whole
-- history on every scrape, kept by triggers in the same transaction as the change, so any
-- snapshot sees counters and rows agree.
--
-- Series (one name per thing counted):
--   'orders:<status>'             orders stored with that status now (events; rubles 0). The
--                                 stored 'active' count goes up and down; the others only grow.
--   'ledger:order_take'           charges for takes: events, and rubles charged (positive)
--   'ledger:refund'               refunds: events and rubles
--   'ledger:recharge:<provider>'  credits: 'crypto_bot', 'stars', or 'none' (the dev recharge and
--                                 the balances carried over by srochno-adopt)
--
-- Hot rows. Every take adds a ledger row, and every create an order, in transactions that run
-- side by side on every worker; one counter row per series would make each of them wait for
-- the previous one's COMMIT on that row's lock. So each series is spread over 16 shard rows and
-- a session writes the shard of its backend pid (pg_backend_pid() % 16); a reader sums the
-- shards. A worker keeps its session, and a pool's workers connect at start-up one after
-- another, so their backends' pids are mostly consecutive and land on different shards: two
-- workers rarely share a row, and then only that pair waits. Measured with pgbench on 2 shared cores (a build running beside it, so the figures are
-- rough): 8 clients, each transaction a take's shape (BEGIN, the user's row FOR UPDATE, one
-- ledger row, COMMIT) for a random one of 2,000 users, 10 s each: one row per series 271 tps at
-- 29.6 ms a transaction, 16 shards 713 tps at 11.2 ms, the trigger disabled 636 tps at 12.6 ms:
-- sharded, the counters cost nothing measurable; on one row they cut throughput by 60 %.
CREATE TABLE metrics_counters (
    series text NOT NULL,
    shard  integer NOT NULL CHECK (shard BETWEEN 0 AND 15),
    events bigint NOT NULL DEFAULT 0,
    rubles bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (series, shard)
);

-- Adds to this session's shard of `p_series`. One call per series and statement (the
-- triggers group their transition tables first, series in order, so two writers take counter
-- rows in the same order).
CREATE FUNCTION metrics_counters_add(p_series text, p_events bigint, p_rubles bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO metrics_counters AS c (series, shard, events, rubles)
    VALUES (p_series, pg_backend_pid() % 16, p_events, p_rubles)
    ON CONFLICT (series, shard) DO UPDATE SET events = c.events + p_events, rubles = c.rubles + p_rubles
$$;

-- Ledger rows are never updated or deleted (balance_transactions_immutable), so inserts are
-- all there is to count; the closer's batch of refunds is one statement and one counter write.
CREATE FUNCTION metrics_ledger_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM metrics_counters_add(series, n, rubles)
       FROM (SELECT CASE type WHEN 'recharge' THEN 'ledger:recharge:' || COALESCE(provider, 'none')
                              ELSE 'ledger:' || type END AS series,
                    count(*) AS n, sum(abs(amount))::bigint AS rubles
               FROM added GROUP BY 1 ORDER BY 1) d;
    RETURN NULL;
END
$$;

CREATE TRIGGER metrics_ledger_added AFTER INSERT ON balance_transactions
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION metrics_ledger_added();

-- Orders per stored status, as order_counts (0006) but without category and city: a few
-- rows to sum instead of one per status, category and city in use.
CREATE FUNCTION metrics_orders_added_or_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM metrics_counters_add('orders:' || status, CASE TG_OP WHEN 'DELETE' THEN -n ELSE n END, 0)
       FROM (SELECT status, count(*) AS n FROM changed GROUP BY status ORDER BY status) d;
    RETURN NULL;
END
$$;

CREATE FUNCTION metrics_orders_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM metrics_counters_add('orders:' || status, n, 0)
       FROM (SELECT v.status, sum(v.delta) AS n
               FROM before_change b
               JOIN after_change a ON a.id = b.id
              CROSS JOIN LATERAL (VALUES (a.status, 1), (b.status, -1)) v (status, delta)
              WHERE b.status <> a.status
              GROUP BY v.status HAVING sum(v.delta) <> 0
              ORDER BY v.status) d;
    RETURN NULL;
END
$$;

CREATE TRIGGER metrics_orders_insert AFTER INSERT ON orders
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION metrics_orders_added_or_removed();
CREATE TRIGGER metrics_orders_update AFTER UPDATE ON orders
    REFERENCING OLD TABLE AS before_change NEW TABLE AS after_change
    FOR EACH STATEMENT EXECUTE FUNCTION metrics_orders_updated();
CREATE TRIGGER metrics_orders_delete AFTER DELETE ON orders
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION metrics_orders_added_or_removed();

CREATE FUNCTION metrics_counters_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM metrics_counters WHERE series LIKE TG_ARGV[0] || ':%';
    RETURN NULL;
END
$$;

CREATE TRIGGER metrics_orders_truncate AFTER TRUNCATE ON orders
    FOR EACH STATEMENT EXECUTE FUNCTION metrics_counters_reset('orders');
CREATE TRIGGER metrics_ledger_truncate AFTER TRUNCATE ON balance_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION metrics_counters_reset('ledger');

-- The backfill, into shard 0. Writers that began before this transaction could commit rows
-- this snapshot misses and that no trigger counted yet: the lock waits for them and keeps new
-- ones out until the migration commits (reads go on).
LOCK TABLE orders, balance_transactions IN SHARE ROW EXCLUSIVE MODE;

INSERT INTO metrics_counters (series, shard, events, rubles)
SELECT 'orders:' || status, 0, count(*), 0 FROM orders GROUP BY status;

INSERT INTO metrics_counters (series, shard, events, rubles)
SELECT CASE type WHEN 'recharge' THEN 'ledger:recharge:' || COALESCE(provider, 'none') ELSE 'ledger:' || type END,
       0, count(*), sum(abs(amount))
  FROM balance_transactions GROUP BY 1;

-- Payments whose invoice is still being made ('creating': stored before the provider is asked,
-- 'pending' or 'failed' once it answered). Normally none for longer than a provider timeout;
-- /metrics reports how many and the oldest, from this index instead of every payment.
CREATE INDEX payments_creating ON payments (created_at) WHERE status = 'creating';
