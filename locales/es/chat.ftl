# Chat interno (F-AG-20)
chat-title = Chat interno
chat-open = Abrir el chat interno
chat-close = Cerrar el chat interno
chat-unread = { $count ->
    [one] { $count } mensaje sin leer
   *[other] { $count } mensajes sin leer
}
chat-search = Buscar mensajes
chat-search-button = Buscar
chat-search-none = Ningún mensaje de sus conversaciones internas tiene estas palabras.
chat-search-type = Escriba una o más palabras para buscar.
chat-teams = Equipos
chat-colleagues = Colegas
chat-no-colleagues = Ningún colega puede usar el chat interno todavía.
chat-back = Volver a la lista
chat-team-channel = Canal del equipo
chat-thread-empty = Todavía no hay mensajes. Escriba el primero.
chat-write = Escriba un mensaje
chat-send = Enviar
chat-you = Usted
chat-empty = Escriba algo antes de enviar.
chat-too-long = El mensaje supera los 4.000 caracteres. Acórtelo o divídalo.
chat-notify = Nuevo mensaje en el chat interno
