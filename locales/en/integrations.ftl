# REST API tokens and outgoing webhooks.
area-integrations = Integrations

## Outgoing webhooks (F-IN-2)
webhooks-title = Webhooks
webhooks-help = Atende tells other systems what happens in conversations: on every change, a JSON POST signed with HMAC-SHA256 goes to the address of each active webhook that chose the event, retried for up to 24 hours.
webhooks-new = New webhook
webhooks-edit = Webhook
webhooks-search-placeholder = Search by address
webhooks-url = Target address
webhooks-url-hint = http:// or https://. The address is checked when saved and on every delivery; redirects are not followed.
webhooks-url-example = https://system.example.com/atende
webhooks-events = Events
webhooks-state = State
webhooks-queue = Deliveries
webhooks-active = Active
webhooks-inactive = Inactive
webhooks-active-label = Active (send the chosen events)
webhooks-private-badge = private network
webhooks-pending-count = { $count ->
        [0] nothing pending
        [1] 1 pending
       *[other] { $count } pending
    }
webhooks-dead-count = { $count ->
        [1] 1 given up
       *[other] { $count } given up
    }
webhooks-allow-private = Allow a target on a private network
webhooks-allow-private-hint = Only tick this for a system on your own network (addresses like 10.x, 192.168.x, 127.0.0.1). Without it, private, local and link-local addresses are refused.
webhooks-secret = Signing secret
webhooks-secret-new = New signing secret
webhooks-secret-once = Copy it now: the secret is not shown again. It signs every delivery in the X-Atende-Signature header.
webhooks-rotate = Generate a new secret
webhooks-rotate-confirm = Generate a new secret? The current one stops working at once.
webhooks-event-conversation-opened = conversation opened
webhooks-event-conversation-assigned = conversation assigned to an agent
webhooks-event-conversation-transferred = conversation transferred
webhooks-event-conversation-closed = conversation closed
webhooks-event-message-created = message received or sent
webhooks-event-message-status = status of a sent message
webhooks-event-contact-created = contact created
webhooks-event-contact-updated = contact changed
webhooks-event-survey-answered = satisfaction survey answered
webhooks-log = Recent deliveries
webhooks-log-empty = No deliveries yet.
webhooks-log-event = Event
webhooks-log-status = Status
webhooks-log-attempts = Attempts
webhooks-log-response = Response
webhooks-log-time = Last attempt
webhooks-log-error = Last error
webhooks-log-next = next:
webhooks-status-pending = Pending
webhooks-status-delivered = Delivered
webhooks-status-dead = Given up
webhooks-resend = Resend
webhooks-url-required = Enter the target address.
webhooks-url-invalid = This address is not valid.
webhooks-url-scheme = The address must start with http:// or https://.
webhooks-url-credentials = Do not put a user name and password in the address.
webhooks-url-unresolvable = This address could not be found (the name does not resolve).
webhooks-url-private = This address leads to a private or local network. Tick "Allow a target on a private network" if it really is a system on your network.
webhooks-events-required = Choose at least one event.
webhooks-events-unknown = Choose only events from the list.
webhooks-secret-invalid = The generated secret was lost; open the form again.
audit-action-webhook-create = Webhook created
audit-action-webhook-update = Webhook changed
audit-action-webhook-delete = Webhook deleted
audit-action-webhook-rotate-secret = Webhook secret replaced
audit-action-webhook-resend = Webhook delivery resent
