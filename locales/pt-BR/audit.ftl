## Registro de auditoria
audit-anyone = Qualquer pessoa
audit-any-action = Qualquer ação
audit-from-day = De
audit-until-day = Até
audit-filter = Filtrar
audit-clear = Limpar
audit-details = Detalhes
audit-show = Ver antes e depois
audit-bad-date = Informe uma data válida.
