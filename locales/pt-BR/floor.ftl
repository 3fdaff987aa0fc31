## Motor de atendimento
floor-protocol-notice = Olá! O protocolo do seu atendimento é { $protocol }. Em instantes alguém da equipe vai falar com você.
floor-already-taken = Outro agente já pegou este atendimento.
floor-closed = Este atendimento já foi finalizado.
floor-blocked-words = A mensagem não foi enviada: o filtro da empresa bloqueia «{ $words }». Reescreva sem essas palavras.
floor-tabulation-required = Esta equipe exige a classificação do atendimento: escolha o motivo antes de finalizar.
floor-empty-message = Escreva uma mensagem ou anexe um arquivo.
floor-message-too-long = A mensagem é longa demais (máximo de 4096 caracteres).
floor-bad-tabulation = Escolha um motivo ativo das tabulações da equipe deste atendimento.
floor-bad-team = Escolha uma equipe ativa.
floor-bad-colleague = Escolha um agente ativo da equipe.
floor-bad-pause = Escolha uma pausa ativa.
floor-bad-channel = Canal desconhecido.
floor-bad-tag = Escolha uma tag da equipe deste atendimento.
floor-pause-outside-window = Esta pausa só pode ser iniciada no horário permitido para ela.
floor-queue-full-notice = Nossa fila está cheia no momento. Você é o {"{{"}posicao{"}}"}º da fila; responderemos assim que possível.
