## Tabulações
tabulations-intro = Tabulações são os motivos que o agente escolhe para classificar um atendimento, cada um com submotivos opcionais. Cada equipe tem as suas.
tabulations-pick-team = Equipe
tabulations-no-teams = Cadastre uma equipe antes de criar tabulações.
tabulations-reasons = Motivos
tabulations-sub-reasons = Submotivos
tabulations-none = Nenhum motivo cadastrado para esta equipe.
tabulations-new-reason = Novo motivo
tabulations-new-sub-reason = Novo submotivo
tabulations-add = Adicionar
tabulations-required = Nesta equipe a classificação é obrigatória ao finalizar um atendimento.
tabulations-optional = Nesta equipe a classificação é opcional ao finalizar um atendimento.
tabulations-team-settings = Alterar na equipe
tabulations-confirm-delete-reason =
    { $count ->
        [0] Excluir o motivo "{ $name }"?
        [1] Excluir o motivo "{ $name }" e o seu submotivo?
       *[other] Excluir o motivo "{ $name }" e os seus { $count } submotivos?
    } Esta ação não pode ser desfeita.
tabulations-parent-invalid = O motivo escolhido não existe ou não é um motivo desta equipe.
