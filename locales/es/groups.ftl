## Grupos de usuarios
groups-new = Nuevo grupo
groups-name-example = Supervisores
groups-search-placeholder = Nombre del grupo
groups-help = Cada grupo reúne permisos (ver, crear, editar, eliminar) por área de la administración. Un administrador puede hacer lo que la suma de sus grupos permite.
groups-permissions = Permisos
groups-permissions-hint = Marque lo que los miembros del grupo pueden hacer en cada área. Quien puede crear, editar o eliminar también puede ver.
groups-permission-count = { $count ->
    [0] Ningún permiso
    [one] 1 permiso
   *[other] { $count } permisos
}
groups-all-permissions = Todos los permisos
groups-area = Área
groups-members = Miembros
groups-members-hint = Administradores activos que pertenecen a este grupo.
groups-no-admins = Ningún administrador activo.
groups-builtin = Del sistema
groups-builtin-fixed = El grupo "Administrador geral" tiene todos los permisos y eso no se puede cambiar.
groups-builtin-undeletable = El grupo "Administrador geral" no se puede eliminar.
groups-last-member = El grupo "Administrador geral" debe mantener al menos un administrador activo.
groups-members-unknown = Elija solo administradores activos de la lista.
groups-confirm-delete-members = ¿Eliminar "{ $name }"? { $count ->
    [one] Su miembro pierde
   *[other] Sus { $count } miembros pierden
} los permisos del grupo (las cuentas se mantienen). Esta acción no se puede deshacer.
