## Catalogues: word filter, tags, canned phrases, message templates, contact fields

## Shared by these sections
catalogues-team = Team
catalogues-all-teams = All teams
catalogues-team-unknown = Choose a team from the list.
catalogues-choose-one = Choose one of the options in the list.

## Word filter
word-filter-help = Stop agents from sending offensive words, and set terms that must not open a new conversation right after one was closed (a thank-you, an "ok").
word-filter-blocked-title = Blocked words
word-filter-blocked-help = Agents cannot send messages containing these words; the message is refused with a warning. Case and accents do not matter, and only whole words count ("idiot" does not block "idiotic").
word-filter-ignore-title = Terms that do not open a conversation
word-filter-ignore-help = When a contact sends only one of these terms shortly after the conversation closed, no new conversation is opened.
word-filter-add-blocked = Block words
word-filter-add-ignore = Add terms
word-filter-blocked-placeholder = One word or phrase per line
word-filter-ignore-placeholder = thanks, ok, 👍 — one per line
word-filter-terms-hint = One term per line, up to 60 characters. Terms already in the list are skipped.
word-filter-add = Add
word-filter-delete-term = Delete "{ $term }"
word-filter-window = Minutes after closing
word-filter-window-hint = For how many minutes after a conversation closes these terms do not open a new one (1 to 1440).
word-filter-window-saved = Time saved.
word-filter-added = { $added ->
    [one] 1 term added.
   *[other] { $added } terms added.
}
word-filter-skipped = { $skipped ->
    [one] 1 term was already in the list and was skipped.
   *[other] { $skipped } terms were already in the list and were skipped.
}
word-filter-term-too-long = Each term can have at most 60 characters.
word-filter-too-many = Add at most 500 terms at a time.
word-filter-kind-invalid = Choose which list to add the terms to.

## Tags
tags-new = New tag
tags-name-example = Urgent
tags-help = Tags classify conversations with keywords. Contacts never see them.
tags-search-placeholder = Tag name
tags-color = Colour
tags-color-hint = The colour the tag shows in conversations.
tags-name-taken = A tag with this name already exists for this team or for all teams.

## Canned phrases
phrases-new = New canned phrase
phrases-help = Agents insert a canned phrase by typing a slash and the shortcut, such as /saudacao.
phrases-search-placeholder = Shortcut or text
phrases-shortcut = Shortcut
phrases-shortcut-hint = 2 to 30 letters, digits, hyphens or underscores. Agents type "/" and the shortcut.
phrases-shortcut-example = greeting
phrases-shortcut-example-mine = follow-up
phrases-shortcut-invalid = Use 2 to 30 letters, digits, hyphens or underscores, without spaces.
phrases-shortcut-taken = A phrase with this shortcut already exists for this team or for the whole company.
phrases-text = Text
phrases-scope = Available to
phrases-company-wide = The whole company
phrases-placeholders-hint = Variables filled in when sent:
phrases-placeholder-unknown = Unknown variable. Use only {"{{"}contato{"}}"} (contact), {"{{"}agente{"}}"} (agent) or {"{{"}protocolo{"}}"} (protocol).
phrases-placeholder-unclosed = A variable is not closed. Write them like this: {"{{"}contato{"}}"}, {"{{"}agente{"}}"} or {"{{"}protocolo{"}}"}.
phrases-mine = My phrases
phrases-new-mine = New personal phrase
phrases-mine-saved = Phrase saved.
phrases-mine-help = Your personal phrases: only you see and use them. In a conversation, type / and the shortcut; the list also shows the phrases of the conversation's team and of the whole company.
phrases-mine-empty = You have no personal phrases yet: create a shortcut and write the phrase.
phrases-mine-private = Only you see and use this phrase.
phrases-own-shortcut-taken = You already have a phrase with this shortcut.
phrases-scope-mine = Mine
phrases-shared = Phrases of your teams and of the company
phrases-shared-help = Kept by the administrators; you use them in these teams' conversations.
phrases-shared-help-editor = Kept by the administrators; your permission group lets you edit them (click the shortcut).

