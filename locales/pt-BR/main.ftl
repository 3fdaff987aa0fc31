# Catálogo de referência (pt-BR). Todo catálogo deve ter exatamente estas chaves.

## Navegação e ações comuns
nav-main = Navegação principal
nav-workspace = Atendimento
nav-admin = Administração
nav-users = Usuários
nav-contacts = Contatos
nav-history = Histórico
nav-add-contact = Adicionar contato
nav-profile = Editar perfil
nav-logout = Sair
language = Idioma
action-change = Trocar
action-back = Voltar
action-back-to-login = Voltar para o login
action-cancel = Cancelar
action-save = Salvar
action-search = Buscar
pager = Paginação
pager-previous = Anterior
pager-next = Próxima
pager-position = Página { $page } de { $pages }

## Estados e papéis
status-online = Disponível
status-paused = Em pausa
status-offline = Ausente
role-admin = Administrador
role-agent = Agente

## Campos
field-name = Nome
field-username = Usuário
field-email = E-mail
field-role = Perfil de acesso
field-phone = Telefone
field-extension = Ramal
field-password = Senha
field-new-password = Nova senha
field-current-password = Senha atual
field-password-confirm = Confirme a senha
field-allowed-networks = Redes permitidas
field-required = Preencha este campo.
field-too-long = Texto longo demais.
field-invalid-characters = Há caracteres não permitidos.
form-has-errors = Corrija os campos indicados.
username-hint = De 3 a 40 caracteres: letras, números, ponto, hífen ou sublinhado. Não pode ser alterado depois.
username-immutable = o usuário não pode ser alterado
username-invalid = Use de 3 a 40 caracteres: letras sem acento, números, ponto, hífen ou sublinhado.
username-taken = Este usuário já está em uso.
email-invalid = Informe um e-mail válido, como nome@empresa.com.br.
email-taken = Este e-mail já pertence a outra conta.
phone-digits = Use somente números e a pontuação de um telefone (espaços, traços, parênteses).
phone-invalid = Número inválido: informe o DDD e o número (e o código do país, se for de outro país), por exemplo (11) 98765-4321.
role-invalid = Escolha Administrador ou Agente.
networks-invalid = Informe redes no formato CIDR, como 192.168.0.0/24, uma por linha.
allowed-networks-hint = Deixe em branco para permitir qualquer rede. Uma rede por linha, no formato CIDR (ex.: 10.0.0.0/8).
last-admin = É preciso manter pelo menos um administrador ativo.
cannot-deactivate = Não é possível desativar esta conta: é a sua própria ou o último administrador ativo.

## Senhas
password-rules = A senha precisa ter de 10 a 128 caracteres, com pelo menos dois tipos entre letras, números e símbolos, e não pode conter seu nome, usuário ou e-mail.
password-too-short = A senha precisa ter pelo menos 10 caracteres.
password-too-long = A senha pode ter no máximo 128 caracteres.
password-too-simple = A senha é simples demais: misture letras com números ou símbolos.
password-contains-identity = A senha não pode conter seu nome, usuário ou e-mail.
password-mismatch = As senhas digitadas não são iguais.
password-current-wrong = A senha atual está incorreta.

## Login
login-title = Entrar
login-field-login = E-mail ou usuário
login-field-password = Senha
login-submit = Entrar
login-forgot = Esqueceu a senha?
login-invalid = E-mail, usuário ou senha incorretos.
login-locked = Seu login está temporariamente bloqueado. Aguarde alguns minutos ou peça a um administrador que o desbloqueie.
login-network-refused = Acesso não permitido a partir desta rede. Fale com um administrador.
login-inactive = Esta conta está desativada. Fale com um administrador.
totp-login-title = Verificação em duas etapas
totp-login-help = Digite o código de 6 dígitos do seu aplicativo autenticador ou um dos seus códigos de recuperação.
totp-field-code = Código
totp-verify = Verificar
totp-invalid = Código inválido ou já utilizado. Tente o próximo código do aplicativo.

