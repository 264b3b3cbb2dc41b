-- The old Python backend's schema (srochno-backend v1.0.0-beta.7, alembic head 0c7e1efbbe2a),
-- written from the description of a database migrated to that head, for the tests and the
-- benchmark of srochno-adopt. Enums hold the upper-case names; nothing normalises contacts,
-- keeps balances equal to their transactions or counters equal to the data.

CREATE TYPE orderstatus AS ENUM ('ACTIVE', 'EXPIRED', 'DELETED', 'CLOSED_NO_RESPONSE', 'COMPLETED');
CREATE TYPE transactiontype AS ENUM ('RECHARGE', 'ORDER_TAKE', 'REFUND');
CREATE TYPE complaintreason AS ENUM ('NO_RESPONSE', 'CANCELLED_ORDER', 'INADEQUATE_BEHAVIOR', 'FALSE_INFO', 'OTHER');
CREATE TYPE invoicestatus AS ENUM ('PENDING', 'PAID', 'EXPIRED');

CREATE TABLE users (
    id                             bigint PRIMARY KEY,
    username                       varchar,
    first_name                     varchar NOT NULL,
    last_name                      varchar,
    language_code                  varchar,
    balance                        integer NOT NULL,
    completed_orders_count         integer NOT NULL,
    active_orders_count            integer NOT NULL,
    average_rating                 double precision NOT NULL,
    subscribed_categories          varchar[] NOT NULL DEFAULT '{}',
    subscribed_cities              varchar[] NOT NULL DEFAULT '{}',
    notification_frequency_minutes integer NOT NULL,
    notifications_enabled          boolean NOT NULL DEFAULT false,
    last_notified_at               timestamptz,
    created_at                     timestamptz NOT NULL,
    updated_at                     timestamptz NOT NULL
);
CREATE INDEX ix_users_username ON users (username);

CREATE TABLE orders (
    id                    varchar(32) PRIMARY KEY,
    client_id             bigint NOT NULL REFERENCES users (id),
    category              varchar(50) NOT NULL,
    description           text NOT NULL,
    city                  varchar(100) NOT NULL,
    contact               varchar(100) NOT NULL,
    status                orderstatus NOT NULL,
    city_locked           boolean NOT NULL,
    expires_in_minutes    integer NOT NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    customer_responded_at timestamptz
);
CREATE INDEX ix_orders_category ON orders (category);
CREATE INDEX ix_orders_city ON orders (city);
CREATE INDEX ix_orders_client_id ON orders (client_id);
CREATE INDEX ix_orders_status ON orders (status);
CREATE INDEX ix_orders_created_at ON orders (created_at);

CREATE TABLE executor_takes (
    id          serial PRIMARY KEY,
    order_id    varchar(32) NOT NULL REFERENCES orders (id),
    executor_id bigint NOT NULL REFERENCES users (id),
    taken_at    timestamptz NOT NULL,
    CONSTRAINT uq_executor_takes_order_executor UNIQUE (order_id, executor_id)
);
CREATE INDEX ix_executor_takes_order_id ON executor_takes (order_id);
CREATE INDEX ix_executor_takes_executor_id ON executor_takes (executor_id);
CREATE INDEX ix_executor_takes_taken_at ON executor_takes (taken_at);

CREATE TABLE balance_transactions (
    id                      serial PRIMARY KEY,
    user_id                 bigint NOT NULL REFERENCES users (id),
    type                    transactiontype NOT NULL,
    amount                  integer NOT NULL,
    balance_after           integer NOT NULL,
    order_id                varchar,
    payment_method          varchar,
    external_transaction_id varchar,
    description             text,
    created_at              timestamptz NOT NULL
);
CREATE INDEX ix_balance_transactions_user_id ON balance_transactions (user_id);
CREATE INDEX ix_balance_transactions_created_at ON balance_transactions (created_at);

CREATE TABLE client_reviews (
    id          serial PRIMARY KEY,
    order_id    varchar(32) NOT NULL REFERENCES orders (id),
    client_id   bigint NOT NULL REFERENCES users (id),
    executor_id bigint NOT NULL REFERENCES users (id),
    rating      integer NOT NULL,
    comment     text,
    created_at  timestamptz NOT NULL,
    CONSTRAINT uq_client_review_order_client_executor UNIQUE (order_id, client_id, executor_id)
);
CREATE INDEX ix_client_reviews_order_id ON client_reviews (order_id);
CREATE INDEX ix_client_reviews_client_id ON client_reviews (client_id);
CREATE INDEX ix_client_reviews_executor_id ON client_reviews (executor_id);
CREATE INDEX ix_client_reviews_created_at ON client_reviews (created_at);

CREATE TABLE executor_complaints (
    id          serial PRIMARY KEY,
    order_id    varchar(32) NOT NULL REFERENCES orders (id),
    executor_id bigint NOT NULL REFERENCES users (id),
    client_id   bigint NOT NULL REFERENCES users (id),
    complaint   complaintreason NOT NULL,
    comment     text,
    created_at  timestamptz NOT NULL,
    CONSTRAINT uq_executor_complaint_order_executor UNIQUE (order_id, executor_id)
);
CREATE INDEX ix_executor_complaints_order_id ON executor_complaints (order_id);
CREATE INDEX ix_executor_complaints_executor_id ON executor_complaints (executor_id);
CREATE INDEX ix_executor_complaints_client_id ON executor_complaints (client_id);
CREATE INDEX ix_executor_complaints_created_at ON executor_complaints (created_at);

CREATE TABLE payment_invoices (
    id                     serial PRIMARY KEY,
    user_id                bigint NOT NULL REFERENCES users (id),
    crypto_bot_invoice_id  integer,
    amount                 integer NOT NULL,
    status                 invoicestatus NOT NULL DEFAULT 'PENDING',
    pay_url                varchar,
    mini_app_invoice_url   varchar,
    balance_transaction_id integer REFERENCES balance_transactions (id),
    paid_at                timestamptz,
    created_at             timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ix_payment_invoices_crypto_bot_invoice_id ON payment_invoices (crypto_bot_invoice_id);
CREATE INDEX ix_payment_invoices_user_id ON payment_invoices (user_id);
CREATE INDEX ix_payment_invoices_status ON payment_invoices (status);

CREATE TABLE alembic_version (
    version_num varchar(32) PRIMARY KEY
);
INSERT INTO alembic_version (version_num) VALUES ('0c7e1efbbe2a');
