## Bot flows: publish checks, changes between versions, the pane's lines.

flow-problem-no-blocks = O fluxo não tem nenhum bloco.
flow-problem-no-start = O bloco inicial não existe.
flow-problem-duplicate-id = Dois blocos têm o mesmo identificador.
flow-problem-dead-end = { $exit ->
    [open] A saída "aberto" não leva a nenhum bloco.
    [closed] A saída "fechado" não leva a nenhum bloco.
    [holiday] A saída "feriado" não leva a nenhum bloco.
    [rule] A regra "{ $value }" não leva a nenhum bloco.
    [otherwise] A saída "nenhuma regra" não leva a nenhum bloco.
    [error] A saída de erro não leva a nenhum bloco.
   *[next] A saída deste bloco não leva a nenhum bloco: o caminho precisa terminar em transferência, encerramento ou outro fluxo.
}
flow-problem-option-nowhere = A opção { $option } não leva a nenhum bloco.
flow-problem-missing-target = Uma saída aponta para o bloco "{ $target }", que não existe.
flow-problem-unreachable = Nenhum caminho chega a este bloco.
flow-problem-no-invalid-exit = Falta a saída para respostas inválidas.
flow-problem-loop = Este bloco faz parte de um ciclo que não espera resposta do cliente.
flow-problem-unknown-field = O campo de contato "{ $field }" não existe.
flow-problem-unknown-team = A equipe escolhida não existe mais.
flow-problem-unknown-schedule = O grupo de horários escolhido não existe mais.
flow-problem-unknown-flow = O fluxo de destino não existe ou não foi publicado.
flow-problem-goto-itself = Um fluxo não pode seguir para ele mesmo.
flow-problem-no-options = O menu não tem opções.
flow-problem-no-list-values = A lista de respostas aceitas está vazia.
flow-problem-empty-text = O texto da mensagem está vazio.
flow-problem-bad-url = O endereço precisa começar com http:// ou https:// e ter um servidor.
flow-problem-idle-minutes = O tempo sem resposta precisa ser de pelo menos 1 minuto.

flow-change-start = bloco inicial alterado
flow-change-idle = regra de inatividade alterada
flow-change-http-permission = permissão de chamadas a endereços internos alterada
flow-change-block-added = bloco { $block } adicionado
flow-change-block-removed = bloco { $block } removido
flow-change-block-renamed = bloco { $block }: renomeado (antes "{ $old }")
flow-change-kind = bloco { $block }: tipo alterado
flow-change-text = bloco { $block }: texto alterado
flow-change-option-added = bloco { $block }: opção { $option } adicionada
flow-change-option-removed = bloco { $block }: opção { $option } removida
flow-change-option-renamed = bloco { $block }: opção { $option } renomeada de "{ $old }" para "{ $new }"
flow-change-option-target = bloco { $block }: opção { $option } leva a outro bloco
flow-change-exit = bloco { $block }: saída alterada
flow-change-settings = bloco { $block }: configuração alterada

flows-definition-invalid = A definição do fluxo não pôde ser lida.
flows-definition-too-large = A definição do fluxo é grande demais.
flows-not-published = Este fluxo ainda não foi publicado.

## The editor: the diagram, the blocks' forms, the versions and the simulator.

