-- Fills an old-backend database (Tests/Fixtures/legacy-0c7e1efbbe2a.sql) for the srochno-adopt
-- benchmark: :users users and :orders orders from the last 30 days, the newest ones still
-- stored ACTIVE (some of them hours past their time, some sharing one phone written two ways),
-- a third of the orders taken by 1-3 executors with their ORDER_TAKE rows, completed orders
-- reviewed, unanswered ones refunded, a top-up per user, and Crypto Pay invoices in every
-- status. Contacts are written the ways people type them; a few cities, categories and
-- subscriptions are outside today's lists. Deterministic: the same numbers give the same data.
\set ON_ERROR_STOP on

CREATE TEMP TABLE bench_cities (n integer PRIMARY KEY, name text NOT NULL);
INSERT INTO bench_cities VALUES
    (0, 'Москва'), (1, 'Санкт-Петербург'), (2, 'Казань'), (3, 'Новосибирск'), (4, 'Екатеринбург'),
    (5, 'Нижний Новгород'), (6, 'Самара'), (7, 'Омск'), (8, 'Ростов-на-Дону'), (9, 'Уфа'),
    (10, 'Красноярск'), (11, 'Пермь'), (12, 'Воронеж'), (13, 'Волгоград'), (14, 'Краснодар'),
    (15, 'Саратов'), (16, 'Тюмень'), (17, 'Тольятти'), (18, 'Ижевск'), (19, 'Барнаул'),
    (20, 'Орёл'), (21, 'орел'), (22, 'Готэм');
CREATE TEMP TABLE bench_categories (n integer PRIMARY KEY, name text NOT NULL);
INSERT INTO bench_categories VALUES
    (0, 'Сантехника'), (1, 'Электрика'), (2, 'Бытовой ремонт'), (3, 'Клининг'), (4, 'Сборка/установка'),
    (5, 'Бытовая техника'), (6, 'Другое');

INSERT INTO users (id, username, first_name, last_name, language_code, balance, completed_orders_count,
                   active_orders_count, average_rating, subscribed_categories, subscribed_cities,
                   notification_frequency_minutes, notifications_enabled, created_at, updated_at)
SELECT 1000000 + i, 'user' || i, 'Пользователь', CASE WHEN i % 3 = 0 THEN 'Тестов' END, 'ru',
       (i * 37) % 500, i % 7, i % 5, (i % 50) / 10.0,
       CASE i % 4 WHEN 0 THEN '{}'::varchar[] WHEN 1 THEN ARRAY['Сантехника', 'Электрика']::varchar[]
                  WHEN 2 THEN ARRAY['Клининг', 'Садоводство']::varchar[] ELSE ARRAY['Другое']::varchar[] END,
       CASE i % 5 WHEN 0 THEN '{}'::varchar[] WHEN 1 THEN ARRAY['Москва']::varchar[]
                  WHEN 2 THEN ARRAY['Казань', 'Готэм']::varchar[] WHEN 3 THEN ARRAY['москва', 'Тула']::varchar[]
                  ELSE ARRAY['Пермь']::varchar[] END,
       1 + i % 20, i % 2 = 0, now() - interval '60 days', now() - interval '1 day'
  FROM generate_series(1, :users) i;

