-- Demo schema for the JDBC examples in config/ (MariaDB 10.11): the same 7 columns as sql/demo/orders.sql.
--   mariadb demo < sql/demo/orders-mariadb.sql
-- Safe to run again: existing rows are kept. updated_at follows updates (ON UPDATE) for timestamp mode.

CREATE TABLE IF NOT EXISTS orders (
    id          BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
    customer    TEXT           NOT NULL,
    amount      DECIMAL(12, 2) NOT NULL,
    status      TEXT           NOT NULL DEFAULT 'new',
    created_at  DATETIME(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at  DATETIME(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    note        TEXT           NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

INSERT IGNORE INTO orders (id, customer, amount, status, created_at, updated_at, note) VALUES
    (1, 'Ada Lovelace',    129.90, 'new',       '2024-05-01 09:15:00', '2024-05-01 09:15:00', NULL),
    (2, 'Alan Turing',      15.00, 'paid',      '2024-05-01 10:02:31', '2024-05-01 11:00:00', 'gift wrap'),
    (3, 'Grace Hopper',   1999.99, 'shipped',   '2024-05-02 14:45:10', '2024-05-03 08:30:00', NULL),
    (4, 'Edsger Dijkstra',   0.99, 'cancelled', '2024-05-03 16:20:00', '2024-05-03 16:25:42', 'customer changed mind'),
    (5, 'Barbara Liskov',  250.00, 'paid',      '2024-05-04 07:05:05', '2024-05-04 07:06:00', 'ünïcödé note, "quotes", comma');
