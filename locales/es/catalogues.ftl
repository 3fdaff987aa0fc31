## Catálogos: filtro de palabras, etiquetas, frases predefinidas, plantillas de mensaje, campos de contacto

## Común a estas secciones
catalogues-team = Equipo
catalogues-all-teams = Todos los equipos
catalogues-team-unknown = Elija un equipo de la lista.
catalogues-choose-one = Elija una de las opciones de la lista.

## Filtro de palabras
word-filter-help = Impida que los agentes envíen palabras inapropiadas y defina términos que no deben abrir una nueva atención justo después de cerrar otra (un agradecimiento, un "ok").
word-filter-blocked-title = Palabras bloqueadas
word-filter-blocked-help = El agente no puede enviar mensajes con estas palabras; el mensaje se rechaza con un aviso. No importan mayúsculas ni acentos, y solo cuentan palabras enteras ("idiota" no bloquea "idiotez").
word-filter-ignore-title = Términos que no abren atención
word-filter-ignore-help = Cuando el contacto envía solo uno de estos términos poco después del cierre, no se abre una nueva atención.
word-filter-add-blocked = Bloquear palabras
word-filter-add-ignore = Agregar términos
word-filter-blocked-placeholder = Una palabra o expresión por línea
word-filter-ignore-placeholder = gracias, ok, 👍 — uno por línea
word-filter-terms-hint = Un término por línea, de hasta 60 caracteres. Los términos que ya están en la lista se ignoran.
word-filter-add = Agregar
word-filter-delete-term = Eliminar "{ $term }"
word-filter-window = Minutos después del cierre
word-filter-window-hint = Durante cuántos minutos después del cierre estos términos no abren una nueva atención (de 1 a 1440).
word-filter-window-saved = Tiempo guardado.
word-filter-added = { $added ->
    [one] 1 término agregado.
   *[other] { $added } términos agregados.
}
word-filter-skipped = { $skipped ->
    [one] 1 término ya estaba en la lista y se ignoró.
   *[other] { $skipped } términos ya estaban en la lista y se ignoraron.
}
word-filter-term-too-long = Cada término puede tener como máximo 60 caracteres.
word-filter-too-many = Agregue como máximo 500 términos a la vez.
word-filter-kind-invalid = Elija en qué lista agregar los términos.

## Etiquetas
tags-new = Nueva etiqueta
tags-name-example = Urgente
tags-help = Las etiquetas clasifican las atenciones con palabras clave. El contacto nunca las ve.
tags-search-placeholder = Nombre de la etiqueta
tags-color = Color
tags-color-hint = El color con que la etiqueta aparece en las atenciones.
tags-name-taken = Ya existe una etiqueta con este nombre para este equipo o para todos los equipos.

## Frases predefinidas
phrases-new = Nueva frase predefinida
phrases-help = El agente inserta una frase predefinida escribiendo una barra y el atajo, como /saudacao.
phrases-search-placeholder = Atajo o texto
phrases-shortcut = Atajo
phrases-shortcut-hint = De 2 a 30 letras, números, guiones o guiones bajos. El agente escribe "/" y el atajo.
phrases-shortcut-example = saludo
phrases-shortcut-example-mine = seguimiento
phrases-shortcut-invalid = Use de 2 a 30 letras, números, guiones o guiones bajos, sin espacios.
phrases-shortcut-taken = Ya existe una frase con este atajo para este equipo o para toda la empresa.
phrases-text = Texto
phrases-scope = Disponible para
phrases-company-wide = Toda la empresa
phrases-placeholders-hint = Variables que se completan al enviar:
phrases-placeholder-unknown = Variable desconocida. Use solo {"{{"}contato{"}}"} (contacto), {"{{"}agente{"}}"} (agente) o {"{{"}protocolo{"}}"} (protocolo).
phrases-placeholder-unclosed = Una variable no está cerrada. Escríbalas así: {"{{"}contato{"}}"}, {"{{"}agente{"}}"} o {"{{"}protocolo{"}}"}.
phrases-mine = Mis frases
phrases-new-mine = Nueva frase personal
phrases-mine-saved = Frase guardada.
phrases-mine-help = Sus frases personales: solo usted las ve y usa. En la atención, escriba / y el atajo; la lista muestra también las frases del equipo de la atención y las de toda la empresa.
phrases-mine-empty = Aún no tiene frases personales: cree un atajo y escriba la frase.
phrases-mine-private = Solo usted ve y usa esta frase.
phrases-own-shortcut-taken = Ya tiene una frase con este atajo.
phrases-scope-mine = Mía
phrases-shared = Frases de sus equipos y de la empresa
phrases-shared-help = Mantenidas por la administración; usted las usa en las atenciones de esos equipos.
phrases-shared-help-editor = Mantenidas por la administración; su grupo de permisos le deja editarlas (haga clic en el atajo).

