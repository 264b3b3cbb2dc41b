-- Subscribed executors for the notification benchmarks: :subscribers users with notifications on,
-- ids from :first_id, each with 1-3 of the 7 categories and 1 city (every tenth 2, every 25th 3). Cities are spread as
-- demand is: a quarter of executors in Moscow, a tenth in Saint Petersburg, a fifth in 13 other
-- large cities, the rest uniformly over all 1,066. With :hot_city set, every executor takes that
-- city and all 7 categories instead (the worst case of one order reaching everyone); pass
-- -v hot_city= (empty) for the spread.
WITH big (name, n) AS (
    SELECT name, row_number() OVER () - 1 FROM unnest(ARRAY[
        'Новосибирск', 'Екатеринбург', 'Казань', 'Нижний Новгород', 'Челябинск', 'Красноярск', 'Самара',
        'Уфа', 'Ростов-на-Дону', 'Омск', 'Краснодар', 'Воронеж', 'Пермь']) name
), city AS (
    SELECT name, position - 1 AS n FROM cities
), pick AS (
    SELECT u, c, random() AS r, (random() * 1065)::int AS any_city, (random() * 12)::int AS big_city
      FROM generate_series(1, :subscribers) u, generate_series(1, 1 + (u % 10 = 0)::int + (u % 25 = 0)::int) c
)
INSERT INTO users (id, first_name, notifications_enabled, notification_frequency, preferred_categories, preferred_cities)
SELECT :first_id + u, 'Исполнитель', true, 5 + (u % 11),
       CASE WHEN :'hot_city' <> '' THEN ARRAY['Сантехника', 'Электрика', 'Бытовой ремонт', 'Клининг',
                                                       'Сборка/установка', 'Бытовая техника', 'Другое']
            ELSE (SELECT array_agg(DISTINCT k) FROM (
                    SELECT (ARRAY['Сантехника', 'Электрика', 'Бытовой ремонт', 'Клининг', 'Сборка/установка',
                                  'Бытовая техника', 'Другое'])[1 + ((u + i * 3) % 7)] AS k
                      FROM generate_series(0, (u % 3)) i) ks) END,
       CASE WHEN :'hot_city' <> '' THEN ARRAY[:'hot_city']
            ELSE array_agg(DISTINCT CASE WHEN r < 0.25 THEN 'Москва' WHEN r < 0.35 THEN 'Санкт-Петербург'
                                         WHEN r < 0.55 THEN (SELECT name FROM big WHERE n = big_city)
                                         ELSE (SELECT name FROM city WHERE n = any_city) END) END
  FROM pick
 GROUP BY u;
ANALYZE users;
