-- a working first migration
CREATE TABLE first (id INTEGER PRIMARY KEY);
