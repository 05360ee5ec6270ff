-- Why deals are lost: a list administrators keep, which a deal moved to a lost stage must
-- name. A reason is never deleted (deals keep naming it), only made inactive; names are
-- unique ignoring Turkish case (`name_key`). Kept in step with the other backend's
-- migration of the same version.

CREATE TABLE lost_reasons (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    position    BIGINT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    CONSTRAINT lost_reasons_name_key_key UNIQUE (name_key)
);

INSERT INTO lost_reasons (name, name_key, position) VALUES
    ('Fiyat yüksek bulundu', 'fiyat yuksek bulundu', 1),
    ('Rakip tercih edildi', 'rakip tercih edildi', 2),
    ('Bütçe yok', 'butce yok', 3),
    ('Zamanlama uygun değil', 'zamanlama uygun degil', 4),
    ('Yanıt alınamadı', 'yanit alinamadi', 5),
    ('Diğer', 'diger', 6);
