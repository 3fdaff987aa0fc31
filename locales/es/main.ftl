# Catálogo en español. Todo catálogo debe tener exactamente las claves de la referencia (pt-BR).

## Navegación y acciones comunes
nav-main = Navegación principal
nav-workspace = Atención
nav-admin = Administración
nav-users = Usuarios
nav-contacts = Contactos
nav-history = Historial
nav-add-contact = Agregar contacto
nav-profile = Editar perfil
nav-logout = Salir
language = Idioma
action-change = Cambiar
action-back = Volver
action-back-to-login = Volver al inicio de sesión
action-cancel = Cancelar
action-save = Guardar
action-search = Buscar
pager = Paginación
pager-previous = Anterior
pager-next = Siguiente
pager-position = Página { $page } de { $pages }

## Estados y roles
status-online = Disponible
status-paused = En pausa
status-offline = Desconectado
role-admin = Administrador
role-agent = Agente

## Campos
field-name = Nombre
field-username = Usuario
field-email = Correo electrónico
field-role = Perfil de acceso
field-phone = Teléfono
field-extension = Extensión
field-password = Contraseña
field-new-password = Nueva contraseña
field-current-password = Contraseña actual
field-password-confirm = Confirma la contraseña
field-allowed-networks = Redes permitidas
field-required = Completa este campo.
field-too-long = El texto es demasiado largo.
field-invalid-characters = Hay caracteres no permitidos.
form-has-errors = Corrige los campos indicados.
username-hint = De 3 a 40 caracteres: letras, números, punto, guion o guion bajo. No se puede cambiar después.
username-immutable = el usuario no se puede cambiar
username-invalid = Usa de 3 a 40 caracteres: letras sin tilde, números, punto, guion o guion bajo.
username-taken = Este usuario ya está en uso.
email-invalid = Ingresa un correo electrónico válido, como nombre@empresa.com.
email-taken = Este correo electrónico ya pertenece a otra cuenta.
phone-digits = Use solo números y la puntuación de un teléfono (espacios, guiones, paréntesis).
phone-invalid = Número inválido: indique el código de área y el número (y el código de país, si es de otro país), por ejemplo (11) 98765-4321.
role-invalid = Elige Administrador o Agente.
networks-invalid = Ingresa las redes en formato CIDR, como 192.168.0.0/24, una por línea.
allowed-networks-hint = Déjalo en blanco para permitir cualquier red. Una red por línea, en formato CIDR (ej.: 10.0.0.0/8).
last-admin = Debe quedar al menos un administrador activo.
cannot-deactivate = No se puede desactivar esta cuenta: es la tuya o la del último administrador activo.

## Contraseñas
password-rules = La contraseña debe tener de 10 a 128 caracteres, con al menos dos tipos entre letras, números y símbolos, y no puede contener tu nombre, usuario ni correo electrónico.
password-too-short = La contraseña debe tener al menos 10 caracteres.
password-too-long = La contraseña puede tener como máximo 128 caracteres.
password-too-simple = La contraseña es demasiado simple: combina letras con números o símbolos.
password-contains-identity = La contraseña no puede contener tu nombre, usuario ni correo electrónico.
password-mismatch = Las contraseñas no coinciden.
password-current-wrong = La contraseña actual es incorrecta.

## Inicio de sesión
login-title = Iniciar sesión
login-field-login = Correo electrónico o usuario
login-field-password = Contraseña
login-submit = Iniciar sesión
login-forgot = ¿Olvidaste tu contraseña?
login-invalid = Correo electrónico, usuario o contraseña incorrectos.
login-locked = Tu acceso está bloqueado temporalmente. Espera unos minutos o pide a un administrador que lo desbloquee.
login-network-refused = No se permite el acceso desde esta red. Habla con un administrador.
login-inactive = Esta cuenta está desactivada. Habla con un administrador.
totp-login-title = Verificación en dos pasos
totp-login-help = Ingresa el código de 6 dígitos de tu aplicación de autenticación o uno de tus códigos de recuperación.
totp-field-code = Código
totp-verify = Verificar
totp-invalid = Código inválido o ya utilizado. Prueba con el siguiente código de la aplicación.

