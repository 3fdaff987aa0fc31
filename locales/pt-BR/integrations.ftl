# REST API tokens and outgoing webhooks.
area-integrations = Integrações

## Webhooks de saída (F-IN-2)
webhooks-title = Webhooks
webhooks-help = O Atende avisa outros sistemas do que acontece nos atendimentos: a cada mudança, um POST em JSON assinado com HMAC-SHA256 vai para o endereço de cada webhook ativo que escolheu o evento, com novas tentativas por até 24 horas.
webhooks-new = Novo webhook
webhooks-edit = Webhook
webhooks-search-placeholder = Buscar pelo endereço
webhooks-url = Endereço de destino
webhooks-url-hint = http:// ou https://. O endereço é verificado ao salvar e a cada envio; redirecionamentos não são seguidos.
webhooks-url-example = https://sistema.exemplo.com.br/atende
webhooks-events = Eventos
webhooks-state = Situação
webhooks-queue = Entregas
webhooks-active = Ativo
webhooks-inactive = Inativo
webhooks-active-label = Ativo (enviar os eventos escolhidos)
webhooks-private-badge = rede privada
webhooks-pending-count = { $count ->
        [0] nada pendente
        [1] 1 pendente
       *[other] { $count } pendentes
    }
webhooks-dead-count = { $count ->
        [1] 1 abandonada
       *[other] { $count } abandonadas
    }
webhooks-allow-private = Permitir destino em rede privada
webhooks-allow-private-hint = Só marque para um sistema da sua própria rede (endereços como 10.x, 192.168.x, 127.0.0.1). Sem esta opção, endereços privados, locais e de link-local são recusados.
webhooks-secret = Segredo de assinatura
webhooks-secret-new = Novo segredo de assinatura
webhooks-secret-once = Copie agora: o segredo não é mostrado de novo. Ele assina cada envio no cabeçalho X-Atende-Signature.
webhooks-rotate = Gerar novo segredo
webhooks-rotate-confirm = Gerar um novo segredo? O atual deixa de valer na hora.
webhooks-event-conversation-opened = atendimento aberto
webhooks-event-conversation-assigned = atendimento atribuído a um agente
webhooks-event-conversation-transferred = atendimento transferido
webhooks-event-conversation-closed = atendimento encerrado
webhooks-event-message-created = mensagem recebida ou enviada
webhooks-event-message-status = situação de uma mensagem enviada
webhooks-event-contact-created = contato criado
webhooks-event-contact-updated = contato alterado
webhooks-event-survey-answered = pesquisa de satisfação respondida
webhooks-log = Entregas recentes
webhooks-log-empty = Nenhuma entrega ainda.
webhooks-log-event = Evento
webhooks-log-status = Situação
webhooks-log-attempts = Tentativas
webhooks-log-response = Resposta
webhooks-log-time = Última tentativa
webhooks-log-error = Último erro
webhooks-log-next = próxima:
webhooks-status-pending = Pendente
webhooks-status-delivered = Entregue
webhooks-status-dead = Abandonada
webhooks-resend = Reenviar
webhooks-url-required = Informe o endereço de destino.
webhooks-url-invalid = Este endereço não é válido.
webhooks-url-scheme = O endereço deve começar com http:// ou https://.
webhooks-url-credentials = Não coloque usuário e senha no endereço.
webhooks-url-unresolvable = Não foi possível encontrar este endereço (o nome não resolve).
webhooks-url-private = Este endereço leva a uma rede privada ou local. Marque "Permitir destino em rede privada" se for mesmo um sistema da sua rede.
webhooks-events-required = Escolha pelo menos um evento.
webhooks-events-unknown = Escolha apenas eventos da lista.
webhooks-secret-invalid = O segredo gerado se perdeu; abra o formulário de novo.
audit-action-webhook-create = Webhook criado
audit-action-webhook-update = Webhook alterado
audit-action-webhook-delete = Webhook excluído
audit-action-webhook-rotate-secret = Segredo de webhook trocado
audit-action-webhook-resend = Entrega de webhook reenviada
