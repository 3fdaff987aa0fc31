## User groups
groups-new = New group
groups-name-example = Supervisors
groups-search-placeholder = Group name
groups-help = Each group holds permissions (view, create, edit, delete) per administration area. An administrator may do what their groups together allow.
groups-permissions = Permissions
groups-permissions-hint = Tick what the group's members may do in each area. Whoever may create, edit or delete may also view.
groups-permission-count = { $count ->
    [0] No permissions
    [one] 1 permission
   *[other] { $count } permissions
}
groups-all-permissions = All permissions
groups-area = Area
groups-members = Members
groups-members-hint = Active administrators who belong to this group.
groups-no-admins = No active administrators.
groups-builtin = Built-in
groups-builtin-fixed = The "Administrador geral" group holds every permission, and that cannot be changed.
groups-builtin-undeletable = The "Administrador geral" group cannot be deleted.
groups-last-member = The "Administrador geral" group must keep at least one active administrator.
groups-members-unknown = Choose only active administrators from the list.
groups-confirm-delete-members = Delete "{ $name }"? { $count ->
    [one] Its member loses
   *[other] Its { $count } members lose
} the group's permissions (the accounts stay). This cannot be undone.
