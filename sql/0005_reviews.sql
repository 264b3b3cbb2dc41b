-- A client's review of one executor of one order, and an executor's complaint about an
-- order's client. Both can only refer to a real take, and exist at most once.
CREATE TABLE client_reviews (
    id          bigserial PRIMARY KEY,
    order_id    text NOT NULL REFERENCES orders (id),
    client_id   bigint NOT NULL REFERENCES users (id),
    executor_id bigint NOT NULL REFERENCES users (id),
    rating      smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment     text CHECK (char_length(comment) <= 500),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT client_reviews_once UNIQUE (order_id, client_id, executor_id),
    CONSTRAINT client_reviews_of_a_take FOREIGN KEY (order_id, executor_id)
        REFERENCES executor_takes (order_id, executor_id)
);

CREATE INDEX client_reviews_newest ON client_reviews (created_at DESC, id DESC);
CREATE INDEX client_reviews_executor ON client_reviews (executor_id, created_at DESC);
CREATE INDEX client_reviews_client ON client_reviews (client_id, created_at DESC);

CREATE TABLE executor_complaints (
    id          bigserial PRIMARY KEY,
    order_id    text NOT NULL REFERENCES orders (id),
    executor_id bigint NOT NULL REFERENCES users (id),
    reason      text NOT NULL CHECK (reason IN (
                    'Не отвечал', 'Отменил заказ', 'Неадекватное поведение', 'Ложная информация', 'Другое')),
    comment     text CHECK (char_length(comment) <= 500),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT executor_complaints_once UNIQUE (order_id, executor_id),
    CONSTRAINT executor_complaints_of_a_take FOREIGN KEY (order_id, executor_id)
        REFERENCES executor_takes (order_id, executor_id)
);
