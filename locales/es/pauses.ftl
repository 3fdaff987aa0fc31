## Pausas
pauses-new = Nueva pausa
pauses-search-placeholder = Nombre de la pausa
pauses-max-minutes = Tiempo máximo (minutos)
pauses-kind = Tipo
pauses-productive = Productiva
pauses-unproductive = Improductiva
pauses-productive-hint = Las pausas productivas (reunión, capacitación) cuentan como trabajo en los informes.
pauses-cumulative = Acumulativa (el tiempo máximo vale para todo el día)
pauses-cumulative-hint = Sin marcar, el tiempo máximo vale para cada pausa.
pauses-per-day = por día
pauses-window = Horario permitido
pauses-window-hint = Déjalo en blanco para permitir la pausa a cualquier hora.
pauses-window-start = Desde
pauses-window-end = Hasta
pauses-any-time = a cualquier hora
window-end-before-start = El fin debe ser después del inicio.
