## Motor de atención
floor-protocol-notice = ¡Hola! El protocolo de tu atención es { $protocol }. En breve alguien del equipo hablará contigo.
floor-already-taken = Otro agente ya tomó esta atención.
floor-closed = Esta atención ya fue finalizada.
floor-blocked-words = El mensaje no se envió: el filtro de la empresa bloquea «{ $words }». Reescríbalo sin esas palabras.
floor-tabulation-required = Este equipo exige la tabulación: elige el motivo antes de finalizar.
floor-empty-message = Escribe un mensaje o adjunta un archivo.
floor-message-too-long = El mensaje es demasiado largo (máximo 4096 caracteres).
floor-bad-tabulation = Elige una tabulación activa del equipo de esta atención.
floor-bad-team = Elige un equipo activo.
floor-bad-colleague = Elige un agente activo del equipo.
floor-bad-pause = Elige una pausa activa.
floor-bad-channel = Canal desconocido.
floor-bad-tag = Elige una etiqueta del equipo de esta atención.
floor-pause-outside-window = Esta pausa solo puede iniciarse en su horario permitido.
floor-queue-full-notice = Nuestra cola está llena en este momento. Eres el número {"{{"}posicao{"}}"} de la cola; responderemos lo antes posible.
