-- Version 4 was held for the multi-device work, which in the end needed no schema change
-- (devices already had a revoked flag; link offers live in memory). Migrations are numbered
-- without holes, so this no-op stays. It changes nothing.
SELECT 1;
