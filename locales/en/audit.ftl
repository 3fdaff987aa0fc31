## Audit log
audit-anyone = Anyone
audit-any-action = Any action
audit-from-day = From
audit-until-day = Until
audit-filter = Filter
audit-clear = Clear
audit-details = Details
audit-show = Show before and after
audit-bad-date = Enter a valid date.