## Olvidaste tu contraseña / crear contraseña
forgot-title = ¿Olvidaste tu contraseña?
forgot-help = Ingresa el correo electrónico de tu cuenta. Te enviaremos un enlace para crear una nueva contraseña.
forgot-submit = Enviar enlace
forgot-sent-title = Revisa tu correo electrónico
forgot-sent-text = Si hay una cuenta con esta dirección, te enviamos un enlace para crear una nueva contraseña. El enlace es válido por pocos minutos. Si no llega, revisa la carpeta de spam o habla con un administrador.
set-password-title = Crear contraseña
set-password-for = Cuenta: { $account }
set-password-submit = Crear contraseña
link-invalid-title = Este enlace ya no se puede usar
link-expired = Este enlace venció. Por seguridad, los enlaces para crear contraseña son válidos solo por unos minutos.
link-used = Este enlace ya fue utilizado.
link-unknown = Este enlace no es válido.
link-invalid-help = Solicita un nuevo enlace ingresando tu correo electrónico.
link-invalid-setup-help = La configuración inicial ya se realizó. Inicia sesión con la cuenta de administrador que se creó.
link-request-new = Solicitar un nuevo enlace

## Configuración inicial
setup-title = Crear el primer administrador
setup-help = Esta cuenta podrá registrar equipos, agentes y toda la configuración de la empresa. Este enlace solo se puede usar una vez.
setup-submit = Crear administrador

## Correo electrónico
mail-set-password-subject = { $company }: crea tu contraseña
mail-set-password-body =
    ¡Hola, { $name }!

    Para acceder a { $company }, crea tu contraseña con el siguiente enlace:

    { $link }

    El enlace es válido por { $minutes } minutos y solo se puede usar una vez. Si vence, usa "¿Olvidaste tu contraseña?" en la pantalla de inicio de sesión.

    Si no esperabas este mensaje, ignóralo.

## Perfil
profile-title = Mi perfil
profile-identity = Mis datos
profile-password = Cambiar contraseña
profile-password-submit = Cambiar contraseña
profile-saved-password = Contraseña cambiada. Se cerraron las demás sesiones de esta cuenta.
profile-saved-2fa-off = Verificación en dos pasos desactivada.
profile-2fa = Verificación en dos pasos
profile-2fa-on = Activada
profile-2fa-off = Protege tu cuenta pidiendo, además de la contraseña, un código de la aplicación de autenticación del celular.
profile-2fa-enable = Activar la verificación en dos pasos
profile-2fa-disable = Desactivar
profile-2fa-recovery-left = Códigos de recuperación restantes: { $count }
totp-enrol-title = Activar la verificación en dos pasos
totp-enrol-step-app = Instala una aplicación de autenticación en el celular (Google Authenticator, Microsoft Authenticator, FreeOTP, Aegis…).
totp-enrol-step-scan = En la aplicación, escanea este código QR.
totp-enrol-qr = Código QR para la aplicación de autenticación
totp-enrol-secret = ¿Sin cámara? Ingresa esta clave:
totp-enrol-step-code = Ingresa el código de 6 dígitos que muestra la aplicación.
totp-enrol-confirm = Confirmar
recovery-title = Códigos de recuperación
recovery-enabled = Verificación en dos pasos activada. Se cerraron las demás sesiones de esta cuenta.
recovery-help = Guarda estos códigos en un lugar seguro. Cada uno sirve para entrar una sola vez, por si pierdes el celular. No se volverán a mostrar.
recovery-done = Ya guardé los códigos

