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
