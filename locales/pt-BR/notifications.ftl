## Notificações (F-AD-12): o sino, a lista, o e-mail
area-notifications = Notificações
settings-notifications = Notificações por e-mail
notices-bell = { $count ->
        [0] Notificações: nenhuma não lida
        [1] Notificações: 1 não lida
       *[other] Notificações: { $count } não lidas
    }
notices-repeated = { $count }×
notices-last = última às
notices-read = Lida
notices-mark-all-read = Marcar todas como lidas
notices-filter = Mostrar
notices-show-all = Todas
notices-show-unread = Não lidas
notices-show-read = Lidas
notices-empty = Nenhuma notificação aqui.
notices-see-all = { $count ->
        [1] Ver todas as notificações (1 não lida)
       *[other] Ver todas as notificações ({ $count } não lidas)
    }
notice-channel-auth = O canal { $name } teve as credenciais recusadas pelo serviço: { $reason }
notice-webhook-signature = O webhook do canal { $name } recebeu chamadas com assinatura inválida (ignoradas).
notice-delivery-failed = Uma mensagem do canal { $name } não pôde ser entregue: { $reason }
notice-poller-down = O canal { $name } não consegue buscar mensagens novas: { $reason }
notice-pause-over-limit = { $name } passou do limite da pausa { $pause } ({ $limit } min).
notice-queue-full = A fila da equipe { $name } chegou ao limite de { $limit ->
        [1] 1 atendimento aguardando
       *[other] { $limit } atendimentos aguardando
    }.
notice-unassigned = Na equipe { $name }, { $waiting ->
        [1] 1 atendimento aguarda
       *[other] { $waiting } atendimentos aguardam
    } há mais de { $minutes } min sem ninguém assumir.
notice-low-score = O atendimento { $name } recebeu nota { $score } na pesquisa de satisfação.
notice-webhook-dead = Um webhook para { $name } foi abandonado após 24 horas de tentativas: { $reason }
notices-kind-channel-auth = Credenciais de um canal recusadas
notices-kind-webhook-signature = Assinaturas inválidas no webhook de um canal
notices-kind-delivery-failed = Mensagens que não puderam ser entregues
notices-kind-poller-down = Canal que não consegue buscar mensagens
notices-kind-pause-over-limit = Pausas além do limite
notices-kind-queue-full = Filas no limite
notices-kind-unassigned = Filas sem ninguém assumir
notices-kind-low-score = Notas baixas na pesquisa de satisfação
notices-kind-webhook-dead = Webhooks de saída abandonados após 24 horas
notices-settings-open = Quem recebe as notificações por e-mail, quais e com que frequência
notices-settings-intro = As notificações aparecem no sino e em Notificações para quem tem a permissão. Aqui você escolhe quem também as recebe por e-mail: no máximo um e-mail por causa a cada intervalo.
notices-settings-recipients = Administradores que recebem por e-mail
notices-settings-kinds = Notificações enviadas por e-mail
notices-settings-interval = Intervalo mínimo entre e-mails da mesma causa (minutos)
notices-settings-interval-hint = De 1 a 1440. Ocorrências repetidas dentro do intervalo seguem contadas no sino e vão no próximo e-mail.
notices-settings-low-score = Notificar notas da pesquisa até
notices-settings-low-score-hint = De 1 a 4, na escala de 1 a 5; vazio ou 0 não notifica notas.
notices-settings-saved = Notificações salvas.
notices-settings-no-smtp = Nenhum servidor SMTP configurado: os e-mails só saem depois de configurá-lo.
notices-bad-recipient = Escolha apenas administradores ativos.
notices-bad-kind = Escolha apenas notificações da lista.
notice-mail-subject = { $company }: { $what }
notice-mail-body =
    { $what }

    { $count ->
        [1] Ocorreu às { $last }.
       *[other] Ocorreu { $count } vezes; a última às { $last }.
    }

    Ver: { $link }

    Você recebe este e-mail porque foi escolhido em Configurações › Notificações por e-mail.
