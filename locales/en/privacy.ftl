## Contact data (LGPD)
privacy-title = Personal data (LGPD)
privacy-help = At the person's request: download everything Atende keeps about this contact, or anonymise it. Anonymising erases the name, phone, e-mail, custom fields, channel identities, message text, files and survey comments; protocols, times and classifications stay for the reports. It cannot be undone.
privacy-export = Export data (JSON)
privacy-confirm = I understand anonymising cannot be undone.
privacy-anonymise = Anonymise contact
privacy-done = Contact anonymised. Protocols and report figures were kept.
privacy-open-conversation = The contact has an open conversation: close it before anonymising.
privacy-confirm-first = Tick the confirmation to anonymise the contact.
privacy-export-pdf = Export data (PDF)
privacy-pdf-title = Data of contact no. { $id }
privacy-pdf-identities = Identities on the channels
privacy-pdf-conversations = { $count ->
    [0] No conversations
    [one] 1 conversation
   *[other] { $count } conversations
}
