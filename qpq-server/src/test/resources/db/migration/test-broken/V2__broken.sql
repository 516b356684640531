-- the first statement works, the second fails: nothing of V2 may remain
CREATE TABLE second (id INTEGER PRIMARY KEY);
INSERT INTO first (id) VALUES (1);
CREATE TABLE broken (id INTEGER PRIMARY KEY, this is not sql);
