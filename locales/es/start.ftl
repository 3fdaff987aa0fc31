# "Iniciar conversa" from a contact's page.
start-channels = Canales del contacto
start-no-identities = Este contacto aún no escribió por ningún canal.
start-visitor = visitante del sitio
start-channel = Canal
start-team = Equipo
start-hint = La conversación se abre con usted; escriba el primer mensaje en la atención. En WhatsApp, fuera de la ventana de 24 horas, solo se pueden enviar plantillas aprobadas.
start-action = Iniciar conversación
start-refused = No tiene permiso:
start-choose = elija el canal y el equipo.
start-telegram-first = en Telegram el cliente debe escribir primero al bot.
start-webchat = el chat del sitio no permite iniciar conversaciones.
start-no-email = el contacto no tiene correo electrónico.
start-no-phone = el contacto no tiene teléfono.
start-receptive-only = este canal es solo receptivo.
start-not-in-team = usted no forma parte de este equipo.
start-with-someone-else = el contacto ya está siendo atendido por { $name } en este canal.
start-in-flow = el contacto está en un flujo de atención.
start-in-survey = el contacto está respondiendo la encuesta de satisfacción de otra atención.
start-waiting = el contacto ya tiene una conversación esperando en la cola de este canal.

rail-label = Canales
rail-contacts-of = Contactos de { $channel }
rail-channel-contacts = Contactos del canal
rail-channel-hint = Busque por nombre o número; abra el contacto para iniciar una conversación.
rail-address = Dirección en el canal
rail-since = Desde