## Plantillas de mensaje
templates-new = Nueva plantilla de mensaje
templates-help = Plantillas de mensaje de WhatsApp, aprobadas por Meta, para iniciar conversaciones o responder a contactos que escribieron hace más de 24 horas.
templates-search-placeholder = Nombre o texto de la plantilla
templates-name-hint = Exactamente como está registrada en Meta: letras minúsculas sin acento, números y guion bajo.
templates-name-example = pedido_enviado
templates-name-invalid = Use solo letras minúsculas sin acento, números y guion bajo (_), como pedido_enviado.
templates-name-taken = Ya existe una plantilla con este nombre en este idioma.
templates-language = Idioma
templates-category = Categoría
templates-category-utility = Utilidad
templates-category-marketing = Marketing
templates-category-authentication = Autenticación
templates-channel = Canal
templates-channel-whatsapp = WhatsApp
templates-header = Encabezado
templates-header-hint = Opcional, hasta 60 caracteres, sin variables.
templates-header-plain = El encabezado es un texto simple de una línea, sin variables.
templates-header-format = Tipo de encabezado
templates-header-format-text = Texto
templates-header-format-image = Imagen
templates-header-format-video = Video
templates-header-format-document = Documento
templates-header-link = Dirección del archivo del encabezado
templates-header-link-hint = Para un encabezado de imagen, video o documento: la dirección pública de donde Meta obtiene el archivo en cada envío.
templates-header-link-example = https://tienda.ejemplo/logo.png
templates-header-text-or-file = Un encabezado de archivo no tiene texto: borre el texto o elija el tipo Texto.
templates-body = Texto del mensaje
templates-body-hint = Hasta 1024 caracteres. Use {"{{"}1{"}}"}, {"{{"}2{"}}"}… (en orden desde 1) o nombres como {"{{"}nombre{"}}"} para los parámetros que el agente completa al enviar, como la plantilla fue aprobada en Meta.
templates-param-unclosed = Un parámetro no está cerrado. Escríbalos así: {"{{"}1{"}}"}.
templates-param-not-number = Los parámetros son números entre llaves dobles, sin espacios: {"{{"}1{"}}"}, {"{{"}2{"}}"}…
templates-param-gap = Numere los parámetros en orden desde {"{{"}1{"}}"}, sin saltar números: {"{{"}1{"}}"}, {"{{"}2{"}}"}, {"{{"}3{"}}"}…
templates-param-mixed = Use parámetros numerados ({"{{"}1{"}}"}) o con nombre ({"{{"}nombre{"}}"}), no ambos en el mismo texto.
templates-buttons = Botones de respuesta rápida
templates-buttons-hint = Opcional: hasta 3 botones de hasta 25 caracteres cada uno.
templates-button-label = Botón { $n }
templates-too-many-buttons = Use como máximo 3 botones.
templates-button-too-long = Cada botón puede tener como máximo 25 caracteres.
templates-button-repeated = Los botones deben tener textos distintos.
templates-active-hint = Solo las plantillas activas se ofrecen a los agentes.
templates-preview = Vista previa
templates-samples-hint = Valores de ejemplo para los parámetros (solo para la vista previa; no se guardan).
templates-preview-empty = Escriba el texto del mensaje para ver la vista previa.

## Campos de contacto
contact-fields-new = Nuevo campo
contact-fields-name-example = Documento
contact-fields-search-placeholder = Nombre del campo
contact-fields-builtin = Obligatorios al agregar contacto
contact-fields-builtin-help = Marque los campos que el agente debe completar en "Agregar contacto".
contact-fields-builtin-saved = Campos obligatorios guardados.
contact-fields-whatsapp = Número de WhatsApp
contact-fields-custom = Campos personalizados
contact-fields-help = Información adicional que la empresa guarda de cada contacto, en el orden en que aparece en el formulario.
contact-fields-position = Orden
contact-fields-position-hint = Los campos aparecen del número menor al mayor (de 0 a 999).
contact-fields-kind = Tipo
contact-fields-kind-text = Texto
contact-fields-kind-number = Número
contact-fields-kind-date = Fecha
contact-fields-kind-choice = Lista de opciones
contact-fields-required = Obligatorio en "Agregar contacto"
contact-fields-required-short = Obligatorio
contact-fields-required-yes = Obligatorio
contact-fields-required-no = Opcional
contact-fields-choices = Opciones
contact-fields-choices-hint = Solo para el tipo "Lista de opciones": una opción por línea.
contact-fields-choices-required = Indique las opciones de la lista, una por línea.
contact-fields-choices-too-few = Indique al menos dos opciones, una por línea.
contact-fields-choices-too-many = Use como máximo 50 opciones.
contact-fields-choice-too-long = Cada opción puede tener como máximo 60 caracteres.
contact-fields-choice-repeated = Hay opciones repetidas en la lista.
contact-fields-builtin-name = Este es un campo estándar del contacto; elija otro nombre.
