# REST API tokens and outgoing webhooks.
area-integrations = Integrações
