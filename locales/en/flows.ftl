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
