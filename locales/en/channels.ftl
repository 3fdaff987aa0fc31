# Channel pages: what every kind shares.
channels-secret-saved = Saved — leave empty to keep it
channels-receptive-only = Receptive only
channels-receptive-only-hint = Customers write and agents answer; nobody starts conversations on this channel.
channels-webhook = Webhook address
channels-webhook-hint = Give this address to the channel's service so it delivers messages to Atende.
channels-health = Channel health
channels-health-last-poll = Last successful check
channels-health-last-in = Last message received
channels-health-last-out = Last message sent
channels-health-today = Today
channels-health-counts = { $received } received, { $sent } sent
channels-health-last-error = Last problem
channels-test = Test connection
channels-test-ok = Connection working: { $fact }
channels-test-failed = The connection failed: { $reason }
