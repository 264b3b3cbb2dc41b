-- Top-ups (SPEC §8.1). A payment is our record of one invoice at a provider (Crypto Pay, or
-- Telegram Stars through the Bot API); it is credited by exactly one 'recharge' ledger row that
-- names the payment, the provider and the provider's id of the money received. Replays, parallel
-- webhook deliveries and the reconciliation job all go through one conditional statement that
-- credits only a payment still pending, under its row lock; the unique indexes below refuse any
-- writer that would credit twice regardless.
CREATE TABLE payments (
    id                   bigserial PRIMARY KEY,
    user_id              bigint NOT NULL REFERENCES users (id),
    provider             text NOT NULL CHECK (provider IN ('crypto_bot', 'stars')),
    -- Rubles credited when paid.
    amount               bigint NOT NULL CHECK (amount BETWEEN 1 AND 100000),
    -- The price in Stars (ceil(amount x stars per ruble)), for 'stars' only.
    stars                bigint CHECK (stars > 0),
    -- 'creating' until the provider answered with an invoice (or 'failed' if it did not: nothing
    -- the user could pay exists); 'pending' shows as expired from expires_at on, lazily, and is
    -- still credited if the money arrives.
    status               text NOT NULL DEFAULT 'creating' CHECK (status IN ('creating', 'pending', 'paid', 'failed')),
    -- Crypto Pay's invoice_id once created; for Stars the telegram_payment_charge_id once paid.
    external_id          text,
    pay_url              text,
    mini_app_invoice_url text,
    created_at           timestamptz NOT NULL,
    expires_at           timestamptz NOT NULL,
    paid_at              timestamptz,
    CONSTRAINT payments_stars_priced CHECK ((provider = 'stars') = (stars IS NOT NULL)),
    CONSTRAINT payments_paid_at CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
    CONSTRAINT payments_pending_has_invoice CHECK (status NOT IN ('pending', 'paid') OR pay_url IS NOT NULL),
    CONSTRAINT payments_external_once UNIQUE (provider, external_id)
);

CREATE INDEX payments_user_newest ON payments (user_id, id DESC);
-- What the reconciliation job asks the providers about.
CREATE INDEX payments_pending ON payments (provider, created_at) WHERE status = 'pending';

ALTER TABLE balance_transactions
    ADD COLUMN payment_id bigint REFERENCES payments (id),
    ADD COLUMN provider text,
    ADD COLUMN external_id text;

-- A recharge either mints nothing from outside (the dev recharge: no payment) or credits one
-- payment with the provider and its external id; no other kind carries them.
ALTER TABLE balance_transactions DROP CONSTRAINT balance_transactions_kind_shape;
ALTER TABLE balance_transactions ADD CONSTRAINT balance_transactions_kind_shape CHECK (
    (type = 'recharge' AND amount > 0 AND order_id IS NULL AND take_id IS NULL
        AND ((payment_id IS NULL AND provider IS NULL AND external_id IS NULL)
             OR (payment_id IS NOT NULL AND provider IS NOT NULL AND external_id IS NOT NULL)))
    OR (type = 'order_take' AND amount < 0 AND order_id IS NOT NULL AND take_id IS NOT NULL AND payment_id IS NULL)
    OR (type = 'refund' AND amount > 0 AND order_id IS NOT NULL AND take_id IS NOT NULL AND payment_id IS NULL)
);

CREATE UNIQUE INDEX balance_transactions_one_credit_per_payment ON balance_transactions (payment_id)
    WHERE payment_id IS NOT NULL;
CREATE UNIQUE INDEX balance_transactions_one_credit_per_receipt ON balance_transactions (provider, external_id)
    WHERE external_id IS NOT NULL;
