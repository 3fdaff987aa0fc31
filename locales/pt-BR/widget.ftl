## O chat no site do cliente (widget.js): enviadas ao widget com as configurações do canal.
## { $name } e { $position } o próprio widget preenche.
widget-open = Abrir o chat
widget-close = Fechar o chat
widget-online = Online
widget-offline = Estamos offline
widget-answering = Atendimento com { $name }
widget-offline-notice = Estamos fora do horário de atendimento. Deixe sua mensagem e responderemos assim que possível.
widget-name = Nome
widget-email = E-mail
widget-phone = Telefone
widget-optional = (opcional)
widget-start = Iniciar conversa
widget-placeholder = Escreva sua mensagem…
widget-send = Enviar
widget-attach = Anexar arquivo
widget-file = Arquivo
widget-protocol = Protocolo
widget-position = Você é o { $position }º da fila
widget-waiting = Aguardando um atendente…
widget-closed = Atendimento finalizado. Escreva para começar outro.
widget-error = Não foi possível enviar. Tente de novo.
widget-welcome = Olá! Como podemos ajudar?
widget-survey-title = Toque nas estrelas para avaliar o atendimento
widget-survey-star = { $score } de 5 estrelas
