## Dados do contato (LGPD)
privacy-title = Dados pessoais (LGPD)
privacy-help = A pedido do titular: baixe tudo o que o Atende guarda sobre este contato, ou anonimize-o. A anonimização apaga nome, telefone, e-mail, campos personalizados, identidades nos canais, o texto das mensagens, os arquivos e os comentários da pesquisa; protocolos, datas e classificações ficam para os relatórios. Não pode ser desfeita.
privacy-export = Exportar dados (JSON)
privacy-confirm = Entendo que a anonimização não pode ser desfeita.
privacy-anonymise = Anonimizar contato
privacy-done = Contato anonimizado. Os protocolos e os números dos relatórios foram mantidos.
privacy-open-conversation = O contato tem um atendimento aberto: finalize-o antes de anonimizar.
privacy-confirm-first = Marque a confirmação para anonimizar o contato.
privacy-export-pdf = Exportar dados (PDF)
privacy-pdf-title = Dados do contato nº { $id }
privacy-pdf-identities = Identidades nos canais
privacy-pdf-conversations = { $count ->
    [0] Nenhum atendimento
    [one] 1 atendimento
   *[other] { $count } atendimentos
}
