## Bot flows: publish checks, changes between versions, the pane's lines.

flow-problem-no-blocks = The flow has no blocks.
flow-problem-no-start = The first block does not exist.
flow-problem-duplicate-id = Two blocks have the same id.
flow-problem-dead-end = { $exit ->
    [open] The "open" exit leads to no block.
    [closed] The "closed" exit leads to no block.
    [holiday] The "holiday" exit leads to no block.
    [rule] The rule "{ $value }" leads to no block.
    [otherwise] The "no rule matched" exit leads to no block.
    [error] The error exit leads to no block.
   *[next] This block's exit leads to no block: every path must end in a transfer, a close or another flow.
}
flow-problem-option-nowhere = Option { $option } leads to no block.
flow-problem-missing-target = An exit points to the block "{ $target }", which does not exist.
flow-problem-unreachable = No path reaches this block.
flow-problem-no-invalid-exit = The exit for invalid answers is missing.
flow-problem-loop = This block is part of a loop that never waits for the customer.
flow-problem-unknown-field = The contact field "{ $field }" does not exist.
flow-problem-unknown-team = The chosen team no longer exists.
flow-problem-unknown-schedule = The chosen schedule group no longer exists.
flow-problem-unknown-flow = The target flow does not exist or has not been published.
flow-problem-goto-itself = A flow cannot continue into itself.
flow-problem-no-options = The menu has no options.
flow-problem-no-list-values = The list of accepted answers is empty.
flow-problem-empty-text = The message text is empty.
flow-problem-bad-url = The address must start with http:// or https:// and name a server.
flow-problem-idle-minutes = The time without an answer must be at least 1 minute.

flow-change-start = first block changed
flow-change-idle = inactivity rule changed
flow-change-http-permission = permission to call internal addresses changed
flow-change-block-added = block { $block } added
flow-change-block-removed = block { $block } removed
flow-change-block-renamed = block { $block }: renamed (was "{ $old }")
flow-change-kind = block { $block }: type changed
flow-change-text = block { $block }: text changed
flow-change-option-added = block { $block }: option { $option } added
flow-change-option-removed = block { $block }: option { $option } removed
flow-change-option-renamed = block { $block }: option { $option } renamed from "{ $old }" to "{ $new }"
flow-change-option-target = block { $block }: option { $option } leads to another block
flow-change-exit = block { $block }: exit changed
flow-change-settings = block { $block }: settings changed

flows-definition-invalid = The flow's definition could not be read.
flows-definition-too-large = The flow's definition is too large.
flows-not-published = This flow has not been published yet.

## The editor: the diagram, the blocks' forms, the versions and the simulator.

