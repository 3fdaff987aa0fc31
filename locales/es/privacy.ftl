## Datos del contacto (LGPD)
privacy-title = Datos personales (LGPD)
privacy-help = A pedido del titular: descargue todo lo que Atende guarda sobre este contacto, o anonimícelo. La anonimización borra el nombre, teléfono, e-mail, campos personalizados, identidades en los canales, el texto de los mensajes, los archivos y los comentarios de la encuesta; protocolos, fechas y clasificaciones quedan para los informes. No se puede deshacer.
privacy-export = Exportar datos (JSON)
privacy-confirm = Entiendo que la anonimización no se puede deshacer.
privacy-anonymise = Anonimizar contacto
privacy-done = Contacto anonimizado. Se mantuvieron los protocolos y las cifras de los informes.
privacy-open-conversation = El contacto tiene una conversación abierta: finalícela antes de anonimizar.
privacy-confirm-first = Marque la confirmación para anonimizar el contacto.
privacy-export-pdf = Exportar datos (PDF)
privacy-pdf-title = Datos del contacto n.º { $id }
privacy-pdf-identities = Identidades en los canales
privacy-pdf-conversations = { $count ->
    [0] Ninguna conversación
    [one] 1 conversación
   *[other] { $count } conversaciones
}
