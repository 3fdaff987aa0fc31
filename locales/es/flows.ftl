## Bot flows: publish checks, changes between versions, the pane's lines.

flow-problem-no-blocks = El flujo no tiene ningún bloque.
flow-problem-no-start = El bloque inicial no existe.
flow-problem-duplicate-id = Dos bloques tienen el mismo identificador.
flow-problem-dead-end = { $exit ->
    [open] La salida "abierto" no lleva a ningún bloque.
    [closed] La salida "cerrado" no lleva a ningún bloque.
    [holiday] La salida "feriado" no lleva a ningún bloque.
    [rule] La regla "{ $value }" no lleva a ningún bloque.
    [otherwise] La salida "ninguna regla" no lleva a ningún bloque.
    [error] La salida de error no lleva a ningún bloque.
   *[next] La salida de este bloque no lleva a ningún bloque: el camino debe terminar en una transferencia, un cierre u otro flujo.
}
flow-problem-option-nowhere = La opción { $option } no lleva a ningún bloque.
flow-problem-missing-target = Una salida apunta al bloque "{ $target }", que no existe.
flow-problem-unreachable = Ningún camino llega a este bloque.
flow-problem-no-invalid-exit = Falta la salida para respuestas inválidas.
flow-problem-loop = Este bloque forma parte de un ciclo que no espera al cliente.
flow-problem-unknown-field = El campo de contacto "{ $field }" no existe.
flow-problem-unknown-team = El equipo elegido ya no existe.
flow-problem-unknown-schedule = El grupo de horarios elegido ya no existe.
flow-problem-unknown-flow = El flujo de destino no existe o no fue publicado.
flow-problem-goto-itself = Un flujo no puede seguir hacia sí mismo.
flow-problem-no-options = El menú no tiene opciones.
flow-problem-no-list-values = La lista de respuestas aceptadas está vacía.
flow-problem-empty-text = El texto del mensaje está vacío.
flow-problem-bad-url = La dirección debe empezar con http:// o https:// y tener un servidor.
flow-problem-idle-minutes = El tiempo sin respuesta debe ser de al menos 1 minuto.

flow-change-start = bloque inicial cambiado
flow-change-idle = regla de inactividad cambiada
flow-change-http-permission = permiso de llamadas a direcciones internas cambiado
flow-change-block-added = bloque { $block } agregado
flow-change-block-removed = bloque { $block } eliminado
flow-change-block-renamed = bloque { $block }: renombrado (antes "{ $old }")
flow-change-kind = bloque { $block }: tipo cambiado
flow-change-text = bloque { $block }: texto cambiado
flow-change-option-added = bloque { $block }: opción { $option } agregada
flow-change-option-removed = bloque { $block }: opción { $option } eliminada
flow-change-option-renamed = bloque { $block }: opción { $option } renombrada de "{ $old }" a "{ $new }"
flow-change-option-target = bloque { $block }: opción { $option } lleva a otro bloque
flow-change-exit = bloque { $block }: salida cambiada
flow-change-settings = bloque { $block }: configuración cambiada

flows-definition-invalid = No se pudo leer la definición del flujo.
flows-definition-too-large = La definición del flujo es demasiado grande.
flows-not-published = Este flujo todavía no fue publicado.

## The editor: the diagram, the blocks' forms, the versions and the simulator.

