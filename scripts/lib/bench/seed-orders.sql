-- One transaction's worth of scripts/lib/bench/seed.sql: the orders of one part (:'part' is
-- 'history' or 'recent'), with their takes, money, reviews and complaints. Included twice, so
-- that the recent orders are timed from the start of their own, short transaction.
SELECT setseed(:seed) \gset

-- Every random choice of an order, drawn once.
CREATE TEMP TABLE seed_draws ON COMMIT DROP AS
SELECT g, g <= :recent AS recent, 1 + floor(random() * :clients)::bigint AS client_id,
       translate(substr(encode(decode(md5('bench-order-' || g), 'hex'), 'base64'), 1, 12), '+/', '-_') AS id,
       (ARRAY['Сантехника', 'Электрика', 'Бытовой ремонт', 'Клининг', 'Сборка/установка', 'Бытовая техника', 'Другое'])
           [1 + floor(random() * 7)::integer] AS category,
       CASE WHEN r.city < 0.2 THEN 1 WHEN r.city < 0.3 THEN 2 ELSE 3 + floor(random() * 48)::integer END AS city_n,
       CASE WHEN g <= :recent THEN now() - random() * interval '50 minutes'
            ELSE now() - interval '61 minutes' - random() * ((:orders - :recent) / 10000.0) * interval '1 hour' END AS created_at,
       CASE WHEN random() < 1 / 3.0 THEN 1 + floor(random() * 3)::integer ELSE 0 END AS takes,
       floor(random() * :executors)::integer AS executor_base,
       random() AS delay, random() AS respond, random() AS action, random() AS finish, random() AS review
  FROM generate_series(1, :orders) g, LATERAL (SELECT random() AS city, g AS anchor) r
 WHERE (g <= :recent) = (:'part' = 'recent');

