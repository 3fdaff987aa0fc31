## Cadastros: filtro de palavras, tags, frases padrão, modelos de mensagem, campos de contato

## Comum a estes cadastros
catalogues-team = Equipe
catalogues-all-teams = Todas as equipes
catalogues-team-unknown = Escolha uma equipe da lista.
catalogues-choose-one = Escolha uma das opções da lista.

## Filtro de palavras
word-filter-help = Bloqueie o envio de palavras inadequadas pelos agentes e defina termos que não devem abrir um novo atendimento logo depois que outro foi encerrado (um agradecimento, um "ok").
word-filter-blocked-title = Palavras bloqueadas
word-filter-blocked-help = O agente não consegue enviar mensagens com estas palavras; a mensagem é recusada com um aviso. Maiúsculas e acentos não fazem diferença, e só palavras inteiras contam ("idiota" não bloqueia "idiotice").
word-filter-ignore-title = Termos que não abrem atendimento
word-filter-ignore-help = Quando o contato manda só um destes termos logo depois do encerramento, nenhum novo atendimento é aberto.
word-filter-add-blocked = Bloquear palavras
word-filter-add-ignore = Incluir termos
word-filter-blocked-placeholder = Uma palavra ou expressão por linha
word-filter-ignore-placeholder = obrigado, ok, 👍 — um por linha
word-filter-terms-hint = Um termo por linha, com até 60 caracteres. Termos que já estão na lista são ignorados.
word-filter-add = Incluir
word-filter-delete-term = Excluir "{ $term }"
word-filter-window = Minutos após o encerramento
word-filter-window-hint = Por quantos minutos depois do encerramento estes termos não abrem um novo atendimento (de 1 a 1440).
word-filter-window-saved = Tempo salvo.
word-filter-added = { $added ->
    [one] 1 termo incluído.
   *[other] { $added } termos incluídos.
}
word-filter-skipped = { $skipped ->
    [one] 1 termo já estava na lista e foi ignorado.
   *[other] { $skipped } termos já estavam na lista e foram ignorados.
}
word-filter-term-too-long = Cada termo pode ter no máximo 60 caracteres.
word-filter-too-many = Inclua no máximo 500 termos de cada vez.
word-filter-kind-invalid = Escolha em qual lista incluir os termos.

## Tags
tags-new = Nova tag
tags-name-example = Urgente
tags-help = Tags classificam os atendimentos com palavras-chave. O contato nunca as vê.
tags-search-placeholder = Nome da tag
tags-color = Cor
tags-color-hint = A cor com que a tag aparece nos atendimentos.
tags-name-taken = Já existe uma tag com este nome para esta equipe ou para todas as equipes.

## Frases padrão
phrases-new = Nova frase padrão
phrases-help = O agente insere uma frase padrão digitando uma barra e o atalho, como /saudacao.
phrases-search-placeholder = Atalho ou texto
phrases-shortcut = Atalho
phrases-shortcut-hint = De 2 a 30 letras, números, hífen ou sublinhado. O agente digita "/" e o atalho.
phrases-shortcut-example = saudacao
phrases-shortcut-example-mine = retorno
phrases-shortcut-invalid = Use de 2 a 30 letras, números, hífen ou sublinhado, sem espaços.
phrases-shortcut-taken = Já existe uma frase com este atalho para esta equipe ou para toda a empresa.
phrases-text = Texto
phrases-scope = Disponível para
phrases-company-wide = Toda a empresa
phrases-placeholders-hint = Variáveis preenchidas no envio:
phrases-placeholder-unknown = Variável desconhecida. Use apenas {"{{"}contato{"}}"}, {"{{"}agente{"}}"} ou {"{{"}protocolo{"}}"}.
phrases-placeholder-unclosed = Uma variável não foi fechada. Escreva-as assim: {"{{"}contato{"}}"}, {"{{"}agente{"}}"} ou {"{{"}protocolo{"}}"}.
phrases-mine = Minhas frases
phrases-new-mine = Nova frase pessoal
phrases-mine-saved = Frase salva.
phrases-mine-help = Suas frases pessoais: só você as vê e usa. No atendimento, digite / e o atalho; a lista mostra também as frases da equipe do atendimento e as de toda a empresa.
phrases-mine-empty = Você ainda não tem frases pessoais: crie um atalho e escreva a frase.
phrases-mine-private = Só você vê e usa esta frase.
phrases-own-shortcut-taken = Você já tem uma frase com este atalho.
phrases-scope-mine = Minha
phrases-shared = Frases das suas equipes e da empresa
phrases-shared-help = Cuidadas pela administração; você as usa nos atendimentos dessas equipes.
phrases-shared-help-editor = Cuidadas pela administração; seu grupo de permissões deixa você editá-las (clique no atalho).