-- Orders: number i was created i * (30 days / :orders) ago, so the newest are minutes old.
-- The newest 2 % are stored ACTIVE (those past 60 minutes left so by lost timers); the rest
-- a history mix. Contacts: the number n (i's own, or for every 10th active order its older
-- neighbour's, in another spelling) written the i-th of six ways, one of which does not
-- normalise.
INSERT INTO orders (id, client_id, category, description, city, contact, status, city_locked, expires_in_minutes,
                    created_at, updated_at, customer_responded_at)
SELECT 'L' || lpad(to_hex(i), 11, '0'),
       1000000 + 1 + (i * 7919) % :users,
       (SELECT name FROM bench_categories WHERE n = i % 7),
       'Срочно нужен мастер, заказ номер ' || i || ', подробности по телефону',
       (SELECT name FROM bench_cities WHERE n = CASE WHEN i % 997 = 0 THEN 22 WHEN i % 101 = 0 THEN 21 ELSE i % 20 END),
       CASE i % 6
           WHEN 0 THEN '+7 9' || substr(d, 1, 2) || ' ' || substr(d, 3, 3) || '-' || substr(d, 6, 2) || '-' || substr(d, 8, 2)
           WHEN 1 THEN '89' || d
           WHEN 2 THEN '8 (9' || substr(d, 1, 2) || ') ' || substr(d, 3, 7)
           WHEN 3 THEN '@User_' || p.n
           WHEN 4 THEN 'hello' || p.n
           ELSE '+79' || d
       END,
       (CASE WHEN i <= :orders / 50 THEN 'ACTIVE'
             ELSE (ARRAY['EXPIRED', 'COMPLETED', 'CLOSED_NO_RESPONSE', 'EXPIRED', 'DELETED', 'COMPLETED'])[1 + i % 6] END)::orderstatus,
       true, 60, c.at, c.at + interval '61 minutes',
       CASE WHEN i % 6 IN (1, 5) THEN c.at + interval '10 minutes' END
  FROM generate_series(1::bigint, :orders) i
 CROSS JOIN LATERAL (SELECT now() - i * (interval '30 days' / :orders) AS at,
                            CASE WHEN i <= :orders / 50 AND i % 10 = 5 THEN i + 1 ELSE i END AS n) c
 CROSS JOIN LATERAL (SELECT lpad(c.n::text, 9, '0') AS d, c.n) p;

-- A third of the orders taken, 5 minutes after creation, by 1-3 of the users.
INSERT INTO executor_takes (order_id, executor_id, taken_at)
SELECT o.id, 1000000 + 1 + (i * 104729 + k * 7) % :users, o.created_at + interval '5 minutes' + k * interval '1 minute'
  FROM generate_series(3::bigint, :orders, 3) i
  JOIN orders o ON o.id = 'L' || lpad(to_hex(i), 11, '0')
 CROSS JOIN LATERAL generate_series(0, (i / 3) % 3) k
 WHERE o.status <> 'DELETED' AND 1000000 + 1 + (i * 104729 + k * 7) % :users <> o.client_id
ON CONFLICT DO NOTHING;

INSERT INTO balance_transactions (user_id, type, amount, balance_after, payment_method, external_transaction_id, description, created_at)
SELECT 1000000 + i, 'RECHARGE', 100 + (i * 37) % 500, 100 + (i * 37) % 500, 'crypto_bot', (5000000 + i)::text,
       'Crypto Bot payment #' || (5000000 + i), now() - interval '59 days'
  FROM generate_series(1, :users) i;
INSERT INTO balance_transactions (user_id, type, amount, balance_after, order_id, description, created_at)
SELECT t.executor_id, 'ORDER_TAKE', -2, 98, t.order_id, 'Took order ' || t.order_id, t.taken_at FROM executor_takes t;
INSERT INTO balance_transactions (user_id, type, amount, balance_after, order_id, description, created_at)
SELECT t.executor_id, 'REFUND', 2, 100, t.order_id, NULL, o.updated_at
  FROM executor_takes t JOIN orders o ON o.id = t.order_id AND o.status = 'CLOSED_NO_RESPONSE';

INSERT INTO client_reviews (order_id, client_id, executor_id, rating, comment, created_at)
SELECT t.order_id, o.client_id, t.executor_id, 1 + abs(hashtext(t.order_id)) % 5,
       CASE WHEN t.id % 2 = 0 THEN 'Всё сделал быстро' END, o.updated_at
  FROM executor_takes t JOIN orders o ON o.id = t.order_id AND o.status IN ('COMPLETED', 'EXPIRED')
 WHERE t.id % 3 <> 0;
INSERT INTO executor_complaints (order_id, executor_id, client_id, complaint, comment, created_at)
SELECT t.order_id, t.executor_id, o.client_id,
       (ARRAY['NO_RESPONSE', 'CANCELLED_ORDER', 'INADEQUATE_BEHAVIOR', 'FALSE_INFO', 'OTHER'])[1 + t.id % 5]::complaintreason,
       NULL, o.updated_at
  FROM executor_takes t JOIN orders o ON o.id = t.order_id
 WHERE t.id % 11 = 0;

INSERT INTO payment_invoices (user_id, crypto_bot_invoice_id, amount, status, pay_url, mini_app_invoice_url, created_at, paid_at)
SELECT 1000000 + 1 + (i * 31) % :users, 7000000 + i, 100 + i % 900,
       (ARRAY['PENDING', 'PAID', 'EXPIRED'])[1 + i % 3]::invoicestatus,
       'https://t.me/CryptoBot?start=IV' || i, NULL, now() - i * interval '1 minute',
       CASE WHEN i % 3 = 1 THEN now() - i * interval '1 minute' + interval '2 minutes' END
  FROM generate_series(1, greatest(:users / 100, 3)) i;

ANALYZE;