-- The order's story: first take, the client's answer, how it ended.
CREATE TEMP TABLE seed_plan ON COMMIT DROP AS
WITH taken AS (
    SELECT d.*,
           CASE WHEN d.takes = 0 THEN NULL
                WHEN d.recent THEN d.created_at + d.delay * LEAST(now() - d.created_at, interval '10 minutes')
                ELSE d.created_at + d.delay * interval '10 minutes' END AS first_taken_at
      FROM seed_draws d
), answered AS (
    SELECT t.*,
           CASE WHEN t.takes = 0 THEN NULL
                -- Recent: unanswered only when taken in the last 5 minutes (see the header).
                WHEN t.recent AND t.first_taken_at > now() - interval '5 minutes' AND t.respond < 0.5 THEN NULL
                WHEN t.recent THEN t.first_taken_at + t.respond * LEAST(now() - t.first_taken_at, interval '5 minutes')
                WHEN t.respond < 0.55 THEN t.first_taken_at + t.respond / 0.55 * interval '10 minutes'
                ELSE NULL END AS responded_at
      FROM taken t
)
SELECT a.*,
       CASE WHEN a.recent THEN CASE WHEN a.responded_at IS NOT NULL AND a.action < 0.1 THEN 'completed' ELSE 'active' END
            WHEN a.takes = 0 THEN CASE WHEN a.action < 0.1 THEN 'deleted' ELSE 'expired' END
            WHEN a.responded_at IS NOT NULL THEN CASE WHEN a.action < 0.75 THEN 'completed' ELSE 'expired' END
            ELSE 'closed_no_response' END AS status,
       -- Timer-closed orders refund every take; client-closed ones (10 %) do not.
       (NOT a.recent AND a.takes > 0 AND a.responded_at IS NULL AND a.action >= 0.1) AS refunded,
       CASE WHEN a.recent THEN CASE WHEN a.responded_at IS NOT NULL AND a.action < 0.1
                                    THEN a.responded_at + a.finish * (now() - a.responded_at) END
            WHEN a.takes = 0 THEN CASE WHEN a.action < 0.1 THEN a.created_at + interval '3 minutes' + a.finish * interval '10 minutes'
                                       ELSE a.created_at + interval '60 minutes' END
            WHEN a.responded_at IS NOT NULL THEN CASE WHEN a.action < 0.75 THEN a.responded_at + a.finish * interval '20 minutes'
                                                      ELSE a.created_at + interval '60 minutes' END
            WHEN a.action < 0.1 THEN a.first_taken_at + interval '2 minutes'
            ELSE a.first_taken_at + interval '15 minutes' END AS finished_at,
       -- Later takes lie between the first one and the answer (or now, or the client's close).
       CASE WHEN a.takes = 0 THEN NULL
            WHEN a.recent THEN COALESCE(a.responded_at, now()) - a.first_taken_at
            ELSE COALESCE(a.responded_at, a.first_taken_at + interval '2 minutes') - a.first_taken_at END AS take_window
  FROM answered a;

-- The history part is large: there the take and ledger triggers are disabled for this
-- transaction only and their columns set directly from the plan (orders are inserted
-- finished, which the take trigger would refuse), and the DO block at the end
-- checks the result against what the triggers would have written (a failure rolls it all
-- back). Row-by-row triggers over 1,000,000 orders took far too long: every ledger row updates
-- its executor's users row, and repeated updates of one row inside one transaction make
-- ever longer version chains. The recent part always runs through the triggers, as the app.
SELECT :'part' = 'history' AS direct \gset

INSERT INTO orders (id, client_id, category, description, city, contact, status, created_at, lifetime_minutes,
                    expires_at, no_response_minutes, max_executors, take_count, first_taken_at, no_response_at,
                    customer_responded_at, due_at, finished_at)
SELECT p.id, p.client_id, p.category,
       (ARRAY['Срочно нужен мастер: течёт труба под раковиной, перекрыл воду',
              'Не работают розетки на кухне, выбило автомат и не включается',
              'Повесить полку и карниз, нужен перфоратор и свои крепления',
              'Генеральная уборка двухкомнатной квартиры после ремонта',
              'Собрать шкаф-купе и кровать, инструкция есть, всё привезли',
              'Стиральная машина не сливает воду и показывает ошибку E21',
              'Помочь донести диван до пятого этажа без лифта, сегодня'])[1 + p.g % 7]
           || ' (заказ ' || p.g || ')',
       c.name, '+79' || lpad(p.g::text, 9, '0'), CASE WHEN :'direct'::boolean THEN p.status ELSE 'active' END,
       p.created_at, 60, p.created_at + interval '60 minutes', 15, 3,
       CASE WHEN :'direct'::boolean THEN p.takes ELSE 0 END,
       CASE WHEN :'direct'::boolean THEN p.first_taken_at END,
       CASE WHEN :'direct'::boolean AND p.takes > 0 AND p.responded_at IS NULL THEN p.first_taken_at + interval '15 minutes' END,
       p.responded_at,
       CASE WHEN :'direct'::boolean AND p.takes > 0 AND p.responded_at IS NULL
            THEN LEAST(p.created_at + interval '60 minutes', p.first_taken_at + interval '15 minutes')
            ELSE p.created_at + interval '60 minutes' END,
       CASE WHEN :'direct'::boolean THEN p.finished_at END
  FROM seed_plan p JOIN bench_cities c ON c.n = p.city_n
 ORDER BY p.created_at;

-- Takes by distinct executors, first take first: the trigger (when on) sets take_count,
-- first_taken_at and, for unanswered orders, no_response_at and due_at.
\if :direct
ALTER TABLE executor_takes DISABLE TRIGGER executor_takes_count;
\endif
CREATE TEMP TABLE seed_takes ON COMMIT DROP AS
SELECT p.id AS order_id, 100001 + (p.executor_base + j - 1) % :executors AS executor_id, 2 AS amount_paid,
       p.first_taken_at + CASE WHEN j = 1 THEN interval '0' ELSE (j - 1) * random() / 2 * p.take_window END AS taken_at
  FROM seed_plan p CROSS JOIN generate_series(1, 3) j
 WHERE j <= p.takes;
INSERT INTO executor_takes (order_id, executor_id, amount_paid, taken_at)
SELECT order_id, executor_id, amount_paid, taken_at FROM seed_takes ORDER BY order_id, taken_at;
\if :direct
ALTER TABLE executor_takes ENABLE TRIGGER executor_takes_count;
-- What the status trigger writes when an order completes (these were inserted completed).
UPDATE executor_takes t SET order_completed = true
  FROM seed_plan p WHERE p.id = t.order_id AND p.status = 'completed';
\else
-- The trigger takes only active orders: the recent ones end (completed) after their takes,
-- as the complete handler does it.
UPDATE orders o SET status = p.status, finished_at = p.finished_at
  FROM seed_plan p
 WHERE p.id = o.id AND p.status <> 'active';
\endif

-- The money, in time order: a charge per take, and a refund per take of a timer-closed order.
CREATE TEMP TABLE seed_money ON COMMIT DROP AS
SELECT t.executor_id AS user_id, 'order_take' AS type, -t.amount_paid AS amount, t.order_id, t.id AS take_id,
       'Order take' AS description, t.taken_at AS created_at
  FROM executor_takes t JOIN seed_plan p ON p.id = t.order_id
UNION ALL
SELECT t.executor_id, 'refund', t.amount_paid, t.order_id, t.id, 'Refund: the client did not respond', p.finished_at
  FROM executor_takes t JOIN seed_plan p ON p.id = t.order_id AND p.refunded;

\if :direct
-- balance_after and user_seq as the ledger trigger computes them (the balance and entry count
-- before this transaction plus the running sum and count in insertion order), then each
-- balance and count moved once.
ALTER TABLE balance_transactions DISABLE TRIGGER balance_transactions_apply;
INSERT INTO balance_transactions (user_id, type, amount, balance_after, user_seq, order_id, take_id, description, created_at)
SELECT m.user_id, m.type, m.amount,
       u.balance + sum(m.amount) OVER (PARTITION BY m.user_id ORDER BY m.created_at, m.take_id, m.type
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       u.ledger_entries + row_number() OVER (PARTITION BY m.user_id ORDER BY m.created_at, m.take_id, m.type),
       m.order_id, m.take_id, m.description, m.created_at
  FROM seed_money m JOIN users u ON u.id = m.user_id
 ORDER BY m.created_at, m.take_id, m.type;
ALTER TABLE balance_transactions ENABLE TRIGGER balance_transactions_apply;
ALTER TABLE users DISABLE TRIGGER users_balance_guard;
UPDATE users u SET balance = u.balance + d.total, ledger_entries = u.ledger_entries + d.entries
  FROM (SELECT user_id, sum(amount) AS total, count(*) AS entries FROM seed_money GROUP BY user_id) d
 WHERE d.user_id = u.id;
ALTER TABLE users ENABLE TRIGGER users_balance_guard;
\else
INSERT INTO balance_transactions (user_id, type, amount, order_id, take_id, description, created_at)
SELECT user_id, type, amount, order_id, take_id, description, created_at FROM seed_money
 ORDER BY created_at, take_id, type;
\endif

INSERT INTO client_reviews (order_id, client_id, executor_id, rating, comment, created_at)
SELECT p.id, p.client_id, first_take.executor_id,
       (ARRAY[5, 5, 5, 5, 5, 4, 4, 4, 3, 2])[1 + floor(p.finish * 10)::integer],
       CASE WHEN p.review < 0.2 THEN 'Приехал быстро, всё сделал аккуратно' END,
       p.finished_at + p.review * interval '20 minutes'
  FROM seed_plan p
  JOIN LATERAL (SELECT executor_id FROM executor_takes WHERE order_id = p.id ORDER BY taken_at, id LIMIT 1) first_take ON true
 WHERE p.status = 'completed' AND p.review < 0.4 AND p.finished_at + p.review * interval '20 minutes' <= now()
 ORDER BY 6;

INSERT INTO executor_complaints (order_id, executor_id, reason, created_at)
SELECT t.order_id, t.executor_id, 'Не отвечал', p.finished_at + interval '5 minutes'
  FROM executor_takes t JOIN seed_plan p ON p.id = t.order_id
 WHERE p.refunded AND p.review < 0.05
 ORDER BY p.finished_at;

-- Whatever wrote them (triggers or the statements above), the take columns, the ledger and
-- the balances must be what the triggers write; nothing active may fall due during the bench.
DO $$
DECLARE
    wrong bigint;
BEGIN
    SELECT count(*) INTO wrong
      FROM seed_plan p JOIN orders o USING (id)
      LEFT JOIN LATERAL (SELECT count(*) AS n, min(taken_at) AS first FROM executor_takes t WHERE t.order_id = o.id) t ON true
     WHERE o.take_count <> p.takes OR o.take_count <> t.n OR o.first_taken_at IS DISTINCT FROM t.first
        OR o.no_response_at IS DISTINCT FROM CASE WHEN t.n > 0 AND o.customer_responded_at IS NULL
                                                  THEN t.first + make_interval(mins => o.no_response_minutes) END
        OR (p.refunded AND o.finished_at <> o.no_response_at);
    IF wrong > 0 THEN RAISE EXCEPTION 'seed: % orders disagree with their takes', wrong; END IF;
    SELECT count(*) INTO wrong
      FROM executor_takes t JOIN orders o ON o.id = t.order_id
     WHERE t.order_completed <> (o.status = 'completed');
    IF wrong > 0 THEN RAISE EXCEPTION 'seed: % takes disagree with their order about completion', wrong; END IF;
    SELECT count(*) INTO wrong
      FROM order_counts c
      FULL JOIN (SELECT status, category, city, count(*)::integer AS n FROM orders
                  GROUP BY status, category, city) a USING (status, category, city)
     WHERE COALESCE(c.orders, 0) <> COALESCE(a.n, 0);
    IF wrong > 0 THEN RAISE EXCEPTION 'seed: % order counters are wrong', wrong; END IF;
    SELECT count(*) INTO wrong FROM orders WHERE status = 'active' AND due_at <= now() + interval '9 minutes';
    IF wrong > 0 THEN RAISE EXCEPTION 'seed: % active orders fall due within 9 minutes', wrong; END IF;
    SELECT count(*) INTO wrong
      FROM (SELECT balance_after, user_seq, sum(amount) OVER (PARTITION BY user_id ORDER BY user_seq) AS running,
                   row_number() OVER (PARTITION BY user_id ORDER BY user_seq) AS position
              FROM balance_transactions) b
     WHERE b.balance_after <> b.running OR b.user_seq <> b.position;
    IF wrong > 0 THEN RAISE EXCEPTION 'seed: % ledger rows with a wrong balance_after or user_seq', wrong; END IF;
    SELECT count(*) INTO wrong
      FROM users u LEFT JOIN (SELECT user_id, sum(amount) AS total FROM balance_transactions GROUP BY user_id) l
           ON l.user_id = u.id
     WHERE u.balance <> COALESCE(l.total, 0);
    IF wrong > 0 THEN RAISE EXCEPTION 'seed: % balances differ from their ledger', wrong; END IF;
END
$$;
