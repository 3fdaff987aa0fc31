## Tabulaciones
tabulations-intro = Las tabulaciones son los motivos que el agente elige para clasificar una atención, cada uno con submotivos opcionales. Cada equipo tiene las suyas.
tabulations-pick-team = Equipo
tabulations-no-teams = Crea un equipo antes de agregar tabulaciones.
tabulations-reasons = Motivos
tabulations-sub-reasons = Submotivos
tabulations-none = Este equipo todavía no tiene motivos.
tabulations-new-reason = Nuevo motivo
tabulations-new-sub-reason = Nuevo submotivo
tabulations-add = Agregar
tabulations-required = En este equipo la tabulación es obligatoria al finalizar una atención.
tabulations-optional = En este equipo la tabulación es opcional al finalizar una atención.
tabulations-team-settings = Cambiar en el equipo
tabulations-confirm-delete-reason =
    { $count ->
        [0] ¿Eliminar el motivo "{ $name }"?
        [1] ¿Eliminar el motivo "{ $name }" y su submotivo?
       *[other] ¿Eliminar el motivo "{ $name }" y sus { $count } submotivos?
    } Esta acción no se puede deshacer.
tabulations-parent-invalid = El motivo elegido no existe o no es un motivo de este equipo.
