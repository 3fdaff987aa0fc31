## Equipes
teams-new = Nova equipe
teams-name-example = SAC
teams-search-placeholder = Nome da equipe
teams-distribution = Distribuição
teams-distribution-auto = Automática
teams-distribution-auto-hint = Cada atendimento vai para o membro disponível menos ocupado.
teams-distribution-manual = Manual
teams-distribution-manual-hint = Os atendimentos ficam na fila e os agentes puxam o próximo.
teams-distribution-invalid = Escolha a distribuição automática ou manual.
teams-queue-limit = Limite da fila
teams-queue-limit-hint = Quantos atendimentos podem aguardar na fila ao mesmo tempo. Use 0 para não limitar (máximo 10000).
teams-no-limit = sem limite
teams-require-tabulation = Classificação obrigatória ao finalizar
teams-require-tabulation-hint = O agente só finaliza o atendimento depois de classificá-lo com um motivo das tabulações da equipe.
teams-tabulation-required = Obrigatória
teams-tabulation-optional = Opcional
teams-active-hint = Uma equipe inativa não recebe novos atendimentos.
teams-members = Membros
teams-members-hint = Marque os usuários que atendem nesta equipe. Ao salvar, a lista de membros é substituída pela marcada aqui.
teams-members-invalid = Um dos usuários marcados não pode entrar na equipe: não existe ou está inativo.
teams-no-candidates = Nenhum usuário ativo cadastrado.
teams-content = O que pertence à equipe
teams-tabulations-count =
    { $reasons ->
        [0] nenhum motivo
        [1] 1 motivo
       *[other] { $reasons } motivos
    }, { $subs ->
        [0] nenhum submotivo
        [1] 1 submotivo
       *[other] { $subs } submotivos
    }
teams-delete-hint = Só é possível excluir uma equipe sem membros, tabulações, tags, frases padrão e modelos de mensagem. Para tirá-la de uso, desmarque "Ativo" e salve.
teams-delete-refused = Esta equipe não pode ser excluída: ainda tem membros ou itens próprios (veja abaixo). Desmarque "Ativo" e salve para desativá-la, ou remova antes os membros e os itens.
teams-overflow = Equipe de transbordo
teams-overflow-none = Nenhuma: os atendimentos aguardam nesta equipe
teams-overflow-hint = Com a fila no limite, novos atendimentos vão para esta equipe, se ela tiver lugar na fila. Se ela também estiver cheia, aguardam nesta equipe mesmo assim: nenhuma mensagem se perde.
teams-overflow-self = Uma equipe não pode transbordar para ela mesma.
teams-overflow-invalid = Escolha uma das equipes ativas da lista.
teams-queue-full-message = Mensagem de fila cheia
teams-queue-full-message-hint = Enviada ao contato que chega com a fila no limite. {"{{"}posicao{"}}"} é a posição dele na fila. Em branco, vai o texto padrão no idioma da empresa.
teams-queue-full-unknown = Variável desconhecida. Use apenas {"{{"}posicao{"}}"}.
teams-queue-full-unclosed = Uma variável não foi fechada. Escreva assim: {"{{"}posicao{"}}"}.
teams-survey = Pesquisa de satisfação
teams-survey-label = Perguntar a nota ao cliente depois de finalizar
teams-survey-company = Como nas configurações da empresa
teams-survey-on = Sim, depois de cada atendimento finalizado
teams-survey-off = Não
teams-survey-hint = O cliente dá uma nota de 1 a 5 e pode deixar um comentário; enquanto não responde, fica "no bot".
teams-survey-invalid = Escolha uma das opções da pesquisa.
teams-inactivity = Inatividade
teams-inactivity-company = Seguir a finalização automática da empresa
teams-inactivity-own = Regras próprias desta equipe
teams-inactivity-hint = Em branco ou 0: a regra fica desligada.
teams-close-minutes = Finalizar após (minutos sem mensagens)
teams-close-minutes-hint = Atendimentos na fila ou em andamento sem nenhuma mensagem por esse tempo são finalizados.
teams-closing-message = Mensagem de finalização
teams-closing-message-hint = Em branco: a mensagem de finalização da empresa.
teams-warning-minutes = Avisar antes (minutos antes de finalizar)
teams-warning-minutes-hint = O aviso vai uma vez a cada silêncio do cliente.
teams-warning-message = Mensagem de aviso
teams-warning-message-example = Ainda está por aí? Sem resposta, vamos finalizar o atendimento em breve.
teams-pending-minutes = Finalizar pendentes após (minutos)
teams-pending-minutes-hint = Atendimentos pendentes aguardando o cliente.
teams-unassigned-alert-minutes = Alertar atendimentos sem agente após (minutos)
teams-unassigned-alert-minutes-hint = Os administradores recebem um aviso por equipe, até marcá-lo como lido.
teams-give-back-minutes = Devolver para a fila após (minutos sem resposta do agente)
teams-give-back-minutes-hint = O cliente escreveu e o agente não respondeu nesse tempo: o atendimento volta para a fila.
teams-warning-before-close = O aviso precisa vir antes da finalização: informe um tempo menor que o de finalizar.
teams-warning-message-required = Escreva a mensagem de aviso.
teams-internal-chat-off = Desligar o chat interno
teams-internal-chat-off-hint = Os membros desta equipe não usam o chat interno, mesmo com a permissão no cadastro do agente; o canal da equipe some do painel.
