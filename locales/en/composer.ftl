# Attachments and audio in the agent's message composer.
composer-attach = Attach a file
composer-record = Record audio
composer-stop = Stop recording
composer-recording = Recording…
composer-delete = Delete
composer-send-audio = Send
composer-uploading = Sending
composer-upload-failed = The file could not be sent. Please try again.
composer-phrase-unknown = No canned phrase with the shortcut /{ $shortcut }.
composer-phrases-keys = ↑ ↓ choose · Tab or Enter inserts · Esc closes
composer-mic-denied = The browser did not allow the microphone. Allow microphone access for this site and try again.
composer-mic-unsupported = This browser cannot record audio. Use a recent Chrome, Edge or Firefox.
composer-speed = Speed
