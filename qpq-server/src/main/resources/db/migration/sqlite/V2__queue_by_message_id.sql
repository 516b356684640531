-- ack refuses ids queued only for other devices (docs/wire.md "Delivery"): that look-up goes by
-- message id alone, which queue_by_message (device_id, message_id) cannot serve.
CREATE INDEX queue_by_message_id ON queue (message_id);
