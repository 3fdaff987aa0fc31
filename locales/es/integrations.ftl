# REST API tokens and outgoing webhooks.
area-integrations = Integraciones

## Webhooks salientes (F-IN-2)
webhooks-title = Webhooks
webhooks-help = Atende avisa a otros sistemas de lo que ocurre en las atenciones: en cada cambio, un POST en JSON firmado con HMAC-SHA256 va a la dirección de cada webhook activo que eligió el evento, con reintentos durante hasta 24 horas.
webhooks-new = Nuevo webhook
webhooks-edit = Webhook
webhooks-search-placeholder = Buscar por dirección
webhooks-url = Dirección de destino
webhooks-url-hint = http:// o https://. La dirección se comprueba al guardar y en cada envío; no se siguen redirecciones.
webhooks-url-example = https://sistema.ejemplo.com/atende
webhooks-events = Eventos
webhooks-state = Estado
webhooks-queue = Entregas
webhooks-active = Activo
webhooks-inactive = Inactivo
webhooks-active-label = Activo (enviar los eventos elegidos)
webhooks-private-badge = red privada
webhooks-pending-count = { $count ->
        [0] nada pendiente
        [1] 1 pendiente
       *[other] { $count } pendientes
    }
webhooks-dead-count = { $count ->
        [1] 1 abandonada
       *[other] { $count } abandonadas
    }
webhooks-allow-private = Permitir un destino en red privada
webhooks-allow-private-hint = Márquelo solo para un sistema de su propia red (direcciones como 10.x, 192.168.x, 127.0.0.1). Sin esta opción, se rechazan las direcciones privadas, locales y de enlace local.
webhooks-secret = Secreto de firma
webhooks-secret-new = Nuevo secreto de firma
webhooks-secret-once = Cópielo ahora: el secreto no se vuelve a mostrar. Firma cada envío en la cabecera X-Atende-Signature.
webhooks-rotate = Generar un nuevo secreto
webhooks-rotate-confirm = ¿Generar un nuevo secreto? El actual deja de valer en el acto.
webhooks-event-conversation-opened = atención abierta
webhooks-event-conversation-assigned = atención asignada a un agente
webhooks-event-conversation-transferred = atención transferida
webhooks-event-conversation-closed = atención cerrada
webhooks-event-message-created = mensaje recibido o enviado
webhooks-event-message-status = estado de un mensaje enviado
webhooks-event-contact-created = contacto creado
webhooks-event-contact-updated = contacto modificado
webhooks-event-survey-answered = encuesta de satisfacción respondida
webhooks-log = Entregas recientes
webhooks-log-empty = Todavía no hay entregas.
webhooks-log-event = Evento
webhooks-log-status = Estado
webhooks-log-attempts = Intentos
webhooks-log-response = Respuesta
webhooks-log-time = Último intento
webhooks-log-error = Último error
webhooks-log-next = próximo:
webhooks-status-pending = Pendiente
webhooks-status-delivered = Entregada
webhooks-status-dead = Abandonada
webhooks-resend = Reenviar
webhooks-url-required = Indique la dirección de destino.
webhooks-url-invalid = Esta dirección no es válida.
webhooks-url-scheme = La dirección debe empezar por http:// o https://.
webhooks-url-credentials = No ponga usuario y contraseña en la dirección.
webhooks-url-unresolvable = No se encontró esta dirección (el nombre no resuelve).
webhooks-url-private = Esta dirección lleva a una red privada o local. Marque "Permitir un destino en red privada" si de verdad es un sistema de su red.
webhooks-events-required = Elija al menos un evento.
webhooks-events-unknown = Elija solo eventos de la lista.
webhooks-secret-invalid = El secreto generado se perdió; abra el formulario de nuevo.
audit-action-webhook-create = Webhook creado
audit-action-webhook-update = Webhook modificado
audit-action-webhook-delete = Webhook eliminado
audit-action-webhook-rotate-secret = Secreto de webhook reemplazado
audit-action-webhook-resend = Entrega de webhook reenviada
