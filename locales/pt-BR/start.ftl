# "Iniciar conversa" from a contact's page.
start-channels = Canais do contato
start-no-identities = Este contato ainda não escreveu por nenhum canal.
start-visitor = visitante do site
start-channel = Canal
start-team = Equipe
start-hint = A conversa abre com você; escreva a primeira mensagem no atendimento. No WhatsApp, fora da janela de 24 horas, só os modelos aprovados podem ser enviados.
start-action = Iniciar conversa
start-refused = Não tem permissão:
start-choose = escolha o canal e a equipe.
start-telegram-first = no Telegram o cliente precisa escrever primeiro ao bot.
start-webchat = o chat do site não permite iniciar conversas.
start-no-email = o contato não tem e-mail.
start-no-phone = o contato não tem telefone.
start-receptive-only = este canal é somente receptivo.
start-not-in-team = você não faz parte desta equipe.
start-with-someone-else = o contato já está em atendimento com { $name } neste canal.
start-in-flow = o contato está em um fluxo de atendimento.
start-in-survey = o contato está respondendo a pesquisa de satisfação de outro atendimento.
start-waiting = o contato já tem uma conversa aguardando na fila deste canal.

rail-label = Canais
rail-contacts-of = Contatos de { $channel }
rail-channel-contacts = Contatos do canal
rail-channel-hint = Procure pelo nome ou pelo número; abra o contato para iniciar uma conversa.
rail-address = Endereço no canal
rail-since = Desde