## Administración
admin-overview = Resumen
admin-stat-users = usuarios
admin-recent-activity = Actividad reciente
audit-when = Cuándo
audit-who = Quién
audit-action = Acción
audit-from = Origen
audit-empty = Todavía no hay registros.
users-new = Nuevo usuario
users-new-help = El nuevo usuario recibe por correo electrónico un enlace para crear su propia contraseña. Si no hay un servidor de correo configurado, verás el enlace para entregárselo.
users-create = Crear usuario
users-created = Usuario { $name } creado.
users-link-emailed = Enviamos a { $email } el enlace para crear la contraseña.
users-link-handover = No se envió ningún correo (servidor de correo no configurado). Entrega este enlace al usuario; sirve una sola vez y vence en pocos minutos:
users-link-label = Enlace para crear contraseña
users-open = Abrir usuario
users-search-placeholder = Nombre, usuario o correo electrónico
users-none = No se encontraron usuarios.
users-state = Estado
users-active = Activo
users-inactive = Inactivo
users-locked = Bloqueado
users-details = Datos del usuario
users-security = Acceso y seguridad
users-sessions = Sesiones abiertas
users-2fa-off = Desactivada
users-2fa = 2FA
users-unlock = Desbloquear
users-unlock-end-sessions = Cerrar también las sesiones abiertas (si se sospecha una intrusión)
users-send-link = Enviar enlace para crear contraseña
users-force-logout = Cerrar sesiones (forzar salida)
users-reset-2fa = Restablecer la verificación en dos pasos
users-reset-2fa-confirm = ¿Restablecer la verificación en dos pasos de este usuario? Se cerrarán sus sesiones.
users-deactivate = Desactivar cuenta
users-deactivate-confirm = ¿Desactivar esta cuenta? Se cerrarán sus sesiones.
users-activate = Reactivar cuenta
users-history = Historial de la cuenta
users-done-saved = Cambios guardados.
users-done-unlocked = Usuario desbloqueado.
users-done-activated = Cuenta reactivada.
users-done-deactivated = Cuenta desactivada y sesiones cerradas.
users-done-2fa-reset = Verificación en dos pasos restablecida y sesiones cerradas.
users-done-logged-out = Sesiones cerradas.

## Agente
agent-title = Atención
agent-signed-in-as = ¡Hola, { $name }!
agent-in-service = En atención
agent-waiting = En espera
agent-pending = Pendientes
agent-none-in-service = No hay atenciones en curso.
agent-none-waiting = No hay nadie en la cola.
agent-none-pending = No hay atenciones pendientes.
agent-empty-pane = Selecciona una atención de la lista para ver los mensajes.

## Errores
error-go-home = Ir al inicio
error-bad-request = No entendimos esta solicitud. Revisa los datos e inténtalo de nuevo.
error-forbidden = No tienes permiso para acceder a esta página o el formulario venció. Recarga la página e inténtalo de nuevo.
error-not-found = Página no encontrada.
error-too-large = El contenido enviado es demasiado grande.
error-unsupported-type = Este tipo de contenido no se acepta aquí.
error-unprocessable = Algunos datos enviados no son válidos. Revisa el formulario e inténtalo de nuevo.
error-request = Esta solicitud no pudo ser atendida.
error-internal = Algo salió mal de nuestro lado. Inténtalo de nuevo en unos instantes.
error-too-many-requests = Demasiados intentos. Inténtalo de nuevo en { $seconds ->
        [one] { $seconds } segundo
       *[other] { $seconds } segundos
    }.

## Áreas y permisos de la administración
area-teams = Equipos
area-agents = Usuarios y agentes
area-groups = Grupos de usuarios
area-channels = Canales
area-flows = Flujos de atención
area-schedules = Grupos de horarios
area-tabulations = Tabulaciones
area-word-filter = Filtro de palabras
area-pauses = Pausas
area-templates = Plantillas de mensaje
area-phrases = Frases predefinidas
area-tags = Etiquetas
area-contact-fields = Campos de contacto
area-settings = Configuración
area-reports = Informes: Historial de todos los equipos
area-reports-reasons = Informes: Motivos de contacto
area-reports-protocol = Informes: Historial por protocolo
area-monitoring = Monitoreo
area-audit = Registro de auditoría
action-view = Ver
action-create = Crear
action-edit = Editar
action-delete = Eliminar
admin-no-permissions = Tu cuenta de administrador todavía no pertenece a ningún grupo de usuarios. Pide a un administrador general que la agregue a uno.

## Formularios de la administración
list-empty = Nada registrado todavía.
field-active = Activo
field-out-of-range = Valor fuera del rango permitido.
field-not-a-number = Ingresa un número entero.
field-bad-time = Ingresa una hora en formato HH:MM, como 08:30.
field-bad-color = Indique un color con el formato #rrggbb, como #0f5fa8.
field-bad-web-address = Indique una dirección que empiece por https://, como https://tienda.ejemplo/logo.png.
name-taken = Ya existe un registro con este nombre.
confirm-delete = ¿Eliminar "{ $name }"? Esta acción no se puede deshacer.
in-use = No se puede eliminar: está en uso. Desactívalo en su lugar.
admin-notices = Avisos
admin-notice-mark-read = Marcar como leída
list-no-results = Ningún resultado para «{ $q }».
area-reports-agents = Informes: Agentes
area-reports-service-level = Informes: Nivel de servicio