flow-exit-option = { $value }
flow-exit-invalid = invalid
flow-exit-open = open
flow-exit-closed = closed
flow-exit-holiday = holiday
flow-exit-rule = “{ $value }”
flow-exit-otherwise = other
flow-exit-error = error
flow-kind-message = Message
flow-kind-menu = Menu
flow-kind-ask = Question
flow-kind-schedule = Business hours
flow-kind-condition = Condition
flow-kind-http = HTTP request
flow-kind-transfer = Transfer
flow-kind-close = Close
flow-kind-go_to = Another flow
flows-new = New flow
flows-intro = A flow greets the customer, asks, decides and hands the conversation to a team. Edit the draft freely: customers only see the published version.
flows-published-version = Published version
flows-channels = Channels
flows-last-change = Last change
flows-version-n = version { $number }
flows-draft-only = not published
flows-no-channel = no channel
flows-name-example = E.g. Main service
flows-new-hint = The flow starts with a greeting; then you add the blocks.
flows-starter-greeting = Hello! How can we help?
flows-diagram = Flow diagram
flows-start = Start
flows-problem-count = { $count ->
    [one] 1 problem
   *[other] { $count } problems
}
flows-new-block-kind = Kind of the new block
flows-new-block = New block
flows-settings = Settings
flows-simulator = Simulator
flows-versions = Versions
flows-publish = Publish
flows-problems = Problems to fix before publishing
flows-idle-minutes = Time without an answer from the customer (minutes)
flows-idle-minutes-hint = After this time the flow closes the conversation or transfers it, as chosen below.
flows-idle-action = When the customer does not answer
flows-idle-close = Close with the message
flows-idle-transfer = Transfer to the team
flows-idle-text = Closing message for no answer
flows-idle-team = Team that receives it
flows-allow-private = Allow requests to internal addresses
flows-allow-private-hint = Only tick this if the company's system is on the internal network (private or local addresses).
flows-exit-none = — no block —
flows-block-not-saved = The block was not saved: fix the fields shown.
flows-block-name = Block name
flows-make-start = Start the flow with this block
flows-is-start = The flow starts with this block.
flows-field-text = Text
flows-field-text-hint = Use contact fields in braces, like {"{{"}nome{"}}"}.
flows-options = Options
flows-option-n = Option { $n }
flows-goes-to = Goes to
flows-field-field = Contact field
flows-field-validation = Answer validation
flows-validation-text = Free text
flows-validation-email = E-mail
flows-validation-cpf = CPF
flows-validation-cnpj = CNPJ
flows-validation-cpf_cnpj = CPF or CNPJ
flows-validation-phone = Phone
flows-validation-number = Number
flows-validation-date = Date
flows-validation-one_of = One of the answers in the list
flows-field-one-of = Accepted answers (one per line)
flows-field-max-tries = Tries before the invalid exit
flows-field-retry = Text when asking again
flows-exit-next = Then goes to
flows-exit-invalid-answers = Invalid answers go to
flows-field-schedule = Schedule group
flows-exit-open = If open
flows-exit-closed = If closed
flows-exit-holiday = If holiday
flows-field-subject = Decide by
flows-subject-channel = the conversation's channel
flows-subject-field = a contact field
flows-rules = Rules
flows-rule-equals = If it equals
flows-exit-otherwise = If no rule fits
flows-field-method = Method
flows-field-url = Address
flows-field-url-hint = You may use contact fields, like https://system.example.com/orders?cpf={"{{"}cpf{"}}"}.
flows-field-body = Body (JSON)
flows-field-timeout = Timeout (milliseconds)
flows-map = Answer fields kept in the contact
flows-map-path = Answer field
flows-map-field = Contact field
flows-exit-error = On error, goes to
flows-field-team = Team
flows-field-priority = With priority in the queue
flows-field-flow = Target flow
flows-save-block = Save block
flows-delete-block = Delete block
flows-block-deleted = Block deleted.
flows-block-deleted-exits = Block deleted. The exits that led to it are now empty in: { $blocks }.
flows-published = Version { $number } published. New conversations use it now; customers in the middle of the flow stay on the version they started on.
flows-publish-refused = The flow was not published: { $count ->
    [one] there is 1 problem
   *[other] there are { $count } problems
} to fix, marked on the blocks.
flows-first-version = first version
flows-block-gone = This block no longer exists.
flows-too-many-blocks = The flow has reached the limit of blocks.
flows-exit-unknown = Choose a block from the list.
flows-no-versions = This flow has not been published yet.
flows-version = Version
flows-published-by = Published by
flows-published-at = When
flows-changes = What changed from the one before
flows-by-system = system
flows-no-changes = no changes
flows-restore-confirm = Restore version { $number } as the draft? The current draft will be replaced.
flows-restore = Restore as draft
flows-read-only = read only
flows-published-on = Published on
flows-channel-flow = Service flow
flows-channel-flow-none = None: straight to the team
flows-channel-flow-hint = New conversations on this channel start with the chosen flow (published flows only).
flows-sim-hint = Chat with the draft as a customer. Nothing is stored and no action happens, except HTTP requests if you allow them.
flows-sim-chat = Simulated conversation
flows-sim-list = See options
flows-sim-empty = Click “Start” for the customer to begin the conversation.
flows-sim-text = Customer's message
flows-sim-send = Send
flows-sim-start = Start
flows-sim-idle-button = The customer did not answer
flows-sim-profile = Customer and channel
flows-sim-channel = Channel
flows-sim-channel-webchat = Website chat
flows-sim-channel-whatsapp = WhatsApp (buttons and lists)
flows-sim-channel-telegram = Telegram
flows-sim-channel-email = E-mail
flows-sim-clock = Date and time
flows-sim-http = HTTP requests
flows-sim-http-sample = Answer with the sample below
flows-sim-http-run = Make the real request
flows-sim-sample = Sample answer (JSON)
flows-sim-idle = (the customer did not answer)
flows-sim-http-failed = The request failed: { $reason }
flows-sim-set-field = Would store { $field } = { $value }
flows-sim-http-call = Request to { $url }
flows-sim-chose = Customer chose: { $option }
flows-sim-gave-up = Too many invalid answers at { $block }
flows-sim-transfer = Would transfer to team { $team }{ $priority ->
    [true] , with priority
   *[other] {""}
}
flows-sim-closed = Would close the conversation.
flows-sim-goto = Would continue in another flow.
flows-sim-stuck = The path ended nowhere: it would go to the channel's team.
flow-problem-synonym-twice = The word "{ $word }" of option { $option } already leads to another option of this menu.
flow-change-option-words = block { $block }: option { $option } words are now "{ $words }"
flows-option-synonyms = Other words for option { $n }
flows-option-synonyms-hint = Comma-separated: invoice, payment, copy of bill
flows-too-many-synonyms = At most 20 words per option.
