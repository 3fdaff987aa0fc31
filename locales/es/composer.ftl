# Adjuntos y audio en el editor de mensajes de la atención.
composer-attach = Adjuntar archivo
composer-record = Grabar audio
composer-stop = Detener la grabación
composer-recording = Grabando…
composer-delete = Eliminar
composer-send-audio = Enviar
composer-uploading = Enviando
composer-upload-failed = No se pudo enviar el archivo. Inténtelo de nuevo.
composer-phrase-unknown = Ninguna frase predefinida con el atajo /{ $shortcut }.
composer-phrases-keys = ↑ ↓ elige · Tab o Enter inserta · Esc cierra
composer-mic-denied = El navegador no permitió usar el micrófono. Permita el acceso al micrófono para este sitio e inténtelo de nuevo.
composer-mic-unsupported = Este navegador no graba audio. Use una versión reciente de Chrome, Edge o Firefox.
composer-speed = Velocidad
