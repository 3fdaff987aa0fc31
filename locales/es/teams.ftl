## Equipos
teams-new = Nuevo equipo
teams-name-example = Atención al cliente
teams-search-placeholder = Nombre del equipo
teams-distribution = Distribución
teams-distribution-auto = Automática
teams-distribution-auto-hint = Cada atención va al miembro disponible menos ocupado.
teams-distribution-manual = Manual
teams-distribution-manual-hint = Las atenciones esperan en la cola y los agentes toman la siguiente.
teams-distribution-invalid = Elige la distribución automática o manual.
teams-queue-limit = Límite de la cola
teams-queue-limit-hint = Cuántas atenciones pueden esperar en la cola al mismo tiempo. Usa 0 para no limitar (máximo 10000).
teams-no-limit = sin límite
teams-require-tabulation = Tabulación obligatoria al finalizar
teams-require-tabulation-hint = El agente solo finaliza la atención después de elegir el motivo (tabulación).
teams-tabulation-required = Obligatoria
teams-tabulation-optional = Opcional
teams-active-hint = Un equipo inactivo no recibe nuevas atenciones.
teams-members = Miembros
teams-members-hint = Marca los usuarios que atienden en este equipo. Al guardar, la lista de miembros se reemplaza por la marcada aquí.
teams-members-invalid = Uno de los usuarios marcados no puede entrar en el equipo: no existe o está inactivo.
teams-no-candidates = No hay usuarios activos.
teams-content = Lo que pertenece al equipo
teams-tabulations-count =
    { $reasons ->
        [0] ningún motivo
        [1] 1 motivo
       *[other] { $reasons } motivos
    }, { $subs ->
        [0] ningún submotivo
        [1] 1 submotivo
       *[other] { $subs } submotivos
    }
teams-delete-hint = Solo se puede eliminar un equipo sin miembros, tabulaciones, etiquetas, frases predefinidas ni plantillas de mensaje. Para dejar de usarlo, desmarca "Activo" y guarda.
teams-delete-refused = Este equipo no se puede eliminar: todavía tiene miembros o elementos propios (mira abajo). Desmarca "Activo" y guarda para desactivarlo, o quita antes los miembros y los elementos.
teams-overflow = Equipo de desborde
teams-overflow-none = Ninguno: las atenciones esperan en este equipo
teams-overflow-hint = Con la cola en el límite, las nuevas atenciones van a este equipo si su cola tiene lugar. Si también está llena, esperan en este equipo de todos modos: no se pierde ningún mensaje.
teams-overflow-self = Un equipo no puede desbordar hacia sí mismo.
teams-overflow-invalid = Elige uno de los equipos activos de la lista.
teams-queue-full-message = Mensaje de cola llena
teams-queue-full-message-hint = Se envía al contacto que llega con la cola en el límite. {"{{"}posicao{"}}"} es su posición en la cola. En blanco, se envía el texto predeterminado en el idioma de la empresa.
teams-queue-full-unknown = Variable desconocida. Usa solo {"{{"}posicao{"}}"}.
teams-queue-full-unclosed = Una variable no se cerró. Escríbela así: {"{{"}posicao{"}}"}.
teams-survey = Encuesta de satisfacción
teams-survey-label = Pedir la nota al cliente después de finalizar
teams-survey-company = Como en la configuración de la empresa
teams-survey-on = Sí, después de cada atención finalizada
teams-survey-off = No
teams-survey-hint = El cliente da una nota del 1 al 5 y puede dejar un comentario; mientras no responde, queda "en el bot".
teams-survey-invalid = Elige una de las opciones de la encuesta.
teams-inactivity = Inactividad
teams-inactivity-company = Seguir la finalización automática de la empresa
teams-inactivity-own = Reglas propias de este equipo
teams-inactivity-hint = En blanco o 0: la regla queda desactivada.
teams-close-minutes = Finalizar después de (minutos sin mensajes)
teams-close-minutes-hint = Las atenciones en cola o en curso sin ningún mensaje durante ese tiempo se finalizan.
teams-closing-message = Mensaje de finalización
teams-closing-message-hint = En blanco: el mensaje de finalización de la empresa.
teams-warning-minutes = Avisar antes (minutos antes de finalizar)
teams-warning-minutes-hint = El aviso se envía una vez por cada silencio del cliente.
teams-warning-message = Mensaje de aviso
teams-warning-message-example = ¿Sigues ahí? Sin respuesta, finalizaremos la atención en breve.
teams-pending-minutes = Finalizar pendientes después de (minutos)
teams-pending-minutes-hint = Atenciones pendientes esperando al cliente.
teams-unassigned-alert-minutes = Alertar atenciones sin agente después de (minutos)
teams-unassigned-alert-minutes-hint = Los administradores reciben un aviso por equipo hasta marcarlo como leído.
teams-give-back-minutes = Devolver a la cola después de (minutos sin respuesta del agente)
teams-give-back-minutes-hint = El cliente escribió y el agente no respondió en ese tiempo: la atención vuelve a la cola.
teams-warning-before-close = El aviso debe llegar antes de finalizar: indica un tiempo menor que el de finalizar.
teams-warning-message-required = Escribe el mensaje de aviso.
teams-internal-chat-off = Desactivar el chat interno
teams-internal-chat-off-hint = Los miembros de este equipo no usan el chat interno, aunque tengan el permiso en su ficha; el canal del equipo desaparece del panel.
