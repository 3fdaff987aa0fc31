## Registro de auditoría
audit-anyone = Cualquier persona
audit-any-action = Cualquier acción
audit-from-day = Desde
audit-until-day = Hasta
audit-filter = Filtrar
audit-clear = Limpiar
audit-details = Detalles
audit-show = Ver antes y después
audit-bad-date = Ingresa una fecha válida.
