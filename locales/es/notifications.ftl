## Notificaciones (F-AD-12): la campana, la lista, el correo
area-notifications = Notificaciones
settings-notifications = Notificaciones por correo
notices-bell = { $count ->
        [0] Notificaciones: ninguna sin leer
        [1] Notificaciones: 1 sin leer
       *[other] Notificaciones: { $count } sin leer
    }
notices-repeated = { $count }×
notices-last = última a las
notices-read = Leída
notices-mark-all-read = Marcar todas como leídas
notices-filter = Mostrar
notices-show-all = Todas
notices-show-unread = Sin leer
notices-show-read = Leídas
notices-empty = No hay notificaciones aquí.
notices-see-all = { $count ->
        [1] Ver todas las notificaciones (1 sin leer)
       *[other] Ver todas las notificaciones ({ $count } sin leer)
    }
notice-channel-auth = El servicio rechazó las credenciales del canal { $name }: { $reason }
notice-webhook-signature = El webhook del canal { $name } recibió llamadas con firma inválida (ignoradas).
notice-delivery-failed = Un mensaje del canal { $name } no pudo entregarse: { $reason }
notice-poller-down = El canal { $name } no logra buscar mensajes nuevos: { $reason }
notice-pause-over-limit = { $name } pasó el límite de la pausa { $pause } ({ $limit } min).
notice-queue-full = La cola del equipo { $name } llegó al límite de { $limit ->
        [1] 1 atención en espera
       *[other] { $limit } atenciones en espera
    }.
notice-unassigned = En el equipo { $name }, { $waiting ->
        [1] 1 atención espera
       *[other] { $waiting } atenciones esperan
    } hace más de { $minutes } min sin que nadie las asuma.
notice-low-score = La atención { $name } recibió nota { $score } en la encuesta de satisfacción.
notice-webhook-dead = Un webhook a { $name } se abandonó tras 24 horas de intentos: { $reason }
notices-kind-channel-auth = Credenciales de un canal rechazadas
notices-kind-webhook-signature = Firmas inválidas en el webhook de un canal
notices-kind-delivery-failed = Mensajes que no pudieron entregarse
notices-kind-poller-down = Canal que no logra buscar mensajes
notices-kind-pause-over-limit = Pausas más allá del límite
notices-kind-queue-full = Colas en el límite
notices-kind-unassigned = Colas sin nadie que las asuma
notices-kind-low-score = Notas bajas en la encuesta de satisfacción
notices-kind-webhook-dead = Webhooks salientes abandonados tras 24 horas
notices-settings-open = Quién recibe las notificaciones por correo, cuáles y con qué frecuencia
notices-settings-intro = Las notificaciones aparecen en la campana y en Notificaciones para quien tiene el permiso. Aquí eliges quién también las recibe por correo: como mucho un correo por causa en cada intervalo.
notices-settings-recipients = Administradores que las reciben por correo
notices-settings-kinds = Notificaciones enviadas por correo
notices-settings-interval = Intervalo mínimo entre correos de la misma causa (minutos)
notices-settings-interval-hint = De 1 a 1440. Las repeticiones dentro del intervalo siguen contadas en la campana y van en el próximo correo.
notices-settings-low-score = Notificar notas de la encuesta hasta
notices-settings-low-score-hint = De 1 a 4, en la escala de 1 a 5; vacío o 0 no notifica notas.
notices-settings-saved = Notificaciones guardadas.
notices-settings-no-smtp = No hay servidor SMTP configurado: los correos salen solo cuando lo esté.
notices-bad-recipient = Elige solo administradores activos.
notices-bad-kind = Elige solo notificaciones de la lista.
notice-mail-subject = { $company }: { $what }
notice-mail-body =
    { $what }

    { $count ->
        [1] Ocurrió a las { $last }.
       *[other] Ocurrió { $count } veces; la última a las { $last }.
    }

    Ver: { $link }

    Recibes este correo porque te eligieron en Configuración › Notificaciones por correo.
