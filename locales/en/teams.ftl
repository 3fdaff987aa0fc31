## Teams
teams-new = New team
teams-name-example = Customer care
teams-search-placeholder = Team name
teams-distribution = Distribution
teams-distribution-auto = Automatic
teams-distribution-auto-hint = Each conversation goes to the least busy available member.
teams-distribution-manual = Manual
teams-distribution-manual-hint = Conversations wait in the queue and agents pull the next one.
teams-distribution-invalid = Choose automatic or manual distribution.
teams-queue-limit = Queue limit
teams-queue-limit-hint = How many conversations may wait in the queue at the same time. Use 0 for no limit (at most 10000).
teams-no-limit = no limit
teams-require-tabulation = Tabulation required to finish
teams-require-tabulation-hint = Agents can finish a conversation only after choosing its reason (tabulation).
teams-tabulation-required = Required
teams-tabulation-optional = Optional
teams-active-hint = An inactive team receives no new conversations.
teams-members = Members
teams-members-hint = Tick the users who work in this team. Saving replaces the member list with the ticked users.
teams-members-invalid = One of the ticked users cannot join the team: they do not exist or are inactive.
teams-no-candidates = No active users yet.
teams-content = What belongs to the team
teams-tabulations-count =
    { $reasons ->
        [0] no reasons
        [1] 1 reason
       *[other] { $reasons } reasons
    }, { $subs ->
        [0] no sub-reasons
        [1] 1 sub-reason
       *[other] { $subs } sub-reasons
    }
teams-delete-hint = A team can be deleted only when it has no members, tabulations, tags, canned phrases or message templates. To take it out of use, untick "Active" and save.
teams-delete-refused = This team cannot be deleted: it still has members or items of its own (see below). Untick "Active" and save to deactivate it, or remove its members and items first.
teams-overflow = Overflow team
teams-overflow-none = None: conversations wait in this team
teams-overflow-hint = While the queue is at its limit, new conversations go to this team if its queue has room. If it is full too, they wait in this team anyway: no message is lost.
teams-overflow-self = A team cannot overflow into itself.
teams-overflow-invalid = Choose one of the active teams in the list.
teams-queue-full-message = Queue full message
teams-queue-full-message-hint = Sent to a contact who arrives while the queue is at its limit. {"{{"}posicao{"}}"} is their place in the queue. Left blank, the default text in the company's language is sent.
teams-queue-full-unknown = Unknown variable. Use only {"{{"}posicao{"}}"}.
teams-queue-full-unclosed = A variable was not closed. Write it like this: {"{{"}posicao{"}}"}.
teams-survey = Satisfaction survey
teams-survey-label = Ask the customer for a score after closing
teams-survey-company = As in the company settings
teams-survey-on = Yes, after every closed conversation
teams-survey-off = No
teams-survey-hint = The customer gives a score from 1 to 5 and may leave a comment; until they answer, they are "in the bot".
teams-survey-invalid = Choose one of the survey options.
teams-inactivity = Inactivity
teams-inactivity-company = Follow the company's auto-close
teams-inactivity-own = This team's own rules
teams-inactivity-hint = Blank or 0: the rule is off.
teams-close-minutes = Close after (minutes without messages)
teams-close-minutes-hint = Queued or ongoing conversations without any message for this long are closed.
teams-closing-message = Closing message
teams-closing-message-hint = Blank: the company's closing message.
teams-warning-minutes = Warn before (minutes before closing)
teams-warning-minutes-hint = The warning goes once per silence of the customer.
teams-warning-message = Warning message
teams-warning-message-example = Are you still there? Without an answer we will close the conversation soon.
teams-pending-minutes = Close pending ones after (minutes)
teams-pending-minutes-hint = Pending conversations waiting for the customer.
teams-unassigned-alert-minutes = Alert about conversations nobody took after (minutes)
teams-unassigned-alert-minutes-hint = Administrators get one notice per team until they mark it read.
teams-give-back-minutes = Give back to the queue after (minutes without the agent's answer)
teams-give-back-minutes-hint = The customer wrote and the agent did not answer in this time: the conversation goes back to the queue.
teams-warning-before-close = The warning must come before the close: give a time shorter than the close.
teams-warning-message-required = Write the warning message.
teams-internal-chat-off = Switch the internal chat off
teams-internal-chat-off-hint = Members of this team cannot use the internal chat, even with the permission on their user page; the team’s channel leaves the panel.
