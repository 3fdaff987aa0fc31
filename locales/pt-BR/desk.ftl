## O dia do agente: abas das listas, limite das pausas, equipes no topo, tecla de envio
workspace-lists = Listas de atendimentos
workspace-pause-limit = até { $minutes } min
workspace-pause-limit-day = até { $minutes } min por dia
workspace-key-send = Enviar a mensagem
workspace-key-newline = Nova linha na mensagem
topbar-teams = Equipes
topbar-pause-clock = Tempo da pausa / limite
topbar-pause-over = limite da pausa ultrapassado
composer-send-hint-enter = Enter envia · Shift+Enter nova linha
composer-send-hint-ctrl-enter = Ctrl+Enter envia · Enter nova linha
profile-send-key = Envio de mensagens
profile-send-key-enter = Enter envia; Shift+Enter começa uma nova linha
profile-send-key-ctrl-enter = Ctrl+Enter envia; Enter começa uma nova linha
profile-send-key-save = Salvar preferência
profile-saved-send-key = Preferência de envio salva.
profile-send-key-invalid = Escolha uma das formas de envio da lista.