## Esqueceu a senha / cadastrar senha
forgot-title = Esqueceu a senha?
forgot-help = Informe o e-mail da sua conta. Enviaremos um link para cadastrar uma nova senha.
forgot-submit = Enviar link
forgot-sent-title = Verifique seu e-mail
forgot-sent-text = Se houver uma conta com este endereço, enviamos um link para cadastrar uma nova senha. O link vale por poucos minutos. Se não chegar, confira a caixa de spam ou fale com um administrador.
set-password-title = Cadastrar senha
set-password-for = Conta: { $account }
set-password-submit = Cadastrar senha
link-invalid-title = Este link não pode mais ser usado
link-expired = Este link expirou. Por segurança, os links para cadastrar senha valem só por alguns minutos.
link-used = Este link já foi usado.
link-unknown = Este link não é válido.
link-invalid-help = Peça um novo link informando seu e-mail.
link-invalid-setup-help = A configuração inicial já foi feita. Entre com a conta de administrador criada.
link-request-new = Pedir um novo link

## Configuração inicial
setup-title = Criar o primeiro administrador
setup-help = Esta conta poderá cadastrar equipes, agentes e toda a configuração da empresa. Este link só pode ser usado uma vez.
setup-submit = Criar administrador

## E-mail
mail-set-password-subject = { $company }: cadastre sua senha
mail-set-password-body =
    Olá, { $name }!

    Para acessar o { $company }, cadastre sua senha pelo link abaixo:

    { $link }

    O link vale por { $minutes } minutos e só pode ser usado uma vez. Se expirar, use "Esqueceu a senha?" na tela de login.

    Se você não esperava esta mensagem, ignore-a.

## Perfil
profile-title = Meu perfil
profile-identity = Meus dados
profile-password = Alterar senha
profile-password-submit = Alterar senha
profile-saved-password = Senha alterada. As outras sessões desta conta foram encerradas.
profile-saved-2fa-off = Verificação em duas etapas desativada.
profile-2fa = Verificação em duas etapas
profile-2fa-on = Ativada
profile-2fa-off = Proteja sua conta pedindo, além da senha, um código do aplicativo autenticador do celular.
profile-2fa-enable = Ativar verificação em duas etapas
profile-2fa-disable = Desativar
profile-2fa-recovery-left = Códigos de recuperação restantes: { $count }
totp-enrol-title = Ativar verificação em duas etapas
totp-enrol-step-app = Instale um aplicativo autenticador no celular (Google Authenticator, Microsoft Authenticator, FreeOTP, Aegis…).
totp-enrol-step-scan = No aplicativo, leia este QR code.
totp-enrol-qr = QR code para o aplicativo autenticador
totp-enrol-secret = Sem câmera? Digite esta chave:
totp-enrol-step-code = Digite o código de 6 dígitos que o aplicativo mostra.
totp-enrol-confirm = Confirmar
recovery-title = Códigos de recuperação
recovery-enabled = Verificação em duas etapas ativada. As outras sessões desta conta foram encerradas.
recovery-help = Guarde estes códigos em lugar seguro. Cada um entra uma única vez, caso você perca o celular. Eles não serão mostrados de novo.
recovery-done = Já guardei os códigos

## Administração
admin-overview = Visão geral
admin-stat-users = usuários
admin-recent-activity = Atividade recente
audit-when = Quando
audit-who = Quem
audit-action = Ação
audit-from = Origem
audit-empty = Nenhum registro ainda.
users-new = Novo usuário
users-new-help = O novo usuário recebe por e-mail um link para cadastrar a própria senha. Sem servidor de e-mail configurado, você verá o link para entregar a ele.
users-create = Criar usuário
users-created = Usuário { $name } criado.
users-link-emailed = Enviamos para { $email } o link para cadastrar a senha.
users-link-handover = Nenhum e-mail foi enviado (servidor de e-mail não configurado). Entregue este link ao usuário; ele vale uma única vez e expira em poucos minutos:
users-link-label = Link para cadastrar senha
users-open = Abrir cadastro
users-search-placeholder = Nome, usuário ou e-mail
users-none = Nenhum usuário encontrado.
users-state = Situação
users-active = Ativo
users-inactive = Inativo
users-locked = Bloqueado
users-details = Dados do usuário
users-security = Acesso e segurança
users-sessions = Sessões abertas
users-2fa-off = Desativada
users-2fa = 2FA
users-unlock = Desbloquear
users-unlock-end-sessions = Também encerrar as sessões abertas (em caso de suspeita de invasão)
users-send-link = Enviar link para cadastrar senha
users-force-logout = Encerrar sessões (forçar saída)
users-reset-2fa = Redefinir verificação em duas etapas
users-reset-2fa-confirm = Redefinir a verificação em duas etapas deste usuário? As sessões dele serão encerradas.
users-deactivate = Desativar conta
users-deactivate-confirm = Desativar esta conta? As sessões dela serão encerradas.
users-activate = Reativar conta
users-history = Histórico da conta
users-done-saved = Alterações salvas.
users-done-unlocked = Usuário desbloqueado.
users-done-activated = Conta reativada.
users-done-deactivated = Conta desativada e sessões encerradas.
users-done-2fa-reset = Verificação em duas etapas redefinida e sessões encerradas.
users-done-logged-out = Sessões encerradas.

