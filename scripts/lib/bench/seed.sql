-- scripts/bench: seeds a freshly migrated database with what a marketplace of 60-minute orders
-- looks like. Run by scripts/bench; by hand (scratch database only):
--
--   psql "$(database_url)" -v orders=10000 -f scripts/lib/bench/seed.sql
--
-- Variables (all optional): orders (10000), clients (1000, ids 1..clients), executors (2000,
-- ids 100001..100000+executors), recent (10000), seed for random() (0.42).
--
-- * The newest min(orders, recent) orders were created over the last 50 minutes: still active
--   (60-minute lifetime) for at least ten more minutes, so the whole bench sees them active.
-- * The rest is history, created before the last hour at ~10,000 an hour (1,000,000 orders
--   reach ~4 days back): expired, deleted, completed or closed_no_response.
-- * 7 categories, 50 big cities (20 % Москва, 10 % Санкт-Петербург), one of 1,000 clients.
--   Contacts are +79XXXXXXXXX from the row number: unique, so one active order per contact.
-- * A third of the orders taken by 1-3 distinct executors; executors are funded by a
--   'recharge' ledger row first. Takes are executor_takes rows whose insert trigger bumps
--   take_count and starts the no-response clock (first_taken_at, no_response_at, due_at), plus
--   one 'order_take' ledger row each, exactly as the take handler writes them; the ledger
--   trigger applies every amount to the balance. Recent taken orders were either answered by
--   the client or taken within the last 5 minutes (so no no-response moment falls inside the
--   bench). History: 55 % of taken orders answered (3/4 of those completed, the rest
--   expired), the others closed by the client (no refund) or closed_no_response by the timer
--   with one 'refund' row per take, as apply_due_transitions writes them.
-- * 40 % of completed orders have a client review of their first executor; a few timer-closed
--   orders have a complaint.
-- Users' Telegram fields are the ones scripts/lib/bench/make-tokens.py signs ('user<id>',
-- 'Клиент <id>' or 'Мастер <id>', 'ru'), so authentication writes nothing.
\set ON_ERROR_STOP on
\if :{?orders} \else \set orders 10000 \endif
\if :{?clients} \else \set clients 1000 \endif
\if :{?executors} \else \set executors 2000 \endif
\if :{?recent} \else \set recent 10000 \endif
\if :{?seed} \else \set seed 0.42 \endif

BEGIN;
CREATE TEMP TABLE bench_cities (n integer PRIMARY KEY, name text NOT NULL);
INSERT INTO bench_cities (n, name)
SELECT n, name FROM unnest(ARRAY[
    'Москва', 'Санкт-Петербург', 'Новосибирск', 'Екатеринбург', 'Казань', 'Нижний Новгород',
    'Челябинск', 'Красноярск', 'Самара', 'Уфа', 'Ростов-на-Дону', 'Омск', 'Краснодар', 'Воронеж',
    'Пермь', 'Волгоград', 'Саратов', 'Тюмень', 'Тольятти', 'Барнаул', 'Ижевск', 'Махачкала',
    'Хабаровск', 'Ульяновск', 'Иркутск', 'Владивосток', 'Ярославль', 'Севастополь', 'Томск',
    'Ставрополь', 'Кемерово', 'Набережные Челны', 'Оренбург', 'Новокузнецк', 'Балашиха', 'Рязань',
    'Чебоксары', 'Калининград', 'Пенза', 'Липецк', 'Киров', 'Астрахань', 'Тула', 'Улан-Удэ',
    'Сургут', 'Курск', 'Тверь', 'Магнитогорск', 'Иваново', 'Брянск']) WITH ORDINALITY AS c(name, n);
DO $$
BEGIN
    IF (SELECT count(*) FROM bench_cities JOIN cities USING (name)) <> 50 THEN
        RAISE EXCEPTION 'a bench city is missing from the cities table';
    END IF;
END
$$;

-- Users as Telegram sends them (see make-tokens.py); executors get their money first.
INSERT INTO users (id, username, first_name, language_code, created_at)
SELECT id, 'user' || id, 'Клиент ' || id, 'ru', now() - interval '60 days' FROM generate_series(1, :clients) id;
INSERT INTO users (id, username, first_name, language_code, created_at)
SELECT 100000 + e, 'user' || (100000 + e), 'Мастер ' || (100000 + e), 'ru', now() - interval '60 days'
  FROM generate_series(1, :executors) e;
INSERT INTO balance_transactions (user_id, type, amount, description, created_at)
SELECT 100000 + e, 'recharge', 1000 + 8 * (:orders / :executors), 'Recharge', now() - interval '59 days'
  FROM generate_series(1, :executors) e ORDER BY e;

COMMIT;

-- History first (the long part), then the recent orders, timed from their own start.
BEGIN;
\set part history
\ir seed-orders.sql
COMMIT;
BEGIN;
\set part recent
\ir seed-orders.sql
COMMIT;
VACUUM ANALYZE;

SELECT status, count(*) AS orders, sum(take_count) AS takes FROM orders GROUP BY status ORDER BY status;
