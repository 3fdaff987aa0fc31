# Anexos e áudio no editor de mensagens do atendimento.
composer-attach = Anexar arquivo
composer-record = Gravar áudio
composer-stop = Parar a gravação
composer-recording = Gravando…
composer-delete = Excluir
composer-send-audio = Enviar
composer-uploading = Enviando
composer-upload-failed = Não foi possível enviar o arquivo. Tente de novo.
composer-phrase-unknown = Nenhuma frase padrão com o atalho /{ $shortcut }.
composer-phrases-keys = ↑ ↓ escolhe · Tab ou Enter insere · Esc fecha
composer-mic-denied = O navegador não permitiu usar o microfone. Libere o acesso ao microfone para este site e tente de novo.
composer-mic-unsupported = Este navegador não grava áudio. Use uma versão recente do Chrome, Edge ou Firefox.
composer-speed = Velocidade
