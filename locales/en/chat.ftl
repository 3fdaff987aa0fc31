# Internal chat (F-AG-20)
chat-title = Internal chat
chat-open = Open the internal chat
chat-close = Close the internal chat
chat-unread = { $count ->
    [one] { $count } unread message
   *[other] { $count } unread messages
}
chat-search = Search messages
chat-search-button = Search
chat-search-none = No message of your internal conversations has these words.
chat-search-type = Type one or more words to search.
chat-teams = Teams
chat-colleagues = Colleagues
chat-no-colleagues = No colleague may use the internal chat yet.
chat-back = Back to the list
chat-team-channel = Team channel
chat-thread-empty = No messages yet. Write the first one.
chat-write = Write a message
chat-send = Send
chat-you = You
chat-empty = Write something before sending.
chat-too-long = The message is longer than 4,000 characters. Shorten it or split it.
chat-notify = New message in the internal chat
