## Grupos de usuários
groups-new = Novo grupo
groups-name-example = Supervisores
groups-search-placeholder = Nome do grupo
groups-help = Cada grupo reúne permissões (ver, criar, editar, excluir) por área da administração. Um administrador pode fazer o que a soma dos seus grupos permite.
groups-permissions = Permissões
groups-permissions-hint = Marque o que os membros do grupo podem fazer em cada área. Quem pode criar, editar ou excluir também pode ver.
groups-permission-count = { $count ->
    [0] Nenhuma permissão
    [one] 1 permissão
   *[other] { $count } permissões
}
groups-all-permissions = Todas as permissões
groups-area = Área
groups-members = Membros
groups-members-hint = Administradores ativos que pertencem a este grupo.
groups-no-admins = Nenhum administrador ativo.
groups-builtin = Padrão do sistema
groups-builtin-fixed = O grupo "Administrador geral" tem todas as permissões, e isso não pode ser alterado.
groups-builtin-undeletable = O grupo "Administrador geral" não pode ser excluído.
groups-last-member = O grupo "Administrador geral" precisa manter pelo menos um administrador ativo.
groups-members-unknown = Escolha apenas administradores ativos da lista.
groups-confirm-delete-members = Excluir "{ $name }"? { $count ->
    [one] O membro do grupo perde
   *[other] Os { $count } membros do grupo perdem
} as permissões dele (as contas continuam). Esta ação não pode ser desfeita.
