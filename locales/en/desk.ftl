## The agent's day: list tabs, pause limits, teams on top, the send key
workspace-lists = Conversation lists
workspace-pause-limit = up to { $minutes } min
workspace-pause-limit-day = up to { $minutes } min a day
workspace-key-send = Send the message
workspace-key-newline = New line in the message
topbar-teams = Teams
topbar-pause-clock = Pause time / limit
topbar-pause-over = pause limit exceeded
composer-send-hint-enter = Enter sends · Shift+Enter new line
composer-send-hint-ctrl-enter = Ctrl+Enter sends · Enter new line
profile-send-key = Sending messages
profile-send-key-enter = Enter sends; Shift+Enter starts a new line
profile-send-key-ctrl-enter = Ctrl+Enter sends; Enter starts a new line
profile-send-key-save = Save preference
profile-saved-send-key = Sending preference saved.
profile-send-key-invalid = Choose one of the ways of sending in the list.
