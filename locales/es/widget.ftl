## El chat en el sitio del cliente (widget.js): enviadas al widget con la configuración del canal.
## El propio widget completa { $name } y { $position }.
widget-open = Abrir el chat
widget-close = Cerrar el chat
widget-online = En línea
widget-offline = Estamos desconectados
widget-answering = Atención con { $name }
widget-offline-notice = Estamos fuera del horario de atención. Deje su mensaje y le responderemos lo antes posible.
widget-name = Nombre
widget-email = Correo electrónico
widget-phone = Teléfono
widget-optional = (opcional)
widget-start = Iniciar conversación
widget-placeholder = Escriba su mensaje…
widget-send = Enviar
widget-attach = Adjuntar archivo
widget-file = Archivo
widget-protocol = Protocolo
widget-position = Usted es el { $position }º en la fila
widget-waiting = Esperando a un agente…
widget-closed = Atención finalizada. Escriba para empezar otra.
widget-error = No se pudo enviar. Inténtelo de nuevo.
widget-welcome = ¡Hola! ¿Cómo podemos ayudar?
widget-survey-title = Toca las estrellas para evaluar la atención
widget-survey-star = { $score } de 5 estrellas
