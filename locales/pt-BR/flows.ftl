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
