# "Iniciar conversa" from a contact's page.
start-channels = Contact's channels
start-no-identities = This contact has not written on any channel yet.
start-visitor = website visitor
start-channel = Channel
start-team = Team
start-hint = The conversation opens with you; write the first message in the workspace. On WhatsApp, outside the 24-hour window, only approved templates can be sent.
start-action = Start conversation
start-refused = Not allowed:
start-choose = choose the channel and the team.
start-telegram-first = on Telegram the customer has to write to the bot first.
start-webchat = the website chat cannot start conversations.
start-no-email = the contact has no e-mail.
start-no-phone = the contact has no phone number.
start-receptive-only = this channel is receptive only.
start-not-in-team = you are not a member of this team.
start-with-someone-else = the contact is already being served by { $name } on this channel.
start-in-flow = the contact is inside a service flow.
start-in-survey = the contact is answering the satisfaction survey of another conversation.
start-waiting = the contact already has a conversation waiting in this channel's queue.

rail-label = Channels
rail-contacts-of = Contacts of { $channel }
rail-channel-contacts = Channel contacts
rail-channel-hint = Search by name or number; open the contact to start a conversation.
rail-address = Address on the channel
rail-since = Since
