## Conversation engine
floor-protocol-notice = Hello! Your protocol number is { $protocol }. Someone from the team will be with you shortly.
floor-already-taken = Another agent already took this conversation.
floor-closed = This conversation is already closed.
floor-blocked-words = The message was not sent: the company's filter blocks “{ $words }”. Rewrite it without those words.
floor-tabulation-required = This team requires a classification: choose the reason before closing.
floor-empty-message = Write a message or attach a file.
floor-message-too-long = The message is too long (at most 4096 characters).
floor-bad-tabulation = Choose an active classification of this conversation's team.
floor-bad-team = Choose an active team.
floor-bad-colleague = Choose an active agent of the team.
floor-bad-pause = Choose an active pause.
floor-bad-channel = Unknown channel.
floor-bad-tag = Choose a tag of this conversation's team.
floor-pause-outside-window = This pause can only start within its allowed hours.
floor-queue-full-notice = Our queue is full at the moment. You are number {"{{"}posicao{"}}"} in line; we will answer as soon as we can.
