## The chat on the customer's site (widget.js): sent to the widget with the channel's settings.
## The widget fills in { $name } and { $position } itself.
widget-open = Open the chat
widget-close = Close the chat
widget-online = Online
widget-offline = We are offline
widget-answering = { $name } is answering you
widget-offline-notice = We are outside business hours. Leave a message and we will answer as soon as we can.
widget-name = Name
widget-email = E-mail
widget-phone = Phone
widget-optional = (optional)
widget-start = Start chatting
widget-placeholder = Type your message…
widget-send = Send
widget-attach = Attach a file
widget-file = File
widget-protocol = Protocol
widget-position = You are number { $position } in the queue
widget-waiting = Waiting for an agent…
widget-closed = Conversation finished. Write to start another.
widget-error = Could not send. Please try again.
widget-welcome = Hello! How can we help?
widget-survey-title = Tap the stars to rate the service
widget-survey-star = { $score } of 5 stars
