## Pauses
pauses-new = New pause
pauses-search-placeholder = Pause name
pauses-max-minutes = Maximum time (minutes)
pauses-kind = Kind
pauses-productive = Productive
pauses-unproductive = Unproductive
pauses-productive-hint = Productive pauses (meetings, training) count as work in reports.
pauses-cumulative = Cumulative (the maximum applies to the whole day)
pauses-cumulative-hint = Unticked, the maximum applies to each pause.
pauses-per-day = per day
pauses-window = Allowed hours
pauses-window-hint = Leave empty to allow the pause at any time.
pauses-window-start = From
pauses-window-end = Until
pauses-any-time = any time
window-end-before-start = The end must be after the start.
