-- Fills a scratch database that has the migrated schema with a realistic order history, for
-- EXPLAIN and benchmarks. Never run it on a database that matters. With a stack running
-- (scripts/test or scripts/dev; see database_url in scripts/lib/stack.sh):
--
--   psql "$(database_url postgres)" -c 'CREATE DATABASE srochno_explain TEMPLATE srochno_template'
--   psql "$(database_url srochno_explain)" -v orders=100000 -f scripts/lib/seed-orders.sql
--
-- Variables (all optional): orders (100000), users (20000, ids 1..users), days of history (14),
-- seed for random() (0.42). Orders are spread evenly over the last `days` days, so only those
-- of the last hour are still active, as in production. Everything goes through the real
-- tables and triggers: recharges and take charges are ledger rows, takes bump take_count and
-- start the no-response clock, and due orders older than a minute are settled by
-- apply_due_transitions (with its refunds), as the closer would have done.
\set ON_ERROR_STOP on
\if :{?orders} \else \set orders 100000 \endif
\if :{?users} \else \set users 20000 \endif
\if :{?days} \else \set days 14 \endif
\if :{?seed} \else \set seed 0.42 \endif

BEGIN;
SELECT setseed(:seed);

INSERT INTO users (id, first_name, username)
SELECT g, 'Seed ' || g, 'seed_' || g FROM generate_series(1, :users) g;

INSERT INTO balance_transactions (user_id, type, amount, description)
SELECT g, 'recharge', 1000, 'Seed recharge' FROM generate_series(1, :users) g ORDER BY g;

-- One row per order with its random choices made once: 20 % Moscow, 10 % St Petersburg, the
-- rest skewed towards the start of the catalogue; 50 % never taken, the others by 1-3.
CREATE TEMP TABLE seed_orders ON COMMIT DROP AS
WITH catalogue AS (SELECT array_agg(name ORDER BY name) AS names, count(*) AS n FROM cities),
draws AS (
    SELECT g, random() AS city_draw, random() AS city_pick, random() AS take_draw, random() AS action_draw,
           1 + floor(random() * :users)::bigint AS client_id,
           (ARRAY['Сантехника', 'Электрика', 'Бытовой ремонт', 'Клининг', 'Сборка/установка', 'Бытовая техника', 'Другое'])
               [1 + floor(random() * 7)::integer] AS category,
           now() - random() * make_interval(days => :days) AS created_at,
           random() * interval '30 minutes' AS first_take_delay
      FROM generate_series(1, :orders) g
)
SELECT d.g, substr(md5('seed-order-' || d.g), 1, 12) AS id, d.client_id, d.category,
       CASE WHEN d.city_draw < 0.2 THEN 'Москва'
            WHEN d.city_draw < 0.3 THEN 'Санкт-Петербург'
            ELSE c.names[1 + floor(d.city_pick ^ 2 * c.n)::integer] END AS city,
       d.created_at, floor(d.take_draw ^ 2 * 4)::integer AS takes, d.action_draw, d.first_take_delay
  FROM draws d CROSS JOIN catalogue c;

INSERT INTO orders (id, client_id, category, description, city, contact, created_at, lifetime_minutes, expires_at,
                    no_response_minutes, max_executors, due_at)
SELECT id, client_id, category, 'Seed order ' || g || ': нужен мастер как можно скорее', city,
       '+79' || lpad(g::text, 9, '0'), created_at, 60, created_at + interval '60 minutes', 15, 3,
       created_at + interval '60 minutes'
  FROM seed_orders ORDER BY created_at;

