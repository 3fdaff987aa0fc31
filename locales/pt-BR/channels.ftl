# Channel pages: what every kind shares.
channels-secret-saved = Salvo — deixe em branco para manter
channels-receptive-only = Somente receptivo
channels-receptive-only-hint = Os clientes escrevem e os atendentes respondem; ninguém inicia conversas por este canal.
channels-webhook = Endereço do webhook
channels-webhook-hint = Informe este endereço ao serviço do canal para que ele entregue as mensagens ao Atende.
channels-health = Saúde do canal
channels-health-last-poll = Última consulta com sucesso
channels-health-last-in = Última mensagem recebida
channels-health-last-out = Última mensagem enviada
channels-health-today = Hoje
channels-health-counts = { $received } recebidas, { $sent } enviadas
channels-health-last-error = Último problema
channels-test = Testar conexão
channels-test-ok = Conexão funcionando: { $fact }
channels-test-failed = A conexão falhou: { $reason }
