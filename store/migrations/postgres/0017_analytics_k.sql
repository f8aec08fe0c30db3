-- The product promises that no figure computed from fewer than 5 people is
-- ever shown; the threshold could be set as low as 3 until now. A threshold
-- stored below 5 is raised to 5, and the table refuses one below 5 from now
-- on.
UPDATE analytics_settings SET k = 5 WHERE k < 5;
ALTER TABLE analytics_settings DROP CONSTRAINT analytics_settings_k_check;
ALTER TABLE analytics_settings ADD CONSTRAINT analytics_settings_k_check CHECK (k >= 5 AND k <= 50);