## Message templates
templates-new = New message template
templates-help = WhatsApp message templates, approved by Meta, to start conversations or answer contacts who wrote more than 24 hours ago.
templates-search-placeholder = Template name or text
templates-name-hint = Exactly as registered with Meta: lowercase letters without accents, digits and underscores.
templates-name-example = order_shipped
templates-name-invalid = Use only lowercase letters without accents, digits and underscores (_), such as order_shipped.
templates-name-taken = A template with this name already exists in this language.
templates-language = Language
templates-category = Category
templates-category-utility = Utility
templates-category-marketing = Marketing
templates-category-authentication = Authentication
templates-channel = Channel
templates-channel-whatsapp = WhatsApp
templates-header = Header
templates-header-hint = Optional, up to 60 characters, no variables.
templates-header-plain = The header is plain text on one line, without variables.
templates-header-format = Header type
templates-header-format-text = Text
templates-header-format-image = Image
templates-header-format-video = Video
templates-header-format-document = Document
templates-header-link = Header file address
templates-header-link-hint = For an image, video or document header: the public address Meta fetches the file from on every send.
templates-header-link-example = https://shop.example/logo.png
templates-header-text-or-file = A file header has no text: clear the text or choose the Text type.
templates-body = Message text
templates-body-hint = Up to 1024 characters. Use {"{{"}1{"}}"}, {"{{"}2{"}}"}… (in order from 1) or names such as {"{{"}name{"}}"} for the parameters the agent fills in when sending, as the template was approved at Meta.
templates-param-unclosed = A parameter is not closed. Write them like this: {"{{"}1{"}}"}.
templates-param-not-number = Parameters are numbers in double braces, without spaces: {"{{"}1{"}}"}, {"{{"}2{"}}"}…
templates-param-gap = Number the parameters in order from {"{{"}1{"}}"} without skipping: {"{{"}1{"}}"}, {"{{"}2{"}}"}, {"{{"}3{"}}"}…
templates-param-mixed = Use numbered ({"{{"}1{"}}"}) or named ({"{{"}name{"}}"}) parameters, not both in one text.
templates-buttons = Quick-reply buttons
templates-buttons-hint = Optional: up to 3 buttons of up to 25 characters each.
templates-button-label = Button { $n }
templates-too-many-buttons = Use at most 3 buttons.
templates-button-too-long = Each button can have at most 25 characters.
templates-button-repeated = Buttons need different texts.
templates-active-hint = Only active templates are offered to agents.
templates-preview = Preview
templates-samples-hint = Sample values for the parameters (for the preview only; not saved).
templates-preview-empty = Type the message text to see the preview.

## Contact fields
contact-fields-new = New field
contact-fields-name-example = Tax ID
contact-fields-search-placeholder = Field name
contact-fields-builtin = Required when adding a contact
contact-fields-builtin-help = Tick the fields agents must fill in on "Add contact".
contact-fields-builtin-saved = Required fields saved.
contact-fields-whatsapp = WhatsApp number
contact-fields-custom = Custom fields
contact-fields-help = Extra information the company keeps about each contact, in the order shown on the contact form.
contact-fields-position = Order
contact-fields-position-hint = Fields are shown from the lowest to the highest number (0 to 999).
contact-fields-kind = Type
contact-fields-kind-text = Text
contact-fields-kind-number = Number
contact-fields-kind-date = Date
contact-fields-kind-choice = List of options
contact-fields-required = Required on "Add contact"
contact-fields-required-short = Required
contact-fields-required-yes = Required
contact-fields-required-no = Optional
contact-fields-choices = Options
contact-fields-choices-hint = Only for the "List of options" type: one option per line.
contact-fields-choices-required = Enter the options of the list, one per line.
contact-fields-choices-too-few = Enter at least two options, one per line.
contact-fields-choices-too-many = Use at most 50 options.
contact-fields-choice-too-long = Each option can have at most 60 characters.
contact-fields-choice-repeated = Some options in the list are repeated.
contact-fields-builtin-name = This is a standard contact field; choose another name.
