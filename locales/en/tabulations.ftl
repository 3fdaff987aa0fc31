## Tabulations
tabulations-intro = Tabulations are the reasons agents choose to classify a conversation, each with optional sub-reasons. Every team has its own.
tabulations-pick-team = Team
tabulations-no-teams = Create a team before adding tabulations.
tabulations-reasons = Reasons
tabulations-sub-reasons = Sub-reasons
tabulations-none = This team has no reasons yet.
tabulations-new-reason = New reason
tabulations-new-sub-reason = New sub-reason
tabulations-add = Add
tabulations-required = In this team a tabulation is required to finish a conversation.
tabulations-optional = In this team a tabulation is optional when finishing a conversation.
tabulations-team-settings = Change in the team
tabulations-confirm-delete-reason =
    { $count ->
        [0] Delete the reason "{ $name }"?
        [1] Delete the reason "{ $name }" and its sub-reason?
       *[other] Delete the reason "{ $name }" and its { $count } sub-reasons?
    } This cannot be undone.
tabulations-parent-invalid = The chosen reason does not exist or is not a reason of this team.