-- Takes by distinct executors (never the client), the first `first_take_delay` after creation
-- and the others within minutes of it; takes that would lie in the future are left out. They
-- are inserted oldest first per order, since the first take starts the no-response clock.
INSERT INTO executor_takes (order_id, executor_id, amount_paid, taken_at)
SELECT id, executor_id, 2, taken_at
  FROM (SELECT s.id, 1 + (s.client_id - 1 + j * 104729) % :users AS executor_id,
               s.created_at + s.first_take_delay + (j - 1 + random()) * interval '4 minutes' AS taken_at
          FROM seed_orders s CROSS JOIN generate_series(1, 3) j
         WHERE j <= s.takes) t
 WHERE taken_at <= now()
 ORDER BY id, taken_at;

INSERT INTO balance_transactions (user_id, type, amount, order_id, take_id, description)
SELECT executor_id, 'order_take', -amount_paid, order_id, id, 'Order take' FROM executor_takes ORDER BY id;

-- The clients' answers, each only while the order was still effectively active: 55 % of taken
-- orders get a response within 10 minutes of the first take, three quarters of those are then
-- completed; 5 % are closed by the client (no refunds); 10 % of untaken orders are deleted.
UPDATE orders o
   SET customer_responded_at = o.first_taken_at + s.action_draw * interval '18 minutes',
       no_response_at = NULL, due_at = o.expires_at
  FROM seed_orders s
 WHERE s.id = o.id AND o.take_count > 0 AND s.action_draw < 0.55
   AND o.first_taken_at + s.action_draw * interval '18 minutes' <= now();

UPDATE orders o
   SET status = 'completed', finished_at = o.customer_responded_at + interval '5 minutes'
  FROM seed_orders s
 WHERE s.id = o.id AND o.customer_responded_at IS NOT NULL AND s.action_draw < 0.41
   AND o.customer_responded_at + interval '5 minutes' < LEAST(o.expires_at, now());

UPDATE orders o
   SET status = 'closed_no_response', finished_at = o.first_taken_at + interval '2 minutes'
  FROM seed_orders s
 WHERE s.id = o.id AND o.take_count > 0 AND o.status = 'active' AND s.action_draw >= 0.95
   AND o.first_taken_at + interval '2 minutes' < LEAST(o.due_at, now());

UPDATE orders o
   SET status = 'deleted', finished_at = o.created_at + interval '3 minutes'
  FROM seed_orders s
 WHERE s.id = o.id AND o.take_count = 0 AND s.action_draw < 0.10
   AND o.created_at + interval '3 minutes' < now();

-- What the per-minute closer would have settled by now: expiries, and no-response closings
-- with their refunds.
SELECT * FROM apply_due_transitions(
    ARRAY(SELECT id FROM orders WHERE status = 'active' AND due_at <= now() - interval '1 minute' ORDER BY id),
    now() - interval '1 minute');

-- Reviews of the first executor for 40 % of completed orders, and a few complaints.
INSERT INTO client_reviews (order_id, client_id, executor_id, rating, comment, created_at)
SELECT o.id, o.client_id, t.executor_id, 3 + floor(random() * 3)::integer,
       CASE WHEN random() < 0.5 THEN 'Seed review: всё сделано быстро' END, o.finished_at + interval '10 minutes'
  FROM orders o
  JOIN LATERAL (SELECT executor_id FROM executor_takes WHERE order_id = o.id ORDER BY taken_at, id LIMIT 1) t ON true
 WHERE o.status = 'completed' AND random() < 0.4 AND o.finished_at + interval '10 minutes' <= now()
 ORDER BY o.finished_at;

INSERT INTO executor_complaints (order_id, executor_id, reason, created_at)
SELECT t.order_id, t.executor_id, 'Не отвечал', o.finished_at
  FROM executor_takes t JOIN orders o ON o.id = t.order_id
 WHERE o.status = 'closed_no_response' AND random() < 0.05
 ORDER BY o.finished_at;

COMMIT;
VACUUM ANALYZE;

SELECT status, count(*), sum(take_count) AS takes,
       count(*) FILTER (WHERE status = 'active' AND due_at > now()) AS effectively_active
  FROM orders GROUP BY status ORDER BY status;
