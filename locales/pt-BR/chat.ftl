# Chat interno (F-AG-20)
chat-title = Chat interno
chat-open = Abrir o chat interno
chat-close = Fechar o chat interno
chat-unread = { $count ->
    [one] { $count } mensagem não lida
   *[other] { $count } mensagens não lidas
}
chat-search = Buscar mensagens
chat-search-button = Buscar
chat-search-none = Nenhuma mensagem das suas conversas internas tem estas palavras.
chat-search-type = Digite uma ou mais palavras para buscar.
chat-teams = Equipes
chat-colleagues = Colegas
chat-no-colleagues = Nenhum colega pode usar o chat interno ainda.
chat-back = Voltar à lista
chat-team-channel = Canal da equipe
chat-thread-empty = Nenhuma mensagem ainda. Escreva a primeira.
chat-write = Escreva uma mensagem
chat-send = Enviar
chat-you = Você
chat-empty = Escreva algo antes de enviar.
chat-too-long = A mensagem passa de 4.000 caracteres. Encurte-a ou divida-a.
chat-notify = Nova mensagem no chat interno
