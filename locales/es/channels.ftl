# Channel pages: what every kind shares.
channels-secret-saved = Guardado — déjelo en blanco para mantenerlo
channels-receptive-only = Solo receptivo
channels-receptive-only-hint = Los clientes escriben y los agentes responden; nadie inicia conversaciones por este canal.
channels-webhook = Dirección del webhook
channels-webhook-hint = Indique esta dirección al servicio del canal para que entregue los mensajes a Atende.
channels-health = Salud del canal
channels-health-last-poll = Última consulta exitosa
channels-health-last-in = Último mensaje recibido
channels-health-last-out = Último mensaje enviado
channels-health-today = Hoy
channels-health-counts = { $received } recibidos, { $sent } enviados
channels-health-last-error = Último problema
channels-test = Probar conexión
channels-test-ok = Conexión funcionando: { $fact }
channels-test-failed = La conexión falló: { $reason }
