## Notifications (F-AD-12): the bell, the list, the e-mail
area-notifications = Notifications
settings-notifications = Notifications by e-mail
notices-bell = { $count ->
        [0] Notifications: none unread
        [1] Notifications: 1 unread
       *[other] Notifications: { $count } unread
    }
notices-repeated = { $count }×
notices-last = last at
notices-read = Read
notices-mark-all-read = Mark all as read
notices-filter = Show
notices-show-all = All
notices-show-unread = Unread
notices-show-read = Read
notices-empty = No notifications here.
notices-see-all = { $count ->
        [1] See all notifications (1 unread)
       *[other] See all notifications ({ $count } unread)
    }
notice-channel-auth = The service refused the credentials of channel { $name }: { $reason }
notice-webhook-signature = The webhook of channel { $name } received calls with an invalid signature (ignored).
notice-delivery-failed = A message of channel { $name } could not be delivered: { $reason }
notice-poller-down = Channel { $name } cannot fetch new messages: { $reason }
notice-pause-over-limit = { $name } went past the limit of the pause { $pause } ({ $limit } min).
notice-queue-full = The queue of team { $name } reached its limit of { $limit ->
        [1] 1 waiting conversation
       *[other] { $limit } waiting conversations
    }.
notice-unassigned = In team { $name }, { $waiting ->
        [1] 1 conversation has
       *[other] { $waiting } conversations have
    } waited over { $minutes } min with nobody taking them.
notice-low-score = Conversation { $name } was scored { $score } in the satisfaction survey.
notice-webhook-dead = A webhook to { $name } was given up after 24 hours of retries: { $reason }
notices-kind-channel-auth = A channel's credentials refused
notices-kind-webhook-signature = Invalid signatures on a channel's webhook
notices-kind-delivery-failed = Messages that could not be delivered
notices-kind-poller-down = A channel that cannot fetch messages
notices-kind-pause-over-limit = Pauses past their limit
notices-kind-queue-full = Queues at their limit
notices-kind-unassigned = Queues nobody takes
notices-kind-low-score = Low satisfaction survey scores
notices-kind-webhook-dead = Outgoing webhooks given up after 24 hours
notices-settings-open = Who receives notifications by e-mail, which ones and how often
notices-settings-intro = Notifications show in the bell and in Notifications for those with the permission. Here you choose who also receives them by e-mail: at most one e-mail per cause per interval.
notices-settings-recipients = Administrators who receive them by e-mail
notices-settings-kinds = Notifications sent by e-mail
notices-settings-interval = Shortest interval between e-mails of the same cause (minutes)
notices-settings-interval-hint = From 1 to 1440. Repeats within the interval are still counted in the bell and go in the next e-mail.
notices-settings-low-score = Notify survey scores up to
notices-settings-low-score-hint = From 1 to 4, on the 1 to 5 scale; empty or 0 notifies no scores.
notices-settings-saved = Notifications saved.
notices-settings-no-smtp = No SMTP server is configured: e-mails go out only once it is.
notices-bad-recipient = Choose active administrators only.
notices-bad-kind = Choose notifications from the list only.
notice-mail-subject = { $company }: { $what }
notice-mail-body =
    { $what }

    { $count ->
        [1] It happened at { $last }.
       *[other] It happened { $count } times; the last at { $last }.
    }

    See: { $link }

    You receive this e-mail because you were chosen in Settings › Notifications by e-mail.
