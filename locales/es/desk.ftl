## El día del agente: pestañas de las listas, límite de las pausas, equipos arriba, tecla de envío
workspace-lists = Listas de atenciones
workspace-pause-limit = hasta { $minutes } min
workspace-pause-limit-day = hasta { $minutes } min por día
workspace-key-send = Enviar el mensaje
workspace-key-newline = Nueva línea en el mensaje
topbar-teams = Equipos
topbar-pause-clock = Tiempo de la pausa / límite
topbar-pause-over = límite de la pausa superado
composer-send-hint-enter = Enter envía · Shift+Enter nueva línea
composer-send-hint-ctrl-enter = Ctrl+Enter envía · Enter nueva línea
profile-send-key = Envío de mensajes
profile-send-key-enter = Enter envía; Shift+Enter empieza una nueva línea
profile-send-key-ctrl-enter = Ctrl+Enter envía; Enter empieza una nueva línea
profile-send-key-save = Guardar preferencia
profile-saved-send-key = Preferencia de envío guardada.
profile-send-key-invalid = Elija una de las formas de envío de la lista.
