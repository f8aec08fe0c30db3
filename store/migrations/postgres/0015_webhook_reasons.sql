-- The delivery log keeps why an attempt failed in a few words of Relais
-- ("HTTP 500", "connection refused"), never what the receiver answered:
-- the start of the answers' bodies kept until now is cleared.
UPDATE webhook_deliveries SET last_error = 'HTTP ' || CAST(last_status AS TEXT)
	WHERE last_status > 0 AND last_error <> '' AND last_error <> 'webhook turned off';
UPDATE webhook_deliveries SET last_error = 'invalid URL'
	WHERE last_status = 0 AND last_error LIKE 'bad URL:%';
UPDATE webhook_deliveries SET last_error = 'connection refused'
	WHERE last_status = 0 AND last_error LIKE 'dial %: connection refused';
-- Other errors without an answer could quote what the receiver sent (a
-- malformed answer, say): only those Relais wrote alone are kept.
UPDATE webhook_deliveries SET last_error = 'connection failed'
	WHERE last_status = 0 AND last_error <> '' AND last_error <> 'webhook turned off'
		AND last_error <> 'invalid URL' AND last_error <> 'connection refused' AND last_error NOT LIKE 'no answer within %';
