-- Demo schema for the JDBC examples in config/ (SQLite 3): the same 7 columns as sql/demo/orders.sql.
--   sqlite3 /tmp/sluice-demo.db < sql/demo/orders-sqlite.sql
-- Safe to run again: existing rows are kept. Timestamps are ISO text in UTC ('YYYY-MM-DD HH:MM:SS'), which sorts
-- and compares correctly; a trigger moves updated_at on every update for timestamp mode.

CREATE TABLE IF NOT EXISTS orders (
    id          INTEGER        PRIMARY KEY,  -- the 64-bit rowid
    customer    TEXT           NOT NULL,
    amount      NUMERIC(12, 2) NOT NULL,
    status      TEXT           NOT NULL DEFAULT 'new',
    created_at  TIMESTAMP      NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP      NOT NULL DEFAULT CURRENT_TIMESTAMP,
    note        TEXT
);

CREATE TRIGGER IF NOT EXISTS orders_touch_updated_at AFTER UPDATE ON orders
FOR EACH ROW WHEN NEW.updated_at = OLD.updated_at
BEGIN
    UPDATE orders SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;

INSERT OR IGNORE INTO orders (id, customer, amount, status, created_at, updated_at, note) VALUES
    (1, 'Ada Lovelace',    129.90, 'new',       '2024-05-01 09:15:00', '2024-05-01 09:15:00', NULL),
    (2, 'Alan Turing',      15.00, 'paid',      '2024-05-01 10:02:31', '2024-05-01 11:00:00', 'gift wrap'),
    (3, 'Grace Hopper',   1999.99, 'shipped',   '2024-05-02 14:45:10', '2024-05-03 08:30:00', NULL),
    (4, 'Edsger Dijkstra',   0.99, 'cancelled', '2024-05-03 16:20:00', '2024-05-03 16:25:42', 'customer changed mind'),
    (5, 'Barbara Liskov',  250.00, 'paid',      '2024-05-04 07:05:05', '2024-05-04 07:06:00', 'ünïcödé note, "quotes", comma');
