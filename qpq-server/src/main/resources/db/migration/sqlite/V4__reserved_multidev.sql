-- Placeholder: version 4 belongs to the multi-device work, which is developed in parallel.
-- Migrations must be numbered without holes, so this no-op keeps V5 (key transparency)
-- loadable until the real V4 is merged in its place. It changes nothing.
SELECT 1;
