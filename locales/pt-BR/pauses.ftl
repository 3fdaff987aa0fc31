## Pausas
pauses-new = Nova pausa
pauses-search-placeholder = Nome da pausa
pauses-max-minutes = Tempo máximo (minutos)
pauses-kind = Tipo
pauses-productive = Produtiva
pauses-unproductive = Improdutiva
pauses-productive-hint = Pausas produtivas (reunião, treinamento) contam como trabalho nos relatórios.
pauses-cumulative = Acumulativa (o tempo máximo vale para o dia todo)
pauses-cumulative-hint = Sem marcar, o tempo máximo vale para cada pausa.
pauses-per-day = por dia
pauses-window = Horário permitido
pauses-window-hint = Deixe em branco para permitir a pausa a qualquer hora.
pauses-window-start = Das
pauses-window-end = Até
pauses-any-time = a qualquer hora
window-end-before-start = O fim precisa ser depois do início.