## Agente
agent-title = Atendimento
agent-signed-in-as = Olá, { $name }!
agent-in-service = Em atendimento
agent-waiting = Em espera
agent-pending = Pendentes
agent-none-in-service = Nenhum atendimento em andamento.
agent-none-waiting = Ninguém na fila.
agent-none-pending = Nenhum atendimento pendente.
agent-empty-pane = Selecione um atendimento na lista ao lado para ver as mensagens.

## Erros
error-go-home = Ir para o início
error-bad-request = Não entendemos este pedido. Confira os dados e tente de novo.
error-forbidden = Você não tem permissão para acessar esta página ou o formulário expirou. Recarregue a página e tente de novo.
error-not-found = Página não encontrada.
error-too-large = O conteúdo enviado é grande demais.
error-unsupported-type = Este tipo de conteúdo não é aceito aqui.
error-unprocessable = Alguns dados enviados não são válidos. Confira o formulário e tente de novo.
error-request = Esta requisição não pôde ser atendida.
error-internal = Algo deu errado do nosso lado. Tente de novo em instantes.
error-too-many-requests = Muitas tentativas. Tente de novo em { $seconds ->
        [one] { $seconds } segundo
       *[other] { $seconds } segundos
    }.

## Áreas e permissões da administração
area-teams = Equipes
area-agents = Usuários e agentes
area-groups = Grupos de usuários
area-channels = Canais
area-flows = Fluxos de atendimento
area-schedules = Grupos de horários
area-tabulations = Tabulações
area-word-filter = Filtro de palavras
area-pauses = Pausas
area-templates = Modelos de mensagem
area-phrases = Frases padrão
area-tags = Tags
area-contact-fields = Campos de contato
area-settings = Configurações
area-reports = Relatórios: Histórico de todas as equipes
area-reports-reasons = Relatórios: Motivos de contato
area-reports-protocol = Relatórios: Histórico por protocolo
area-monitoring = Monitoramento
area-audit = Registro de auditoria
action-view = Ver
action-create = Criar
action-edit = Editar
action-delete = Excluir
admin-no-permissions = Sua conta de administrador ainda não pertence a nenhum grupo de usuários. Peça a um administrador geral para incluí-la em um grupo.

## Formulários da administração
list-empty = Nada cadastrado ainda.
field-active = Ativo
field-out-of-range = Valor fora do intervalo permitido.
field-not-a-number = Informe um número inteiro.
field-bad-time = Informe um horário no formato HH:MM, como 08:30.
field-bad-color = Informe uma cor no formato #rrggbb, como #0f5fa8.
field-bad-web-address = Informe um endereço que comece com https://, como https://loja.exemplo/logo.png.
name-taken = Já existe um cadastro com este nome.
confirm-delete = Excluir "{ $name }"? Esta ação não pode ser desfeita.
in-use = Não é possível excluir: está em uso. Desative em vez de excluir.
admin-notices = Avisos
admin-notice-mark-read = Marcar como lida
list-no-results = Nenhum resultado para «{ $q }».
area-reports-agents = Relatórios: Agentes
area-reports-service-level = Relatórios: Nível de serviço