flow-exit-option = { $value }
flow-exit-invalid = inválido
flow-exit-open = abierto
flow-exit-closed = cerrado
flow-exit-holiday = feriado
flow-exit-rule = “{ $value }”
flow-exit-otherwise = otro
flow-exit-error = error
flow-kind-message = Mensaje
flow-kind-menu = Menú
flow-kind-ask = Pregunta
flow-kind-schedule = Horario
flow-kind-condition = Condición
flow-kind-http = Solicitud HTTP
flow-kind-transfer = Transferencia
flow-kind-close = Cierre
flow-kind-go_to = Otro flujo
flows-new = Nuevo flujo
flows-intro = Un flujo recibe al cliente, pregunta, decide y entrega la atención a un equipo. Edite el borrador libremente: los clientes solo ven la versión publicada.
flows-published-version = Versión publicada
flows-channels = Canales
flows-last-change = Último cambio
flows-version-n = versión { $number }
flows-draft-only = no publicado
flows-no-channel = ningún canal
flows-name-example = Ej.: Atención principal
flows-new-hint = El flujo empieza con un saludo; después usted agrega los bloques.
flows-starter-greeting = ¡Hola! ¿Cómo podemos ayudar?
flows-diagram = Diagrama del flujo
flows-start = Inicio
flows-problem-count = { $count ->
    [one] 1 problema
   *[other] { $count } problemas
}
flows-new-block-kind = Tipo del nuevo bloque
flows-new-block = Nuevo bloque
flows-settings = Configuración
flows-simulator = Simulador
flows-versions = Versiones
flows-publish = Publicar
flows-problems = Problemas a corregir antes de publicar
flows-idle-minutes = Tiempo sin respuesta del cliente (minutos)
flows-idle-minutes-hint = Pasado este tiempo el flujo cierra la atención o la transfiere, según lo elegido abajo.
flows-idle-action = Cuando el cliente no responde
flows-idle-close = Cerrar con el mensaje
flows-idle-transfer = Transferir al equipo
flows-idle-text = Mensaje de cierre por falta de respuesta
flows-idle-team = Equipo que la recibe
flows-allow-private = Permitir solicitudes a direcciones internas
flows-allow-private-hint = Márquelo solo si el sistema de la empresa está en la red interna (direcciones privadas o locales).
flows-exit-none = — ningún bloque —
flows-block-not-saved = El bloque no se guardó: corrija los campos indicados.
flows-block-name = Nombre del bloque
flows-make-start = Empezar el flujo por este bloque
flows-is-start = El flujo empieza por este bloque.
flows-field-text = Texto
flows-field-text-hint = Use campos del contacto entre llaves, como {"{{"}nome{"}}"}.
flows-options = Opciones
flows-option-n = Opción { $n }
flows-goes-to = Lleva a
flows-field-field = Campo del contacto
flows-field-validation = Validación de la respuesta
flows-validation-text = Texto libre
flows-validation-email = Correo
flows-validation-cpf = CPF
flows-validation-cnpj = CNPJ
flows-validation-cpf_cnpj = CPF o CNPJ
flows-validation-phone = Teléfono
flows-validation-number = Número
flows-validation-date = Fecha
flows-validation-one_of = Una de las respuestas de la lista
flows-field-one-of = Respuestas aceptadas (una por línea)
flows-field-max-tries = Intentos antes de la salida de inválido
flows-field-retry = Texto al repetir la pregunta
flows-exit-next = Después, sigue a
flows-exit-invalid-answers = Las respuestas inválidas siguen a
flows-field-schedule = Grupo de horarios
flows-exit-open = Si está abierto
flows-exit-closed = Si está cerrado
flows-exit-holiday = Si es feriado
flows-field-subject = Decidir por
flows-subject-channel = el canal de la atención
flows-subject-field = un campo del contacto
flows-rules = Reglas
flows-rule-equals = Si es igual a
flows-exit-otherwise = Si ninguna regla sirve
flows-field-method = Método
flows-field-url = Dirección
flows-field-url-hint = Puede usar campos del contacto, como https://sistema.ejemplo.com/pedidos?cpf={"{{"}cpf{"}}"}.
flows-field-body = Cuerpo (JSON)
flows-field-timeout = Tiempo límite (milisegundos)
flows-map = Campos de la respuesta guardados en el contacto
flows-map-path = Campo de la respuesta
flows-map-field = Campo del contacto
flows-exit-error = En caso de error, sigue a
flows-field-team = Equipo
flows-field-priority = Con prioridad en la cola
flows-field-flow = Flujo de destino
flows-save-block = Guardar bloque
flows-delete-block = Eliminar bloque
flows-block-deleted = Bloque eliminado.
flows-block-deleted-exits = Bloque eliminado. Las salidas que llevaban a él quedaron vacías en: { $blocks }.
flows-published = Versión { $number } publicada. Las nuevas atenciones ya la usan; quien está en medio del flujo sigue en la versión en que empezó.
flows-publish-refused = El flujo no se publicó: { $count ->
    [one] hay 1 problema
   *[other] hay { $count } problemas
} a corregir, marcados en los bloques.
flows-first-version = primera versión
flows-block-gone = Este bloque ya no existe.
flows-too-many-blocks = El flujo llegó al límite de bloques.
flows-exit-unknown = Elija un bloque de la lista.
flows-no-versions = Este flujo todavía no se publicó.
flows-version = Versión
flows-published-by = Publicada por
flows-published-at = Cuándo
flows-changes = Qué cambió respecto de la anterior
flows-by-system = sistema
flows-no-changes = sin cambios
flows-restore-confirm = ¿Restaurar la versión { $number } como borrador? El borrador actual será reemplazado.
flows-restore = Restaurar como borrador
flows-read-only = solo lectura
flows-published-on = Publicada el
flows-channel-flow = Flujo de atención
flows-channel-flow-none = Ninguno: directo al equipo
flows-channel-flow-hint = Las nuevas atenciones de este canal empiezan por el flujo elegido (solo flujos publicados).
flows-sim-hint = Converse con el borrador como un cliente. No se guarda nada y no ocurre ninguna acción, salvo solicitudes HTTP si usted lo permite.
flows-sim-chat = Conversación simulada
flows-sim-list = Ver opciones
flows-sim-empty = Haga clic en “Empezar” para que el cliente inicie la conversación.
flows-sim-text = Mensaje del cliente
flows-sim-send = Enviar
flows-sim-start = Empezar
flows-sim-idle-button = El cliente no respondió
flows-sim-profile = Cliente y canal
flows-sim-channel = Canal
flows-sim-channel-webchat = Chat del sitio
flows-sim-channel-whatsapp = WhatsApp (botones y listas)
flows-sim-channel-telegram = Telegram
flows-sim-channel-email = Correo
flows-sim-clock = Fecha y hora
flows-sim-http = Solicitudes HTTP
flows-sim-http-sample = Responder con el ejemplo de abajo
flows-sim-http-run = Hacer la solicitud de verdad
flows-sim-sample = Respuesta de ejemplo (JSON)
flows-sim-idle = (el cliente no respondió)
flows-sim-http-failed = La solicitud falló: { $reason }
flows-sim-set-field = Guardaría { $field } = { $value }
flows-sim-http-call = Solicitud a { $url }
flows-sim-chose = El cliente eligió: { $option }
flows-sim-gave-up = Demasiadas respuestas inválidas en { $block }
flows-sim-transfer = Transferiría al equipo { $team }{ $priority ->
    [true] , con prioridad
   *[other] {""}
}
flows-sim-closed = Cerraría la atención.
flows-sim-goto = Seguiría a otro flujo.
flows-sim-stuck = El camino terminó sin destino: iría al equipo del canal.
flow-problem-synonym-twice = La palabra "{ $word }" de la opción { $option } ya lleva a otra opción de este menú.
flow-change-option-words = bloque { $block }: las palabras de la opción { $option } ahora son "{ $words }"
flows-option-synonyms = Otras palabras de la opción { $n }
flows-option-synonyms-hint = Separadas por comas: boleto, pago, segunda vía
flows-too-many-synonyms = Como máximo 20 palabras por opción.