## Modelos de mensagem
templates-new = Novo modelo de mensagem
templates-help = Modelos de mensagem do WhatsApp, aprovados pela Meta, para iniciar conversas ou responder contatos que escreveram há mais de 24 horas.
templates-search-placeholder = Nome ou texto do modelo
templates-name-hint = Exatamente como cadastrado na Meta: letras minúsculas sem acento, números e sublinhado.
templates-name-example = pedido_enviado
templates-name-invalid = Use só letras minúsculas sem acento, números e sublinhado (_), como pedido_enviado.
templates-name-taken = Já existe um modelo com este nome neste idioma.
templates-language = Idioma
templates-category = Categoria
templates-category-utility = Utilidade
templates-category-marketing = Marketing
templates-category-authentication = Autenticação
templates-channel = Canal
templates-channel-whatsapp = WhatsApp
templates-header = Cabeçalho
templates-header-hint = Opcional, até 60 caracteres, sem variáveis.
templates-header-plain = O cabeçalho é um texto simples de uma linha, sem variáveis.
templates-header-format = Tipo de cabeçalho
templates-header-format-text = Texto
templates-header-format-image = Imagem
templates-header-format-video = Vídeo
templates-header-format-document = Documento
templates-header-link = Endereço do arquivo do cabeçalho
templates-header-link-hint = Para um cabeçalho de imagem, vídeo ou documento: o endereço público de onde a Meta busca o arquivo a cada envio.
templates-header-link-example = https://loja.exemplo/logo.png
templates-header-text-or-file = Um cabeçalho de arquivo não tem texto: apague o texto ou escolha o tipo Texto.
templates-body = Texto da mensagem
templates-body-hint = Até 1024 caracteres. Use {"{{"}1{"}}"}, {"{{"}2{"}}"}… (em sequência a partir de 1) ou nomes como {"{{"}nome{"}}"} para os parâmetros que o agente preenche no envio, como o modelo foi aprovado na Meta.
templates-param-unclosed = Um parâmetro não foi fechado. Escreva-os assim: {"{{"}1{"}}"}.
templates-param-not-number = Os parâmetros são números entre chaves duplas, sem espaços: {"{{"}1{"}}"}, {"{{"}2{"}}"}…
templates-param-gap = Numere os parâmetros em sequência a partir de {"{{"}1{"}}"}, sem pular números: {"{{"}1{"}}"}, {"{{"}2{"}}"}, {"{{"}3{"}}"}…
templates-param-mixed = Use parâmetros numerados ({"{{"}1{"}}"}) ou com nome ({"{{"}nome{"}}"}), não os dois no mesmo texto.
templates-buttons = Botões de resposta rápida
templates-buttons-hint = Opcional: até 3 botões, com até 25 caracteres cada.
templates-button-label = Botão { $n }
templates-too-many-buttons = Use no máximo 3 botões.
templates-button-too-long = Cada botão pode ter no máximo 25 caracteres.
templates-button-repeated = Os botões precisam ter textos diferentes.
templates-active-hint = Só modelos ativos são oferecidos aos agentes.
templates-preview = Prévia
templates-samples-hint = Valores de exemplo para os parâmetros (só para a prévia; não são salvos).
templates-preview-empty = Digite o texto da mensagem para ver a prévia.

## Campos de contato
contact-fields-new = Novo campo
contact-fields-name-example = CPF
contact-fields-search-placeholder = Nome do campo
contact-fields-builtin = Campos obrigatórios ao adicionar contato
contact-fields-builtin-help = Marque os campos que o agente precisa preencher em "Adicionar contato".
contact-fields-builtin-saved = Campos obrigatórios salvos.
contact-fields-whatsapp = Número de WhatsApp
contact-fields-custom = Campos personalizados
contact-fields-help = Informações a mais que a empresa guarda sobre cada contato, na ordem em que aparecem no cadastro.
contact-fields-position = Ordem
contact-fields-position-hint = Os campos aparecem do menor para o maior número (de 0 a 999).
contact-fields-kind = Tipo
contact-fields-kind-text = Texto
contact-fields-kind-number = Número
contact-fields-kind-date = Data
contact-fields-kind-choice = Lista de opções
contact-fields-required = Obrigatório em "Adicionar contato"
contact-fields-required-short = Obrigatório
contact-fields-required-yes = Obrigatório
contact-fields-required-no = Opcional
contact-fields-choices = Opções
contact-fields-choices-hint = Só para o tipo "Lista de opções": uma opção por linha.
contact-fields-choices-required = Informe as opções da lista, uma por linha.
contact-fields-choices-too-few = Informe pelo menos duas opções, uma por linha.
contact-fields-choices-too-many = Use no máximo 50 opções.
contact-fields-choice-too-long = Cada opção pode ter no máximo 60 caracteres.
contact-fields-choice-repeated = Há opções repetidas na lista.
contact-fields-builtin-name = Este é um campo padrão do contato; escolha outro nome.