flow-exit-option = { $value }
flow-exit-invalid = inválido
flow-exit-open = aberto
flow-exit-closed = fechado
flow-exit-holiday = feriado
flow-exit-rule = “{ $value }”
flow-exit-otherwise = outro
flow-exit-error = erro
flow-kind-message = Mensagem
flow-kind-menu = Menu
flow-kind-ask = Pergunta
flow-kind-schedule = Horário
flow-kind-condition = Condição
flow-kind-http = Requisição HTTP
flow-kind-transfer = Transferência
flow-kind-close = Encerramento
flow-kind-go_to = Outro fluxo
flows-new = Novo fluxo
flows-intro = Um fluxo recebe o cliente, pergunta, decide e entrega o atendimento a uma equipe. Edite o rascunho à vontade: os clientes só veem a versão publicada.
flows-published-version = Versão publicada
flows-channels = Canais
flows-last-change = Última alteração
flows-version-n = versão { $number }
flows-draft-only = não publicado
flows-no-channel = nenhum canal
flows-name-example = Ex.: Atendimento principal
flows-new-hint = O fluxo começa com uma mensagem de boas-vindas; depois você acrescenta os blocos.
flows-starter-greeting = Olá! Como podemos ajudar?
flows-diagram = Diagrama do fluxo
flows-start = Início
flows-problem-count = { $count ->
    [one] 1 problema
   *[other] { $count } problemas
}
flows-new-block-kind = Tipo do novo bloco
flows-new-block = Novo bloco
flows-settings = Configurações
flows-simulator = Simulador
flows-versions = Versões
flows-publish = Publicar
flows-problems = Problemas a corrigir antes de publicar
flows-idle-minutes = Tempo sem resposta do cliente (minutos)
flows-idle-minutes-hint = Depois desse tempo o fluxo encerra o atendimento ou o transfere, como escolhido abaixo.
flows-idle-action = Quando o cliente não responde
flows-idle-close = Encerrar com a mensagem
flows-idle-transfer = Transferir para a equipe
flows-idle-text = Mensagem de encerramento por falta de resposta
flows-idle-team = Equipe que recebe
flows-allow-private = Permitir requisições a endereços internos
flows-allow-private-hint = Só marque se o sistema da empresa estiver na rede interna (endereços privados ou locais).
flows-exit-none = — nenhum bloco —
flows-block-not-saved = O bloco não foi salvo: corrija os campos indicados.
flows-block-name = Nome do bloco
flows-make-start = Começar o fluxo por este bloco
flows-is-start = O fluxo começa por este bloco.
flows-field-text = Texto
flows-field-text-hint = Use campos do contato entre chaves, como {"{{"}nome{"}}"}.
flows-options = Opções
flows-option-n = Opção { $n }
flows-goes-to = Leva a
flows-field-field = Campo do contato
flows-field-validation = Validação da resposta
flows-validation-text = Texto livre
flows-validation-email = E-mail
flows-validation-cpf = CPF
flows-validation-cnpj = CNPJ
flows-validation-cpf_cnpj = CPF ou CNPJ
flows-validation-phone = Telefone
flows-validation-number = Número
flows-validation-date = Data
flows-validation-one_of = Uma das respostas da lista
flows-field-one-of = Respostas aceitas (uma por linha)
flows-field-max-tries = Tentativas antes da saída de inválido
flows-field-retry = Texto ao repetir a pergunta
flows-exit-next = Depois, segue para
flows-exit-invalid-answers = Respostas inválidas seguem para
flows-field-schedule = Grupo de horários
flows-exit-open = Se aberto
flows-exit-closed = Se fechado
flows-exit-holiday = Se feriado
flows-field-subject = Decidir pelo
flows-subject-channel = canal do atendimento
flows-subject-field = campo do contato
flows-rules = Regras
flows-rule-equals = Se for igual a
flows-exit-otherwise = Se nenhuma regra servir
flows-field-method = Método
flows-field-url = Endereço
flows-field-url-hint = Pode usar campos do contato, como https://sistema.exemplo.com/pedidos?cpf={"{{"}cpf{"}}"}.
flows-field-body = Corpo (JSON)
flows-field-timeout = Tempo limite (milissegundos)
flows-map = Campos da resposta guardados no contato
flows-map-path = Campo da resposta
flows-map-field = Campo do contato
flows-exit-error = Em caso de erro, segue para
flows-field-team = Equipe
flows-field-priority = Com prioridade na fila
flows-field-flow = Fluxo de destino
flows-save-block = Salvar bloco
flows-delete-block = Excluir bloco
flows-block-deleted = Bloco excluído.
flows-block-deleted-exits = Bloco excluído. As saídas que levavam a ele ficaram vazias em: { $blocks }.
flows-published = Versão { $number } publicada. Novos atendimentos já usam esta versão; quem está no meio do fluxo continua na versão em que começou.
flows-publish-refused = O fluxo não foi publicado: { $count ->
    [one] há 1 problema
   *[other] há { $count } problemas
} a corrigir, marcados nos blocos.
flows-first-version = primeira versão
flows-block-gone = Este bloco não existe mais.
flows-too-many-blocks = O fluxo chegou ao limite de blocos.
flows-exit-unknown = Escolha um bloco da lista.
flows-no-versions = Este fluxo ainda não foi publicado.
flows-version = Versão
flows-published-by = Publicada por
flows-published-at = Quando
flows-changes = O que mudou em relação à anterior
flows-by-system = sistema
flows-no-changes = nenhuma alteração
flows-restore-confirm = Restaurar a versão { $number } como rascunho? O rascunho atual será substituído.
flows-restore = Restaurar como rascunho
flows-read-only = somente leitura
flows-published-on = Publicada em
flows-channel-flow = Fluxo de atendimento
flows-channel-flow-none = Nenhum: direto para a equipe
flows-channel-flow-hint = Novos atendimentos deste canal começam pelo fluxo escolhido (só fluxos publicados).
flows-sim-hint = Converse com o rascunho como um cliente. Nada é gravado e nenhuma ação acontece, exceto requisições HTTP se você permitir.
flows-sim-chat = Conversa simulada
flows-sim-list = Ver opções
flows-sim-empty = Clique em “Começar” para o cliente iniciar a conversa.
flows-sim-text = Mensagem do cliente
flows-sim-send = Enviar
flows-sim-start = Começar
flows-sim-idle-button = O cliente não respondeu
flows-sim-profile = Cliente e canal
flows-sim-channel = Canal
flows-sim-channel-webchat = Chat do site
flows-sim-channel-whatsapp = WhatsApp (botões e listas)
flows-sim-channel-telegram = Telegram
flows-sim-channel-email = E-mail
flows-sim-clock = Data e hora
flows-sim-http = Requisições HTTP
flows-sim-http-sample = Responder com o exemplo abaixo
flows-sim-http-run = Fazer a requisição de verdade
flows-sim-sample = Resposta de exemplo (JSON)
flows-sim-idle = (o cliente não respondeu)
flows-sim-http-failed = A requisição falhou: { $reason }
flows-sim-set-field = Guardaria { $field } = { $value }
flows-sim-http-call = Requisição a { $url }
flows-sim-chose = Cliente escolheu: { $option }
flows-sim-gave-up = Respostas inválidas demais em { $block }
flows-sim-transfer = Transferiria para a equipe { $team }{ $priority ->
    [true] , com prioridade
   *[other] {""}
}
flows-sim-closed = Encerraria o atendimento.
flows-sim-goto = Seguiria para outro fluxo.
flows-sim-stuck = O caminho terminou sem destino: iria para a equipe do canal.
flow-problem-synonym-twice = A palavra "{ $word }" da opção { $option } já leva a outra opção deste menu.
flow-change-option-words = bloco { $block }: palavras da opção { $option } agora são "{ $words }"
flows-option-synonyms = Outras palavras da opção { $n }
flows-option-synonyms-hint = Separadas por vírgula: boleto, pagamento, segunda via
flows-too-many-synonyms = No máximo 20 palavras por opção.
